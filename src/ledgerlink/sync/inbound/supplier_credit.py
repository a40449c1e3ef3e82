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

from ledgerlink.domain.money import ZERO, Currency
from ledgerlink.domain.supplier_credit import SupplierCredit, SupplierCreditSource
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.xero_credit import CreditTerms, keep_credit
from ledgerlink.xero.inbound.payments import GONE
from xero_client import Overpayment, Prepayment

SPENT = {"SPEND-OVERPAYMENT": SupplierCreditSource.OVERPAYMENT,
         "SPEND-PREPAYMENT": SupplierCreditSource.PREPAYMENT}  # fmt: skip
TERMS = CreditTerms(SupplierCredit.KIND, party="supplier", toward="to", kept_as="supplier credit")


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
    if gone:  # Xero leaves no RemainingCredit on a voided one: it was used as it allocated
        used = sum((a.amount or ZERO for a in remote.allocations if not a.is_deleted), ZERO)
    else:
        used = total - (remaining if remaining is not None else total)

    def follow(credit_id: UUID) -> bool:
        credit = uow.supplier_credits.get(company_id, credit_id)
        if credit is None:
            return False
        credit.follow(min(max(used, ZERO), credit.amount), voided=gone)
        return True

    def make(supplier_id: UUID, currency: Currency) -> SupplierCredit:
        credit = SupplierCredit(
            company_id=company_id,
            supplier_id=supplier_id,
            source=source,
            date=remote.date or today,
            amount=total,
            currency=currency,
            amount_used=used,
            reference=(remote.reference or "").strip()[:255] or None,
        )
        uow.supplier_credits.add(credit)
        return credit

    return keep_credit(
        uow, company_id, tenant_id, remote, terms=TERMS, xero_id=xero_id,
        what=what, gone=gone, follow=follow, make=make,
    )  # fmt: skip
