"""Webhook events: stored once each, routed to a company, marked processed once applied."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ledgerlink.store.tables.webhook_events import webhook_events
from ledgerlink.store.tables.xero_connections import xero_connections

NOTE_LENGTH = 500
#: Events per `INSERT` statement: 7 values each, well under SQLite's 32,766 parameters.
ROWS_PER_INSERT = 1000


#: A delivery's events stored by one statement on PostgreSQL (`store_at_once`): routed to
#: the company connected to their organisation, each once, in the order Xero sent them,
#: counting the stored and routed.
_STORE_AT_ONCE = """
WITH v AS (
    SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::timestamptz[])
        WITH ORDINALITY AS v (tenant_id, category, event_type, resource_id, event_at, n)
), routed AS (
    SELECT c.company_id, v.* FROM v JOIN xero_connections c ON lower(c.tenant_id) = v.tenant_id
), stored AS (
    INSERT INTO webhook_events
        (company_id, tenant_id, category, event_type, resource_id, event_at, received_at)
    SELECT company_id, tenant_id, category, event_type, resource_id, event_at, %s::timestamptz
    FROM routed
    ORDER BY n
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT (SELECT count(*) FROM stored), (SELECT count(*) FROM routed)
"""


@dataclass(frozen=True, slots=True)
class IncomingEvent:
    """One element of a webhook's `events`, as Xero sent it."""

    tenant_id: str
    category: str
    event_type: str
    resource_id: str
    event_at: datetime


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A stored event waiting for (or done with) the worker."""

    id: int
    company_id: UUID
    tenant_id: str
    category: str
    event_type: str
    resource_id: str
    event_at: datetime


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    """How many events were new, already stored, or for no organisation connected here;
    and how many were spooled for the worker to store (``webhook_spool``)."""

    stored: int = 0
    duplicates: int = 0
    dropped: int = 0
    spooled: int = 0


class WebhookEventRepository:
    """Store, list and settle webhook events."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def companies_of(self, tenant_ids: Iterable[str]) -> dict[str, UUID]:
        """The company connected to each organisation (unknown ones are absent)."""
        wanted = {tenant_id.lower() for tenant_id in tenant_ids}
        if not wanted:
            return {}
        tenant = func.lower(xero_connections.c.tenant_id)
        rows = self._session.execute(
            select(tenant, xero_connections.c.company_id).where(tenant.in_(wanted))
        )
        return {tenant_id: company_id for tenant_id, company_id in rows}

    def store(self, events: Sequence[IncomingEvent], now: datetime) -> StoreOutcome:
        """Store each event once; events of organisations not connected here are dropped.

        All the events go in with one `INSERT` per ``ROWS_PER_INSERT`` (the same event twice,
        in this call or before, is stored once), so a delivery, or several delivered at the
        same time, cost one statement and one commit rather than one of each per event.
        """
        return self.store_received([(event, now) for event in events])

    def store_received(self, received: Sequence[tuple[IncomingEvent, datetime]]) -> StoreOutcome:
        """`store` for events received at different times: each with its own time."""
        companies = self.companies_of(event.tenant_id for event, _ in received)
        rows = [
            {
                "company_id": company_id,
                "tenant_id": event.tenant_id.lower(),
                "category": event.category,
                "event_type": event.event_type,
                "resource_id": event.resource_id.lower(),
                "event_at": event.event_at,
                "received_at": received_at,
            }
            for event, received_at in received
            if (company_id := companies.get(event.tenant_id.lower())) is not None
        ]
        dialect = self._session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stored = 0
        for start in range(0, len(rows), ROWS_PER_INSERT):
            statement = (
                insert(webhook_events)
                .values(rows[start : start + ROWS_PER_INSERT])
                .on_conflict_do_nothing()
                .returning(webhook_events.c.id)
            )
            stored += len(self._session.execute(statement).all())
        dropped = len(received) - len(rows)
        return StoreOutcome(stored, len(rows) - stored, dropped)

    def companies_with_events(self) -> list[UUID]:
        """Companies with events not yet processed."""
        rows = self._session.execute(
            select(webhook_events.c.company_id)
            .where(webhook_events.c.processed_at.is_(None))
            .distinct()
        )
        return [company_id for (company_id,) in rows]

    def pending(self, company_id: UUID, limit: int = 500) -> list[StoredEvent]:
        """The company's unprocessed events, oldest first."""
        rows = self._session.execute(
            select(webhook_events)
            .where(
                webhook_events.c.company_id == company_id,
                webhook_events.c.processed_at.is_(None),
            )
            .order_by(webhook_events.c.id)
            .limit(limit)
        ).mappings()
        return [
            StoredEvent(
                id=row["id"],
                company_id=row["company_id"],
                tenant_id=row["tenant_id"],
                category=row["category"],
                event_type=row["event_type"],
                resource_id=row["resource_id"],
                event_at=row["event_at"],
            )
            for row in rows
        ]

    def mark_processed(self, ids: Sequence[int], now: datetime, note: str | None = None) -> None:
        """Mark events processed, with a note saying why nothing changed, if so."""
        if not ids:
            return
        self._session.execute(
            update(webhook_events)
            .where(webhook_events.c.id.in_(list(ids)))
            .values(processed_at=now, note=None if note is None else note[:NOTE_LENGTH])
        )


def store_at_once(
    connection: Connection, events: Sequence[IncomingEvent], received_at: datetime
) -> StoreOutcome:
    """`WebhookEventRepository.store` as one statement on PostgreSQL (no `SELECT` of the
    companies first): on a connection in autocommit, one round trip stores a delivery."""
    columns = (
        [event.tenant_id.lower() for event in events],
        [event.category for event in events],
        [event.event_type for event in events],
        [event.resource_id.lower() for event in events],
        [event.event_at for event in events],
    )
    row = connection.exec_driver_sql(_STORE_AT_ONCE, (*columns, received_at)).one()
    stored, routed = int(row[0]), int(row[1])
    return StoreOutcome(stored, routed - stored, len(events) - routed)
