"""Apply Xero's settlements (payments, batch payments, credit allocations) here.

Each settlement becomes one payment here, split over the bills and sales invoices it
pays, and is linked to its Xero record so it is applied once. A settlement deleted in
Xero takes its payment back off its documents (and, for a credit note's allocation, gives
the credit note its credit back). Nothing of it is sent back to Xero.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.errors import DomainError
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.payments import Allocation, Payment, PaymentStatus, settle, unsettle
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.repositories.inbound_polls import InboundPollRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.xero.inbound.payments import CreditAllocations, Settlement

#: The kinds of documents here a Xero invoice may be linked to.
PAYABLE_KINDS = (Bill.KIND, SalesInvoice.KIND)
CREDIT_USABLE = frozenset({CreditNoteStatus.APPROVED, CreditNoteStatus.PARTIALLY_ALLOCATED})
CREDIT_TAKEN = frozenset({CreditNoteStatus.PARTIALLY_ALLOCATED, CreditNoteStatus.ALLOCATED})


def drop_events(uow: SqlUnitOfWork) -> None:
    """A change that came from Xero is not sent back to it: forget its events."""
    for aggregate in uow.seen():
        aggregate.pull_events()


def linked_document(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, invoice_id: str
) -> PayableDocument | None:
    """The bill or sales invoice here linked to a Xero invoice, or None."""
    for kind in PAYABLE_KINDS:
        link = uow.xero_links.find(tenant_id, kind, invoice_id)
        if link is None or link.company_id != company_id:
            continue
        repository = uow.bills if kind == Bill.KIND else uow.sales_invoices
        document: PayableDocument | None = repository.get(company_id, UUID(link.entity_id))
        return document
    return None


def apply_settlement(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, settlement: Settlement
) -> str | None:
    """Bring one settlement in line with Xero; returns a note when nothing changed."""
    link = uow.xero_links.find(tenant_id, settlement.link_kind, settlement.xero_id)
    if link is not None and link.company_id != company_id:
        return f"Xero {settlement.link_kind} {settlement.xero_id} belongs to another company"
    if settlement.deleted:
        if link is None:
            return None  # made and deleted in Xero between two reads: nothing here
        return take_back(uow, company_id, UUID(link.entity_id), settlement.xero_id)
    if link is not None:
        return None  # applied already; Xero changes a payment only by deleting it
    documents: dict[UUID, PayableDocument] = {}
    allocations: list[Allocation] = []
    for part in settlement.parts:
        document = linked_document(uow, company_id, tenant_id, part.invoice_id)
        if document is None or part.amount <= 0:
            continue
        documents[document.id] = document
        allocations.append(Allocation(document_id=document.id, amount=part.amount))
    if not allocations:
        invoices = ", ".join(part.invoice_id for part in settlement.parts)
        return f"no bill or sales invoice here is linked to Xero invoice {invoices}"
    first = documents[allocations[0].document_id]
    try:
        payment = Payment(
            company_id=company_id,
            date=settlement.date,
            amount=sum((a.amount for a in allocations), Decimal(0)),
            currency=first.currency,
            bank_account_code=settlement.bank_account_code,
            allocations=tuple(allocations),
            reference=settlement.reference,
            party_id=first.supplier_id if isinstance(first, Bill) else _customer(first),
        )
        settle(payment, documents)
        follow_bills(uow, company_id, documents.values())
        if settlement.parent_kind == CreditNote.KIND and settlement.parent_id:
            for allocation in allocations:
                use_credit(uow, company_id, tenant_id, settlement.parent_id, allocation)
    except DomainError as refused:
        uow.rollback()
        return f"Xero {settlement.link_kind} {settlement.xero_id} not applied here: {refused}"
    uow.payments.add(payment)
    uow.xero_links.upsert(
        company_id,
        settlement.link_kind,
        payment.id,
        tenant_id=tenant_id,
        xero_id=settlement.xero_id,
        xero_number=settlement.parent_id,
    )
    drop_events(uow)
    return None


def follow_bills(
    uow: SqlUnitOfWork, company_id: UUID, documents: Iterable[PayableDocument]
) -> None:
    """A purchase order is paid when its bill is (Xero pays orders through their bills)."""
    for document in documents:
        if isinstance(document, Bill) and document.purchase_order_id is not None:
            order = uow.purchase_orders.get(company_id, document.purchase_order_id)
            if order is not None:
                order.follow_bill(document.status is BillStatus.PAID)


def use_credit(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, credit_id: str, allocation: Allocation
) -> None:
    """Use the credit note here that Xero allocated, as far as it has credit left."""
    link = uow.xero_links.find(tenant_id, CreditNote.KIND, credit_id)
    if link is None or link.company_id != company_id:
        return
    note = uow.credit_notes.get(company_id, UUID(link.entity_id))
    if note is not None and note.status in CREDIT_USABLE:
        note.allocate(allocation.amount, target_id=allocation.document_id)


def _customer(document: PayableDocument) -> UUID | None:
    return document.customer_id if isinstance(document, SalesInvoice) else None


def take_back(uow: SqlUnitOfWork, company_id: UUID, payment_id: UUID, xero_id: str) -> str | None:
    """Take a payment deleted in Xero back off its documents, and mark it deleted."""
    payment = uow.payments.get(company_id, payment_id)
    if payment is None or payment.status is PaymentStatus.DELETED:
        return None
    documents: dict[UUID, PayableDocument] = {}
    for allocation in payment.allocations:
        document = uow.bills.get(company_id, allocation.document_id) or uow.sales_invoices.get(
            company_id, allocation.document_id
        )
        if document is not None:
            documents[document.id] = document
    try:
        unsettle(payment, documents)
        payment.delete(from_xero=True)
        follow_bills(uow, company_id, documents.values())
    except DomainError as refused:
        return f"Xero deleted {xero_id}; not taken back here: {refused}"
    drop_events(uow)
    return None


def take_back_gone_allocations(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, credit: CreditAllocations, kind: str
) -> list[str]:
    """Take back the allocations of a credit linked here that Xero no longer lists; the
    credit note here they used gets that credit back."""
    notes: list[str] = []
    for entity_id in InboundPollRepository(uow.session).links_under(
        company_id, kind, credit.link_parent
    ):
        link = uow.xero_links.get(company_id, kind, entity_id)
        if link is None or link.xero_id in credit.current:
            continue
        payment = uow.payments.get(company_id, UUID(entity_id))
        if payment is None or payment.status is PaymentStatus.DELETED:
            continue  # taken back already
        used = payment.allocated
        note = take_back(uow, company_id, payment.id, link.xero_id)
        if note is None:
            note = give_credit_back(uow, company_id, tenant_id, credit.link_parent, used)
        if note is not None:
            notes.append(note)
    return notes


def give_credit_back(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, credit_id: str, used: Decimal
) -> str | None:
    """Give the credit note here linked to `credit_id` back the `used` of its credit."""
    link = uow.xero_links.find(tenant_id, CreditNote.KIND, credit_id)
    if link is None or link.company_id != company_id:
        return None  # an overpayment's or prepayment's: its store credit follows Xero's
    note = uow.credit_notes.get(company_id, UUID(link.entity_id))
    if note is None or note.status not in CREDIT_TAKEN or note.amount_allocated == 0:
        return None  # nothing of it is allocated here (what Xero allocated elsewhere follows)
    try:
        note.unallocate(min(used, note.amount_allocated))
    except DomainError as refused:
        return f"Xero took back an allocation of credit note {credit_id}; not here: {refused}"
    drop_events(uow)
    return None
