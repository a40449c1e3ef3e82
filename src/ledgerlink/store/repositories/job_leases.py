"""What import and one-time export jobs share: their states, and the queries that run them
one runner at a time (a lease renewed on a heartbeat, taken over once it runs out, a job
failed with a message) and page them per company."""

import builtins
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, or_, select, text
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.repositories.aggregates import check_page

# States a job can be in; the last three are final.
QUEUED = "queued"
RUNNING = "running"
WAITING = "waiting"
DONE = "done"
FAILED = "failed"
NEEDS_RECONNECT = "needs_reconnect"
UNFINISHED_STATES = (QUEUED, RUNNING, WAITING)
FINAL_STATES = (DONE, FAILED, NEEDS_RECONNECT)


class LeasedJob(Protocol):
    """The fields every leased job has (its table's shared columns)."""

    id: UUID
    state: str
    message: str | None
    resume_at: datetime | None
    lease_until: datetime | None
    lease_owner: str | None
    created_at: datetime
    updated_at: datetime | None


J = TypeVar("J", bound=LeasedJob)


class LeasedJobRepository(Generic[J]):
    """Jobs of one table by id, per company, and those a worker should pick up.

    A subclass names its ``table`` and how a row becomes a job (``from_row``).
    """

    table: Table

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, job: J) -> None:
        job.updated_at = job.updated_at or job.created_at
        self._session.execute(self.table.insert().values(**self._values(job)))

    def save(self, job: J, now: datetime, *, owner: str | None = None) -> bool:
        """Write the job's state, cursor and counts back.

        With ``owner``, only while that runner holds the job; False when it no longer does.
        """
        job.updated_at = now
        values = self._values(job)
        del values["id"]
        query = self.table.update().where(self.table.c.id == job.id)
        if owner is not None:
            query = query.where(self.table.c.lease_owner == owner)
        return rowcount(self._session.execute(query.values(values))) == 1

    def get(self, company_id: UUID, job_id: UUID) -> J | None:
        """The job, or None when it does not exist in this company."""
        return self._first(
            select(self.table).where(
                self.table.c.id == job_id, self.table.c.company_id == company_id
            )
        )

    def get_any(self, job_id: UUID) -> J | None:
        """The job, whichever company it belongs to (for the runner)."""
        return self._first(select(self.table).where(self.table.c.id == job_id))

    def list(self, company_id: UUID, *, limit: int = 50, offset: int = 0) -> builtins.list[J]:
        """The company's jobs, newest first."""
        check_page(limit, offset)
        rows = self._session.execute(
            select(self.table)
            .where(self.table.c.company_id == company_id)
            .order_by(self.table.c.created_at.desc(), self.table.c.id)
            .limit(limit)
            .offset(offset)
        ).mappings()
        return [self.from_row(row) for row in rows]

    def unfinished(self, company_id: UUID, kind: str, *, locking: bool = False) -> J | None:
        """A job of ``kind`` still under way in the company, if any.

        With ``locking``, another transaction asking the same with ``locking`` waits until
        this one ends, so that a job it adds meanwhile is seen (on PostgreSQL; SQLite's
        transactions run one at a time already).
        """
        if locking and self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:table), hashtext(:key))"),
                {"table": self.table.name, "key": f"{company_id}:{kind}"},
            )
        return self._first(
            select(self.table)
            .where(
                self.table.c.company_id == company_id,
                self.table.c.kind == kind,
                self.table.c.state.in_(UNFINISHED_STATES),
            )
            .order_by(self.table.c.created_at)
        )

    def claim(self, job_id: UUID, owner: str, now: datetime, lease_until: datetime) -> bool:
        """Take the job for runner ``owner`` until ``lease_until``; False if another holds it."""
        result = self._session.execute(
            self.table.update()
            .where(
                self.table.c.id == job_id,
                self.table.c.state.in_(UNFINISHED_STATES),
                self._free(now),
            )
            .values(lease_until=lease_until, lease_owner=owner, updated_at=now)
        )
        return rowcount(result) == 1

    def renew(self, job_id: UUID, owner: str, lease_until: datetime) -> bool:
        """Extend runner ``owner``'s lease of an unfinished job; False when it lost it."""
        result = self._session.execute(
            self.table.update()
            .where(
                self.table.c.id == job_id,
                self.table.c.lease_owner == owner,
                self.table.c.state.in_(UNFINISHED_STATES),
            )
            .values(lease_until=lease_until)
        )
        return rowcount(result) == 1

    def fail(self, job_id: UUID, message: str, now: datetime, *, owner: str | None) -> None:
        """Mark an unfinished job failed with ``message``, if runner ``owner`` holds it (or,
        without an owner, if nobody does)."""
        held = self.table.c.lease_owner == owner if owner is not None else self._free(now)
        self._session.execute(
            self.table.update()
            .where(self.table.c.id == job_id, self.table.c.state.in_(UNFINISHED_STATES), held)
            .values(
                state=FAILED,
                message=message,
                finished_at=now,
                updated_at=now,
                lease_until=None,
                lease_owner=None,
            )
        )

    def resumable(self, now: datetime, *, limit: int = 100) -> builtins.list[J]:
        """Unfinished jobs nobody holds whose wait (if any) is over, oldest first."""
        rows = self._session.execute(
            select(self.table)
            .where(
                self.table.c.state.in_(UNFINISHED_STATES),
                self._free(now),
                or_(self.table.c.resume_at.is_(None), self.table.c.resume_at <= now),
            )
            .order_by(self.table.c.created_at, self.table.c.id)
            .limit(limit)
        ).mappings()
        return [self.from_row(row) for row in rows]

    def from_row(self, row: RowMapping) -> J:
        raise NotImplementedError

    def _free(self, now: datetime) -> ColumnElement[bool]:
        """Nobody holds the job: no lease, or one that ran out."""
        return or_(self.table.c.lease_until.is_(None), self.table.c.lease_until <= now)

    def _first(self, query: Any) -> J | None:
        row = self._session.execute(query.limit(1)).mappings().first()
        return None if row is None else self.from_row(row)

    def _values(self, job: J) -> dict[str, Any]:
        return {column.name: getattr(job, column.name) for column in self.table.columns}
