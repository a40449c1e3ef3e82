"""A customer's overpayment or prepayment made in Xero: what is not allocated of it is store
credit here.

An overpayment (``RECEIVE-OVERPAYMENT``) or prepayment (``RECEIVE-PREPAYMENT``) received
from a contact linked to a customer here becomes one store credit of its total, linked to
it so it is made once; what Xero has allocated of it (total − ``RemainingCredit``) is
what is used, so an allocation made or taken back in Xero moves it, and one voided in
Xero leaves nothing to use. The allocations themselves pay the sales invoices here as
payments (``settle.py``). Nothing is sent back to Xero.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ledgerlink.domain.credits import StoreCredit
from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.domain.money import Currency
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.xero_credit import CreditTerms, keep_credit
from ledgerlink.xero.inbound.payments import GONE
from xero_client import Overpayment, Prepayment

RECEIVED = {"RECEIVE-OVERPAYMENT", "RECEIVE-PREPAYMENT"}
TERMS = CreditTerms(StoreCredit.KIND, party="customer", toward="from", kept_as="store credit")


def apply_customer_credit(
    uow: SqlUnitOfWork,
    company_id: UUID,
    tenant_id: str,
    remote: Overpayment | Prepayment,
    today: dt.date,
) -> str | None:
    """Make or follow the store credit of one overpayment or prepayment; a note when not."""
    if isinstance(remote, Overpayment):
        xero_id, what = (remote.overpayment_id or "").lower(), "overpayment"
    else:
        xero_id, what = (remote.prepayment_id or "").lower(), "prepayment"
    total, remaining = remote.total, remote.remaining_credit
    if (remote.type or "").upper() not in RECEIVED or not xero_id or total is None:
        return None  # one paid to a supplier is no store credit of a customer
    gone = (remote.status or "").upper() in GONE
    if uow.xero_links.find(tenant_id, CREDIT_USE, xero_id) is not None:
        return None  # sent from here (``overpayments: xero_overpayment``): its credit is here

    def follow(credit_id: UUID) -> bool:
        credit = uow.store_credits.get(company_id, credit_id)
        if credit is None:
            return False
        credit.match_used(credit.amount if gone else total - (remaining or 0))
        return True

    def make(customer_id: UUID, currency: Currency) -> StoreCredit:
        credit = StoreCredit(
            company_id=company_id,
            customer_id=customer_id,
            date=remote.date or today,
            amount=total,
            currency=currency,
            amount_used=total - (remaining if remaining is not None else total),
        )
        uow.store_credits.add(credit)
        return credit

    return keep_credit(
        uow, company_id, tenant_id, remote, terms=TERMS, xero_id=xero_id,
        what=what, gone=gone, follow=follow, make=make,
    )  # fmt: skip
