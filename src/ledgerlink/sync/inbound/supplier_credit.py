"""An overpayment or prepayment made to a supplier in Xero: its rest is supplier credit here.

Xero holds money paid to a supplier beyond its bills (``SPEND-OVERPAYMENT``) or before
them (``SPEND-PREPAYMENT``) as a credit to allocate to the supplier's bills. One made to
a contact linked to a supplier here becomes one supplier credit of its total, linked to
it so it is made once; what Xero has allocated of it (total − ``RemainingCredit``) is
what is used, so an allocation made or taken back in Xero moves it, and one voided in
Xero is voided here. The allocations themselves pay the bills here as payments
(``settle.py``), as a customer's overpayment pays sales invoices (``store_credit.py``).
Nothing of it is sent to Xero.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ledgerlink.domain.errors import DomainError
from ledgerlink.domain.money import ZERO, Currency
from ledgerlink.domain.supplier_credit import SupplierCredit, SupplierCreditSource
from ledgerlink.store.errors import StoreError
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.settle import drop_events
from ledgerlink.xero.inbound.payments import GONE
from xero_client import Overpayment, Prepayment

SPENT = {"SPEND-OVERPAYMENT": SupplierCreditSource.OVERPAYMENT,
         "SPEND-PREPAYMENT": SupplierCreditSource.PREPAYMENT}  # fmt: skip


def apply_supplier_credit(
    uow: SqlUnitOfWork,
    company_id: UUID,
    tenant_id: str,
    remote: Overpayment | Prepayment,
    today: dt.date,
) -> str | None:
    """Make or follow the supplier credit of one overpayment or prepayment; a note when not."""
    source = SPENT.get((remote.type or "").upper())
    if isinstance(remote, Overpayment):
        xero_id, what = (remote.overpayment_id or "").lower(), "overpayment"
    else:
        xero_id, what = (remote.prepayment_id or "").lower(), "prepayment"
    total, remaining = remote.total, remote.remaining_credit
    if source is None or not xero_id or total is None:
        return None  # one received from a customer is no credit with a supplier
    gone = (remote.status or "").upper() in GONE
    used = total - (remaining if remaining is not None else total)
    link = uow.xero_links.find(tenant_id, SupplierCredit.KIND, xero_id)
    try:
        if link is not None:
            if link.company_id != company_id:
                return f"Xero {what} {xero_id} belongs to another company"
            credit = uow.supplier_credits.get(company_id, UUID(link.entity_id))
            if credit is not None:
                credit.follow(min(max(used, ZERO), credit.amount), voided=gone)
                drop_events(uow)
            return None
        if gone or total <= 0:
            return None
        contact_id = (remote.contact.contact_id if remote.contact else None) or ""
        supplier = uow.xero_links.find(tenant_id, "supplier", contact_id.lower())
        if supplier is None or supplier.company_id != company_id:
            return (
                f"Xero {what} {xero_id} is to contact {contact_id}, who is no supplier here: "
                "import them, then pull again"
            )
        if not remote.currency_code:
            return f"Xero {what} {xero_id} names no currency; not kept as supplier credit"
        credit = SupplierCredit(
            company_id=company_id,
            supplier_id=UUID(supplier.entity_id),
            source=source,
            date=remote.date or today,
            amount=total,
            currency=Currency(remote.currency_code),
            amount_used=used,
            reference=(remote.reference or "").strip()[:255] or None,
        )
        uow.supplier_credits.add(credit)
        uow.xero_links.upsert(
            company_id, SupplierCredit.KIND, credit.id, tenant_id=tenant_id, xero_id=xero_id,
            xero_number=None, synced_version=credit.version,
        )  # fmt: skip
    except (DomainError, StoreError) as refused:
        uow.rollback()
        return f"Xero {what} {xero_id} not kept as supplier credit: {refused}"
    drop_events(uow)
    return None
