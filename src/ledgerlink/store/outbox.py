"""Turning domain events into outbox rows, and reading them back."""

import builtins
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.events import DomainEvent
from ledgerlink.store.codec import json_value
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
    """Read access to the outbox (the worker that drains it claims rows itself)."""

    def __init__(self, session: Session) -> None:
        self._session = session

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
        return [_message(row) for row in rows]

    def list(
        self, company_id: UUID | None = None, *, state: str | None = None, limit: int = 100
    ) -> builtins.list[OutboxMessage]:
        """Rows oldest first, optionally of one company and in one state."""
        query = select(outbox).order_by(outbox.c.id).limit(limit)
        if company_id is not None:
            query = query.where(outbox.c.company_id == company_id)
        if state is not None:
            query = query.where(outbox.c.state == state)
        return [_message(row) for row in self._session.execute(query).mappings()]


def _message(row: RowMapping) -> OutboxMessage:
    return OutboxMessage(
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
