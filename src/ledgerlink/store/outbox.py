"""Turning domain events into outbox rows, and reading them back."""

import builtins
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, or_, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.events import DomainEvent
from ledgerlink.store.codec import json_value
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import outbox

_ENVELOPE = frozenset({"kind", "document_id", "company_id", "version"})


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
    """The columns of the outbox row for `event`; the payload holds its own fields."""
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
        "reaches_xero": type(event).reaches_xero,
        "created_at": now,
        "state": "pending",
        "attempts": 0,
        "available_at": now,
    }


def write_events(session: Session, events: Iterable[DomainEvent], now: datetime) -> int:
    """Insert one outbox row per event, in order; returns how many were written."""
    rows = [outbox_values(event, now) for event in events]
    if rows:
        session.execute(outbox.insert(), rows)
    return len(rows)


class OutboxRepository:
    """Read the outbox, and claim, complete or retry its rows on behalf of a worker.

    A worker claims rows for a lease; it then completes each one, or schedules a retry,
    or gives up on it. Rows whose lease ran out (the worker died) are claimable again.
    On PostgreSQL claims take `FOR UPDATE SKIP LOCKED`, so any number of workers on any
    number of machines claim disjoint rows without waiting for each other.
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(
        self,
        worker: str,
        *,
        now: datetime,
        lease: timedelta,
        limit: int = 50,
        company_id: UUID | None = None,
    ) -> builtins.list[OutboxMessage]:
        """Claim up to `limit` rows that are due, oldest first, until `now + lease`."""
        if not worker or len(worker) > 200:
            raise InvalidValue("worker", "name the worker in 1 to 200 characters")
        if lease <= timedelta(0):
            raise InvalidValue("lease", f"must be longer than 0 seconds, got {lease}")
        due = or_(
            and_(outbox.c.state == "pending", outbox.c.available_at <= now),
            and_(outbox.c.state == "claimed", outbox.c.claimed_until < now),
        )
        candidates = select(outbox.c.id).where(due).order_by(outbox.c.id).limit(limit)
        if company_id is not None:
            candidates = candidates.where(outbox.c.company_id == company_id)
        if self._session.get_bind().dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True)
        ids = builtins.list(self._session.execute(candidates).scalars())
        if not ids:
            return []
        self._session.execute(
            outbox.update()
            .where(outbox.c.id.in_(ids))
            .values(
                state="claimed",
                claimed_by=worker,
                claimed_until=now + lease,
                attempts=outbox.c.attempts + 1,
            )
        )
        rows = self._session.execute(
            select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.id)
        ).mappings()
        return [OutboxMessage.from_row(row) for row in rows]

    def complete(self, message_id: int, worker: str) -> bool:
        """Mark a claimed row done; False when `worker` no longer holds its claim."""
        return self._settle(message_id, worker, state="done", claimed_until=None)

    def retry(self, message_id: int, worker: str, *, error: str, available_at: datetime) -> bool:
        """Put a claimed row back to be claimed again from `available_at`."""
        return self._settle(
            message_id,
            worker,
            state="pending",
            available_at=available_at,
            last_error=error,
            claimed_by=None,
            claimed_until=None,
        )

    def give_up(self, message_id: int, worker: str, *, error: str) -> bool:
        """Mark a claimed row failed for good (it needs a person), keeping the error."""
        return self._settle(
            message_id, worker, state="failed", last_error=error, claimed_until=None
        )

    def _settle(self, message_id: int, worker: str, **values: Any) -> bool:
        result = self._session.execute(
            outbox.update()
            .where(
                outbox.c.id == message_id,
                outbox.c.state == "claimed",
                outbox.c.claimed_by == worker,
            )
            .values(**values)
        )
        return rowcount(result) == 1

    def for_document(self, company_id: UUID, kind: str, document_id: UUID) -> list[OutboxMessage]:
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
