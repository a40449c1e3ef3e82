"""What a person does about a document's sync: retry it, or mark it handled by hand.

A settings change retries every failed document of the company (``retry_failed``): a
default account or a status may be exactly what Xero was missing.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select, update

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.keys import in_flight_key

SYNC_KINDS = {
    "purchase_order": "purchase_order",
    "purchase-order": "purchase_order",
    "purchase-orders": "purchase_order",
    "bill": "bill",
    "bills": "bill",
    "supplier": "supplier",
    "suppliers": "supplier",
    "customer": "customer",
    "customers": "customer",
    "item": "item",
    "items": "item",
    "sales_invoice": "sales_invoice",
    "sales-invoice": "sales_invoice",
    "sales-invoices": "sales_invoice",
    "credit_note": "credit_note",
    "credit-note": "credit_note",
    "credit-notes": "credit_note",
    "payment": "payment",
    "payments": "payment",
    "refund": "refund",
    "refunds": "refund",
    "store_credit": "store_credit",
    "store-credit": "store_credit",
    "store-credits": "store_credit",
    "credit_use": "credit_use",
    "credit-use": "credit_use",
    "credit-uses": "credit_use",
    "stock_take": "stock_take",
    "stock-take": "stock_take",
    "stock-takes": "stock_take",
}
RETRY_EVENT = "SyncRetryRequested"
# What an asked-for retry records in place of a sent key: nothing was in flight.
RETRY_KEY_MARK = "retry"


def sync_kind(kind: str) -> str:
    """``purchase-orders`` → ``purchase_order``; unknown kinds are refused by name."""
    found = SYNC_KINDS.get(kind)
    if found is None:
        raise InvalidValue(
            "kind",
            f"use one of {', '.join(sorted(set(SYNC_KINDS.values())))}; got {kind!r}",
        )
    return found


class NotTracked(LookupError):
    """The document has never been taken up by the worker."""

    def __init__(self, kind: str, document_id: UUID) -> None:
        super().__init__(f"{kind} {document_id} has not been taken up for Xero yet")
        self.kind = kind
        self.document_id = document_id


def _state(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID, now: datetime
) -> SyncState:
    found = SyncStateRepository(uow.session, lambda: now).get(company_id, kind, document_id)
    if found is None:
        raise NotTracked(kind, document_id)
    return found


def retry(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID, now: datetime
) -> SyncState:
    """Send the document again: its failed rows are reopened (or a new one is written)."""
    kind = sync_kind(kind)
    states = SyncStateRepository(uow.session, lambda: now)
    state = _state(uow, company_id, kind, document_id, now)
    if not uow.outbox.reopen_failed(company_id, kind, document_id, now):
        uow.session.execute(
            outbox.insert().values(
                company_id=company_id,
                kind=kind,
                document_id=str(document_id),
                event_type=RETRY_EVENT,
                version=state.synced_version or 0,
                payload={},
                reaches_xero=True,
                created_at=now,
                state="pending",
                attempts=0,
                available_at=now,
            )
        )
    log = SyncLogRepository(uow.session, lambda: now)
    saved = states.save(
        state.but(
            state="pending",
            attempts=0,
            last_error=None,
            fix=None,
            in_flight_key=state.in_flight_key or _next_generation(log, state),
        )
    )
    log.add_many([_entry(state, "retry", "a person asked to send it again")])
    return saved


def _next_generation(log: SyncLogRepository, state: SyncState) -> str | None:
    """A create, update or cancellation Xero refused goes again under a key of its own.

    Xero answers a key it has seen with its first answer (the refusal), so the document,
    unchanged after a fix made in Xero, would be refused again for ever. Each retry asks
    for the next generation of key: a create is looked up first (as after any key it
    recorded); a document Xero has (``xero_id``) sends its update or cancellation under
    ``keys.document_key`` of that generation. One whose call may still land
    (``in_flight_key``) keeps its key, so that the late arrival is answered by it rather
    than made twice.
    """
    earlier = log.for_document(state.company_id, state.kind, state.document_id, limit=500)
    retries = sum(1 for entry in earlier if entry.action == "retry")
    return in_flight_key(0, retries + 1, RETRY_KEY_MARK)


def resolve(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID, now: datetime
) -> SyncState:
    """Mark the document handled by hand: its waiting work is dropped, nothing is sent."""
    kind = sync_kind(kind)
    state = _state(uow, company_id, kind, document_id, now)
    uow.session.execute(
        update(outbox)
        .where(
            outbox.c.company_id == company_id,
            outbox.c.kind == kind,
            outbox.c.document_id == str(document_id),
            outbox.c.state.in_(("pending", "failed")),
        )
        .values(state="done", last_error="handled manually")
    )
    saved = SyncStateRepository(uow.session, lambda: now).save(
        state.but(state="resolved", in_flight_key=None)
    )
    SyncLogRepository(uow.session, lambda: now).add_many(
        [_entry(state, "resolve", "marked as handled manually")]
    )
    return saved


def retry_failed(uow: SqlUnitOfWork, company_id: UUID, now: datetime) -> int:
    """Retry every failed document of the company; returns how many."""
    rows = uow.session.execute(
        select(outbox.c.kind, outbox.c.document_id)
        .where(outbox.c.company_id == company_id, outbox.c.state == "failed")
        .distinct()
    ).all()
    states = SyncStateRepository(uow.session, lambda: now)
    failed = states.keys_in_state(company_id, "failed")
    failed |= {(kind, UUID(document_id)) for kind, document_id in rows if kind in SYNC_KINDS}
    for kind, document_id in failed:
        try:
            retry(uow, company_id, kind, document_id, now)
        except NotTracked:
            uow.outbox.reopen_failed(company_id, kind, document_id, now)
    return len(failed)


def _entry(state: SyncState, action: str, summary: str) -> SyncLogEntry:
    return SyncLogEntry(
        company_id=state.company_id,
        kind=state.kind,
        document_id=state.document_id,
        action=action,
        outcome="done",
        summary=summary,
    )
