"""One-time export jobs (every customer, or every product, to Xero) and their progress."""

import builtins
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import func, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.repositories.aggregates import check_page
from ledgerlink.store.repositories.import_jobs import (
    DONE,
    FAILED,
    FINAL_STATES,
    NEEDS_RECONNECT,
    QUEUED,
    RUNNING,
    UNFINISHED_STATES,
    WAITING,
)
from ledgerlink.store.tables import customers, export_jobs, items

__all__ = [
    "DONE",
    "FAILED",
    "NEEDS_RECONNECT",
    "QUEUED",
    "RUNNING",
    "WAITING",
    "ExportJob",
    "ExportJobRepository",
]

# A job keeps this many failed records by name; the count covers them all.
MAX_LISTED_FAILURES = 500


@dataclass
class ExportJob:
    """One export of every record of one kind here to Xero, and how far it got.

    ``done`` counts the records dealt with: ``linked`` to a record Xero already had,
    ``created`` in Xero, ``already`` in Xero before the job (linked earlier), or
    ``failed`` (each with its reason in ``failures``).
    """

    company_id: UUID
    kind: str
    created_at: datetime
    id: UUID = field(default_factory=uuid4)
    state: str = QUEUED
    cursor: dict[str, Any] = field(default_factory=dict)
    total: int | None = None
    done: int = 0
    linked: int = 0
    created: int = 0
    already: int = 0
    failed: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    api_calls: int = 0
    message: str | None = None
    resume_at: datetime | None = None
    lease_until: datetime | None = None
    lease_owner: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    def count(self, outcome: str) -> None:
        """Count one record as ``linked``, ``created`` or ``already``."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.done += 1

    def fail(self, record_id: UUID, name: str, reason: str) -> None:
        """Count one record as failed, keeping its reason for the report."""
        self.failed += 1
        self.done += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append({"id": str(record_id), "name": name, "reason": reason})


_COLUMNS = tuple(column.name for column in export_jobs.columns)


class ExportJobRepository:
    """Export jobs by id, per company, and those a worker should pick up."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, job: ExportJob) -> None:
        job.updated_at = job.updated_at or job.created_at
        self._session.execute(export_jobs.insert().values(**_row(job)))

    def save(self, job: ExportJob, now: datetime, *, owner: str | None = None) -> bool:
        """Write the job back; with ``owner``, only while that runner holds it."""
        job.updated_at = now
        values = _row(job)
        del values["id"]
        query = export_jobs.update().where(export_jobs.c.id == job.id)
        if owner is not None:
            query = query.where(export_jobs.c.lease_owner == owner)
        return rowcount(self._session.execute(query.values(values))) == 1

    def get(self, company_id: UUID, job_id: UUID) -> ExportJob | None:
        return self._first(
            select(export_jobs).where(
                export_jobs.c.id == job_id, export_jobs.c.company_id == company_id
            )
        )

    def get_any(self, job_id: UUID) -> ExportJob | None:
        """The job, whichever company it belongs to (for the runner)."""
        return self._first(select(export_jobs).where(export_jobs.c.id == job_id))

    def list(self, company_id: UUID, *, limit: int = 50, offset: int = 0) -> list[ExportJob]:
        """The company's jobs, newest first."""
        check_page(limit, offset)
        rows = self._session.execute(
            select(export_jobs)
            .where(export_jobs.c.company_id == company_id)
            .order_by(export_jobs.c.created_at.desc(), export_jobs.c.id)
            .limit(limit)
            .offset(offset)
        ).mappings()
        return [_job(row) for row in rows]

    def unfinished(self, company_id: UUID, kind: str) -> ExportJob | None:
        """A job of ``kind`` still under way in the company, if any."""
        return self._first(
            select(export_jobs)
            .where(
                export_jobs.c.company_id == company_id,
                export_jobs.c.kind == kind,
                export_jobs.c.state.in_(UNFINISHED_STATES),
            )
            .order_by(export_jobs.c.created_at)
        )

    def claim(self, job_id: UUID, owner: str, now: datetime, lease_until: datetime) -> bool:
        """Take the job for runner ``owner`` until ``lease_until``; False if another holds it."""
        result = self._session.execute(
            export_jobs.update()
            .where(
                export_jobs.c.id == job_id,
                export_jobs.c.state.in_(UNFINISHED_STATES),
                or_(export_jobs.c.lease_until.is_(None), export_jobs.c.lease_until <= now),
            )
            .values(lease_until=lease_until, lease_owner=owner, updated_at=now)
        )
        return rowcount(result) == 1

    def renew(self, job_id: UUID, owner: str, lease_until: datetime) -> bool:
        """Extend runner ``owner``'s lease of an unfinished job; False when it lost it."""
        result = self._session.execute(
            export_jobs.update()
            .where(
                export_jobs.c.id == job_id,
                export_jobs.c.lease_owner == owner,
                export_jobs.c.state.in_(UNFINISHED_STATES),
            )
            .values(lease_until=lease_until)
        )
        return rowcount(result) == 1

    def fail(self, job_id: UUID, message: str, now: datetime, *, owner: str | None) -> None:
        """Mark an unfinished job failed with ``message``, if runner ``owner`` holds it (or,
        without an owner, if nobody does)."""
        held = (
            export_jobs.c.lease_owner == owner
            if owner is not None
            else or_(export_jobs.c.lease_until.is_(None), export_jobs.c.lease_until <= now)
        )
        self._session.execute(
            export_jobs.update()
            .where(export_jobs.c.id == job_id, export_jobs.c.state.in_(UNFINISHED_STATES), held)
            .values(
                state=FAILED,
                message=message,
                finished_at=now,
                updated_at=now,
                lease_until=None,
                lease_owner=None,
            )
        )

    def resumable(self, now: datetime, *, limit: int = 100) -> builtins.list[ExportJob]:
        """Unfinished jobs nobody holds whose wait (if any) is over, oldest first."""
        rows = self._session.execute(
            select(export_jobs)
            .where(
                export_jobs.c.state.in_(UNFINISHED_STATES),
                or_(export_jobs.c.lease_until.is_(None), export_jobs.c.lease_until <= now),
                or_(export_jobs.c.resume_at.is_(None), export_jobs.c.resume_at <= now),
            )
            .order_by(export_jobs.c.created_at, export_jobs.c.id)
            .limit(limit)
        ).mappings()
        return [_job(row) for row in rows]

    def _first(self, query: Any) -> ExportJob | None:
        row = self._session.execute(query.limit(1)).mappings().first()
        return None if row is None else _job(row)


def _row(job: ExportJob) -> dict[str, Any]:
    return {name: getattr(job, name) for name in _COLUMNS}


def _job(row: RowMapping) -> ExportJob:
    values = {name: row[name] for name in _COLUMNS}
    values["cursor"] = dict(values["cursor"])
    values["failures"] = list(values["failures"])
    return ExportJob(**values)


def record_ids_after(
    session: Session, kind: str, company_id: UUID, after: str | None, limit: int
) -> builtins.list[UUID]:
    """The ids of the company's customers (``kind`` "customer") or items ("item") past
    ``after``, in id order: where an export goes on from."""
    table = {"customer": customers, "item": items}[kind]
    query = select(table.c.id).where(table.c.company_id == company_id)
    if after is not None:
        query = query.where(table.c.id > UUID(after))
    return list(session.scalars(query.order_by(table.c.id).limit(limit)))


def record_count(session: Session, kind: str, company_id: UUID) -> int:
    """How many customers or items the company has."""
    table = {"customer": customers, "item": items}[kind]
    return int(
        session.execute(
            select(func.count()).select_from(table).where(table.c.company_id == company_id)
        ).scalar_one()
    )
