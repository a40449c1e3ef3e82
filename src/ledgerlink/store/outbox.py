"""The outbox: domain events written as rows, and the worker's claims on them.

A worker first takes the lease of a company with work waiting (``take_lease``): one row
in ``sync_leases`` that only it may renew until ``leased_until``. It then claims that
company's rows (``claim``), ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that any number
of workers on any number of machines never wait on one another; on SQLite every
transaction begins ``IMMEDIATE`` (see ``store.engine``), which serialises claims the same
way for one worker process. Each claimed row is then completed, retried later or given
up. A killed worker's lease and claims run out and are taken again. ``worker`` names the
holder: the worker gives the name and a random id of its run (``sync.company_leases``),
so two processes given one name hold leases apart.
"""

import builtins
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.events import DomainEvent
from ledgerlink.store.codec import json_value
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.sync import sync_leases, sync_parks

_ENVELOPE = frozenset({"kind", "document_id", "company_id", "version"})
#: Rows are updated this many ids at a time (well under every database's parameter limit).
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One outbox row as the worker sees it."""

    id: int
    company_id: UUID
    kind: str
    document_id: UUID
    event_type: str
    version: int
    payload: dict[str, Any]
    reaches_xero: bool
    created_at: datetime
    state: str
    attempts: int
    available_at: datetime
    claimed_by: str | None
    claimed_until: datetime | None
    last_error: str | None

    @classmethod
    def from_row(cls, row: RowMapping) -> "OutboxMessage":
        """The message of one selected ``outbox`` row."""
        return cls(
            id=row["id"],
            company_id=row["company_id"],
            kind=row["kind"],
            document_id=UUID(row["document_id"]),
            event_type=row["event_type"],
            version=row["version"],
            payload=dict(row["payload"]),
            reaches_xero=row["reaches_xero"],
            created_at=row["created_at"],
            state=row["state"],
            attempts=row["attempts"],
            available_at=row["available_at"],
            claimed_by=row["claimed_by"],
            claimed_until=row["claimed_until"],
            last_error=row["last_error"],
        )


def outbox_values(event: DomainEvent, now: datetime) -> dict[str, Any]:
    """The columns of the outbox row for `event`; the payload holds its own fields.

    An event to be sent to Xero waits as ``pending``; any other is written ``not_sent``,
    settled at once: nothing will ever claim it.
    """
    payload = {
        field.name: json_value(getattr(event, field.name))
        for field in dataclasses.fields(event)
        if field.name not in _ENVELOPE
    }
    return {
        "company_id": event.company_id,
        "kind": event.kind,
        "document_id": str(event.document_id),
        "event_type": event.name,
        "version": event.version,
        "payload": payload,
        "reaches_xero": event.sent_to_xero,
        "created_at": now,
        "state": "pending" if event.sent_to_xero else "not_sent",
        "attempts": 0,
        "available_at": now,
    }


def write_events(session: Session, events: Iterable[DomainEvent], now: datetime) -> int:
    """Insert one outbox row per event, in order; returns how many were written."""
    rows = [outbox_values(event, now) for event in events]
    if rows:
        session.execute(outbox.insert(), rows)
    return len(rows)


def _claimable(now: datetime, kinds: Sequence[str]) -> Any:
    return and_(
        outbox.c.reaches_xero.is_(True),
        outbox.c.kind.in_(kinds),
        or_(
            and_(outbox.c.state == "pending", outbox.c.available_at <= now),
            and_(outbox.c.state == "claimed", outbox.c.claimed_until < now),
        ),
    )


class OutboxRepository:
    """Read the outbox; lease companies and claim, complete, retry or give up their rows."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # -- leases: one worker per company at a time --------------------------------------

    def companies_with_work(
        self, now: datetime, *, kinds: Sequence[str], limit: int = 50
    ) -> builtins.list[UUID]:
        """Companies with claimable rows of ``kinds``, not parked, not leased by a live
        worker, the longest waiting first."""
        parked = select(sync_parks.c.company_id).where(sync_parks.c.parked_until > now)
        leased = select(sync_leases.c.company_id).where(sync_leases.c.leased_until > now)
        rows = self._session.execute(
            select(outbox.c.company_id)
            .where(
                _claimable(now, kinds),
                outbox.c.company_id.not_in(parked),
                outbox.c.company_id.not_in(leased),
            )
            .group_by(outbox.c.company_id)
            .order_by(func.min(outbox.c.id))
            .limit(limit)
        )
        return [company_id for (company_id,) in rows]

    def own_leases(self, worker: str) -> builtins.list[UUID]:
        """Companies whose lease ``worker`` holds (live or run out), e.g. after a restart."""
        return builtins.list(
            self._session.scalars(
                select(sync_leases.c.company_id).where(sync_leases.c.worker == worker)
            )
        )

    def take_lease(self, company_id: UUID, worker: str, now: datetime, until: datetime) -> bool:
        """Take or renew the lease of one company; False when another live worker holds it."""
        _check_claim(worker, now, until)
        result = self._session.execute(
            update(sync_leases)
            .where(
                sync_leases.c.company_id == company_id,
                or_(sync_leases.c.worker == worker, sync_leases.c.leased_until < now),
            )
            .values(worker=worker, leased_until=until)
        )
        if rowcount(result) == 1:
            return True
        try:
            with self._session.begin_nested():
                self._session.execute(
                    sync_leases.insert().values(
                        company_id=company_id, worker=worker, leased_until=until
                    )
                )
        except IntegrityError:
            return False
        return True

    def hold_lease(self, company_id: UUID, worker: str, until: datetime) -> bool:
        """Extend ``worker``'s lease of a company it has held without a break; False when
        the lease was taken over or given back since (unlike ``take_lease``, it never takes
        a lease that is free: an exporter that lost its company must stop, not retake it)."""
        result = self._session.execute(
            update(sync_leases)
            .where(sync_leases.c.company_id == company_id, sync_leases.c.worker == worker)
            .values(leased_until=until)
        )
        return rowcount(result) == 1

    def release_lease(self, company_id: UUID, worker: str) -> None:
        """Give a company back (only if ``worker`` still holds it)."""
        self._session.execute(
            delete(sync_leases).where(
                sync_leases.c.company_id == company_id, sync_leases.c.worker == worker
            )
        )

    # -- rows: claimed under the company's lease, then settled -------------------------

    def claim(
        self,
        company_id: UUID,
        worker: str,
        now: datetime,
        until: datetime,
        *,
        kinds: Sequence[str],
        limit: int = 1000,
    ) -> builtins.list[OutboxMessage]:
        """Claim up to ``limit`` of one company's claimable rows of ``kinds`` until
        ``until``, oldest first.

        Due pending rows and rows whose claim ran out are claimable; rows ``worker`` itself
        claimed before are included.
        """
        _check_claim(worker, now, until)
        query = (
            select(outbox.c.id)
            .where(
                outbox.c.company_id == company_id,
                or_(
                    _claimable(now, kinds),
                    and_(
                        outbox.c.state == "claimed",
                        outbox.c.claimed_by == worker,
                        outbox.c.kind.in_(kinds),
                    ),
                ),
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            # One statement: the rows are picked (skipping those another transaction
            # holds), claimed and read back, instead of their ids going back and forth.
            claimed = self._session.execute(
                update(outbox)
                .where(outbox.c.id.in_(query.with_for_update(skip_locked=True)))
                .values(state="claimed", claimed_by=worker, claimed_until=until)
                .returning(*outbox.c)
            )
            messages = [OutboxMessage.from_row(row) for row in claimed.mappings()]
            return sorted(messages, key=lambda message: message.id)
        ids = builtins.list(self._session.scalars(query))
        if not ids:
            return []
        self._session.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids))
            .values(state="claimed", claimed_by=worker, claimed_until=until)
        )
        rows = self._session.execute(
            select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.id)
        )
        return [OutboxMessage.from_row(row) for row in rows.mappings()]

    def complete(self, ids: Sequence[int]) -> None:
        """Mark rows done: what they asked of Xero is there."""
        self._settle(ids, state="done", claimed_by=None, claimed_until=None, last_error=None)

    def give_up(self, ids: Sequence[int], *, error: str | None) -> None:
        """Mark rows failed for good (they need a person), keeping the error."""
        self._settle(ids, state="failed", claimed_by=None, claimed_until=None, last_error=error)

    def retry(
        self,
        ids: Sequence[int],
        *,
        available_at: datetime,
        error: str | None,
        only_claimed_by: str | None = None,
    ) -> None:
        """Give claimed rows back to be claimed again from ``available_at``, counting one
        more attempt.

        With ``only_claimed_by``, rows already settled (or taken by another worker) stay as
        they are.
        """
        where: builtins.list[ColumnElement[bool]] = []
        if only_claimed_by is not None:
            where += [outbox.c.state == "claimed", outbox.c.claimed_by == only_claimed_by]
        self._settle(
            ids,
            *where,
            state="pending",
            claimed_by=None,
            claimed_until=None,
            available_at=available_at,
            attempts=outbox.c.attempts + 1,
            last_error=error,
        )

    def _settle(self, ids: Sequence[int], *where: ColumnElement[bool], **values: Any) -> None:
        for start in range(0, len(ids), _CHUNK):
            self._session.execute(
                update(outbox)
                .where(outbox.c.id.in_(ids[start : start + _CHUNK]), *where)
                .values(**values)
            )

    def reopen_failed(self, company_id: UUID, kind: str, document_id: UUID, now: datetime) -> int:
        """Make a document's failed rows pending again (a person's retry); returns how many."""
        result = self._session.execute(
            update(outbox)
            .where(
                outbox.c.company_id == company_id,
                outbox.c.kind == kind,
                outbox.c.document_id == str(document_id),
                outbox.c.state == "failed",
            )
            .values(state="pending", available_at=now, attempts=0, last_error=None)
        )
        return rowcount(result)

    # -- parks: a company's work held until its daily Xero budget resets ---------------

    def park(self, company_id: UUID, until: datetime, reason: str) -> None:
        """Hold a company's work until ``until`` (its daily Xero budget is spent)."""
        result = self._session.execute(
            update(sync_parks)
            .where(sync_parks.c.company_id == company_id)
            .values(parked_until=until, reason=reason)
        )
        if rowcount(result) == 0:
            self._session.execute(
                sync_parks.insert().values(company_id=company_id, parked_until=until, reason=reason)
            )

    def parked_until(self, company_id: UUID, now: datetime) -> datetime | None:
        """When a parked company's work resumes, or None when it is not parked."""
        return self._session.scalars(
            select(sync_parks.c.parked_until).where(
                sync_parks.c.company_id == company_id, sync_parks.c.parked_until > now
            )
        ).first()

    # -- reading -------------------------------------------------------------------------

    def for_document(
        self, company_id: UUID, kind: str, document_id: UUID
    ) -> builtins.list[OutboxMessage]:
        """Every row written for one document, oldest first."""
        rows = self._session.execute(
            select(outbox)
            .where(
                outbox.c.company_id == company_id,
                outbox.c.kind == kind,
                outbox.c.document_id == str(document_id),
            )
            .order_by(outbox.c.id)
        ).mappings()
        return [OutboxMessage.from_row(row) for row in rows]

    def list(
        self,
        company_id: UUID | None = None,
        *,
        state: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[OutboxMessage]:
        """Rows oldest first, optionally of one company and in one state."""
        query = select(outbox).order_by(outbox.c.id).limit(limit).offset(offset)
        if company_id is not None:
            query = query.where(outbox.c.company_id == company_id)
        if state is not None:
            query = query.where(outbox.c.state == state)
        return [OutboxMessage.from_row(row) for row in self._session.execute(query).mappings()]


def _check_claim(worker: str, now: datetime, until: datetime) -> None:
    if not worker or len(worker) > 200:
        raise InvalidValue("worker", "name the worker in 1 to 200 characters")
    if until <= now:
        raise InvalidValue("until", f"a lease must end after it starts, got {until} at {now}")
