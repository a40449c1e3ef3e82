"""What Xero allocated of a credit note to documents that are not here, and what it
refunded of it.

An allocation in Xero to a bill or sales invoice linked here is settled here
(``settle.py``): it is the credit note's ``amount_allocated``. One to an invoice that is
not here (made in Xero, or never imported) uses the credit all the same: the credit note
here keeps the sum of those as ``allocated_in_xero``, so the credit left here is Xero's.
It is counted again from Xero's allocations each time the credit note is read: one made
or deleted in Xero moves it, and one whose invoice is linked here (or that was settled
here) is never counted elsewhere. Before the allocations are settled it is only lowered
(``free_for_here``: an invoice linked here later takes its allocation over from
``allocated_in_xero`` without counting it twice); once they are, it is set
(``follow_elsewhere``).

A refund of the credit note paid out in Xero (a payment of the credit note there) uses the
credit too: the credit note here keeps the sum of those Xero holds now as
``refunded_in_xero``, lowered and set alongside ``allocated_in_xero``; a refund deleted in
Xero gives its credit back at the next read.
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.settle import drop_events, linked_document
from ledgerlink.xero.inbound.credit_notes import live_allocations, refunded
from ledgerlink.xero.inbound.payments import CREDIT_ALLOCATION
from xero_client import CreditNote as XeroCreditNote


def allocated_elsewhere(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, remote: XeroCreditNote
) -> Decimal:
    """What Xero holds allocated of `remote` to documents that are not here."""
    elsewhere = Decimal(0)
    for allocation in live_allocations(remote):
        settled = allocation.allocation_id and uow.xero_links.find(
            tenant_id, CREDIT_ALLOCATION, allocation.allocation_id
        )
        if settled or (
            allocation.invoice_id
            and linked_document(uow, company_id, tenant_id, allocation.invoice_id) is not None
        ):
            continue  # it is, or is about to be, allocated here
        elsewhere += allocation.amount
    return elsewhere


def free_for_here(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, note: CreditNote, remote: XeroCreditNote
) -> None:
    """Before Xero's allocations of `remote` are settled here: lower ``allocated_in_xero``
    and ``refunded_in_xero`` to what Xero holds now, so that an allocation or a refund
    taken back in Xero, or an allocation whose invoice is linked here now, frees its
    credit for what is settled here."""
    elsewhere = min(note.allocated_in_xero, allocated_elsewhere(uow, company_id, tenant_id, remote))
    paid_out = min(note.refunded_in_xero, refunded(remote))
    note.follow_xero(elsewhere, paid_out)


def follow_elsewhere(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, remote: XeroCreditNote
) -> str | None:
    """Once Xero's allocations of `remote` are settled here: its credit note here takes
    what Xero holds allocated elsewhere as ``allocated_in_xero``, and what it refunded as
    ``refunded_in_xero``; a note when it cannot."""
    xero_id = (remote.credit_note_id or "").lower()
    link = uow.xero_links.find(tenant_id, CreditNote.KIND, xero_id)
    if link is None or link.company_id != company_id:
        return None
    note = uow.credit_notes.get(company_id, UUID(link.entity_id))
    if note is None or note.status is CreditNoteStatus.VOIDED:
        return None
    try:
        note.follow_xero(allocated_elsewhere(uow, company_id, tenant_id, remote), refunded(remote))
    except DomainError as refused:
        uow.rollback()
        name = note.number or xero_id
        return f"Xero's allocations and refunds of credit note {name} not followed here: {refused}"
    drop_events(uow)
    return None
