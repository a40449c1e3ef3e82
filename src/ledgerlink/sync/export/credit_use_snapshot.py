"""What the uses of credit in a pass need from the store, read in the pass's one short
read: each use (from its outbox event), its credit, the invoice it goes to, their links and
the uses' sync states."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select

from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.store.clock import Clock
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories.sync_links import links_for
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.credit_use_plan import Credit, Use, UseSnapshot
from ledgerlink.sync.export.customer_credits import credit_number

#: The events that carry a use (a retry's row carries none: its first row is read).
OVERPAYMENT_EVENT = "OverpaymentRecorded"
USE_EVENTS = ("CreditAllocated", "CreditPaidOut", OVERPAYMENT_EVENT)


def _first_events(
    uow: SqlUnitOfWork, company_id: UUID, ids: set[UUID], events: Sequence[str] = USE_EVENTS
) -> list[OutboxMessage]:
    if not ids:
        return []
    rows = uow.session.execute(
        select(outbox)
        .where(
            outbox.c.company_id == company_id,
            outbox.c.kind == CREDIT_USE,
            outbox.c.document_id.in_(sorted(str(i) for i in ids)),
            outbox.c.event_type.in_(events),
        )
        .order_by(outbox.c.id)
    ).mappings()
    return [OutboxMessage.from_row(row) for row in rows]


def load_use_snapshot(
    uow: SqlUnitOfWork, clock: Clock, company_id: UUID, rows: Sequence[OutboxMessage]
) -> UseSnapshot:
    """Read the uses of ``rows`` and what they need."""
    snapshot = UseSnapshot()
    for row in rows:
        use = Use.of(row)
        if use is not None:
            snapshot.uses.setdefault(use.id, use)
    missing = {row.document_id for row in rows} - set(snapshot.uses)
    for row in _first_events(uow, company_id, missing):
        use = Use.of(row)
        if use is not None:
            snapshot.uses.setdefault(use.id, use)
    uses = list(snapshot.uses.values())
    refunds = uow.refunds.get_many(
        company_id, {u.credit_id for u in uses if u.credit_kind == "refund"}
    )
    for refund in refunds.values():
        snapshot.credits[("refund", refund.id)] = Credit(
            "refund", refund.id, refund.date, str(refund.currency), True,
            credit_number("RF", refund.id), customer_id=refund.customer_id,
        )  # fmt: skip
    stored = uow.store_credits.get_many(
        company_id, {u.credit_id for u in uses if u.credit_kind == "store_credit"}
    )
    sources = uow.payments.get_many(
        company_id, {c.source_payment_id for c in stored.values() if c.source_payment_id}
    )
    overpaid = {
        UUID(str(row.payload["credit_id"]))
        for row in _first_events(
            uow,
            company_id,
            {c.overpayment_use_id for c in stored.values() if not c.made_by_hand},
            (OVERPAYMENT_EVENT,),
        )
    }
    for credit in stored.values():
        source = sources.get(credit.source_payment_id) if credit.source_payment_id else None
        snapshot.credits[("store_credit", credit.id)] = Credit(
            "store_credit", credit.id, credit.date, str(credit.currency), credit.made_by_hand,
            credit_number("SC", credit.id) if credit.made_by_hand else None,
            source.bank_account_code if source is not None else None,
            customer_id=credit.customer_id,
            overpayment_use=credit.overpayment_use_id if credit.id in overpaid else None,
            reference=source.reference if source is not None else None,
        )  # fmt: skip
    invoices = uow.sales_invoices.get_many(company_id, {u.target_id for u in uses if u.target_id})
    for invoice in invoices.values():
        snapshot.targets[invoice.id] = ("sales_invoice", invoice.date, invoice.number)
    session = uow.session
    overpayments = [c.overpayment_use for c in snapshot.credits.values() if c.overpayment_use]
    customers = {c.customer_id for c in snapshot.credits.values() if c.customer_id}
    for kind, ids in (
        (CREDIT_USE, [u.id for u in uses] + overpayments),
        ("customer", list(customers)),
        ("refund", list(refunds)),
        ("store_credit", list(stored)),
        ("sales_invoice", list(invoices)),
    ):
        for entity_id, link in links_for(session, company_id, kind, ids).items():
            snapshot.links[(kind, entity_id)] = link
    states = SyncStateRepository(session, clock)
    for use_id, state in states.get_many(company_id, CREDIT_USE, snapshot.uses).items():
        snapshot.states[(CREDIT_USE, use_id)] = state
    return snapshot
