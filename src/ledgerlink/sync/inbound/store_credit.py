"""A customer's overpayment made in Xero: what is not allocated of it is store credit here.

An overpayment received from a contact linked to a customer here becomes one store
credit of its total, linked to it so it is made once; what Xero has allocated of it
(total − ``RemainingCredit``) is what is used, so an allocation made or taken back in
Xero moves it, and one voided in Xero leaves nothing to use. The allocations themselves
pay the sales invoices here as payments (``settle.py``). Nothing is sent back to Xero.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ledgerlink.domain.credits import StoreCredit
from ledgerlink.domain.errors import DomainError
from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.domain.money import Currency
from ledgerlink.store.errors import StoreError
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.settle import drop_events
from ledgerlink.xero.inbound.payments import GONE
from xero_client import Overpayment

RECEIVED = "RECEIVE-OVERPAYMENT"


def apply_overpayment(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, remote: Overpayment, today: dt.date
) -> str | None:
    """Make or follow the store credit of one overpayment; returns a note when not."""
    xero_id = (remote.overpayment_id or "").lower()
    total, remaining = remote.total, remote.remaining_credit
    if (remote.type or "").upper() != RECEIVED or not xero_id or total is None:
        return None  # one paid to a supplier is no store credit of a customer
    gone = (remote.status or "").upper() in GONE
    if uow.xero_links.find(tenant_id, CREDIT_USE, xero_id) is not None:
        return None  # sent from here (``overpayments: xero_overpayment``): its credit is here
    link = uow.xero_links.find(tenant_id, StoreCredit.KIND, xero_id)
    try:
        if link is not None:
            if link.company_id != company_id:
                return f"Xero overpayment {xero_id} belongs to another company"
            credit = uow.store_credits.get(company_id, UUID(link.entity_id))
            if credit is not None:
                credit.match_used(credit.amount if gone else total - (remaining or 0))
                drop_events(uow)
            return None
        if gone or total <= 0:
            return None
        contact_id = (remote.contact.contact_id if remote.contact else None) or ""
        customer = uow.xero_links.find(tenant_id, "customer", contact_id.lower())
        if customer is None or customer.company_id != company_id:
            return (
                f"Xero overpayment {xero_id} is from contact {contact_id}, who is no customer "
                "here: import them, then pull again"
            )
        if not remote.currency_code:
            return f"Xero overpayment {xero_id} names no currency; not kept as store credit"
        credit = StoreCredit(
            company_id=company_id,
            customer_id=UUID(customer.entity_id),
            date=remote.date or today,
            amount=total,
            currency=Currency(remote.currency_code),
            amount_used=total - (remaining if remaining is not None else total),
        )
        uow.store_credits.add(credit)
        uow.xero_links.upsert(
            company_id, StoreCredit.KIND, credit.id, tenant_id=tenant_id, xero_id=xero_id,
            xero_number=None, synced_version=credit.version,
        )  # fmt: skip
    except (DomainError, StoreError) as refused:
        uow.rollback()
        return f"Xero overpayment {xero_id} not kept as store credit: {refused}"
    drop_events(uow)
    return None
