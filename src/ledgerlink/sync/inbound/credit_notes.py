"""Credit notes made, changed or voided in Xero become, or change, credit notes here.

A credit note Xero holds as AUTHORISED or PAID that is linked to nothing here is made
here, approved, for the supplier or customer linked to its contact, and linked so it is
never sent back. One voided or deleted in Xero is voided here. Its allocations to
linked bills and sales invoices are applied as settlements (``settle.py``), which also
use the credit here; what Xero allocated of it to documents not here is kept apart as
``allocated_in_xero``, counted again each time it is read (``credit_elsewhere.py``).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.errors import StoreError
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.credit_elsewhere import free_for_here
from ledgerlink.sync.inbound.settle import drop_events
from ledgerlink.xero.inbound.credit_notes import (
    ENDED,
    PARTY_KINDS,
    STANDING,
    credit_note_from_xero,
)
from xero_client import CreditNote as XeroCreditNote

CREDIT_NOTE = CreditNote.KIND
#: What else reaches Xero as a credit note: linked under its own kind, never made here again.
SENT_AS_CREDIT_NOTES = (Refund.KIND, StoreCredit.KIND)
VOIDABLE = frozenset({CreditNoteStatus.DRAFT, CreditNoteStatus.APPROVED})


def _rates(uow: SqlUnitOfWork, company_id: UUID) -> dict[str, Decimal]:
    return {rate.tax_type: rate.rate for rate in uow.tax_rates.list(company_id, limit=1000)}


def apply_credit_note(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, remote: XeroCreditNote
) -> str | None:
    """Make or change the credit note here; returns a note when nothing changed."""
    status = (remote.status or "").upper()
    xero_id = (remote.credit_note_id or "").lower()
    if any(uow.xero_links.find(tenant_id, kind, xero_id) for kind in SENT_AS_CREDIT_NOTES):
        return None  # a refund or store credit sent from here: it stays as it is here
    link = uow.xero_links.find(tenant_id, CREDIT_NOTE, xero_id)
    if link is not None:
        if link.company_id != company_id:
            return f"Xero credit note {xero_id} belongs to another company"
        note = uow.credit_notes.get(company_id, UUID(link.entity_id))
        if note is None or note.status is CreditNoteStatus.VOIDED:
            return None
        free_for_here(uow, company_id, tenant_id, note, remote)
        drop_events(uow)
        if status not in ENDED:
            return None
        if note.status not in VOIDABLE:
            return f"Xero voided credit note {xero_id}, which is allocated here; not voided"
        note.void()
        drop_events(uow)
        return None
    if status not in STANDING:
        return None  # a draft in Xero is no credit yet; a voided one never reached here
    imported = credit_note_from_xero(remote, _rates(uow, company_id))
    if imported is None:
        return f"Xero credit note {xero_id} names no contact, type or date; not made here"
    party_kind = PARTY_KINDS[imported.kind]
    party = uow.xero_links.find(tenant_id, party_kind, imported.contact_id)
    if party is None or party.company_id != company_id:
        return (
            f"Xero credit note {xero_id} is for contact {imported.contact_id}, which is no "
            f"{party_kind} here: import it, then pull again"
        )
    try:
        note = CreditNote(
            company_id=company_id,
            party_id=UUID(party.entity_id),
            status=CreditNoteStatus.APPROVED,
            **imported.fields,
        )
        uow.credit_notes.add(note)
        uow.xero_links.upsert(
            company_id,
            CREDIT_NOTE,
            note.id,
            tenant_id=tenant_id,
            xero_id=xero_id,
            xero_number=remote.credit_note_number,
            synced_version=note.version,
        )
    except (DomainError, StoreError) as refused:
        uow.rollback()
        return f"Xero credit note {xero_id} not made here: {refused}"
    drop_events(uow)
    if imported.total is not None and imported.total != note.total:
        name = note.number or xero_id
        return f"credit note {name} totals {note.total} here, {imported.total} in Xero"
    return None
