"""A credit here made from a Xero overpayment or prepayment, and kept in line with it.

Customer store credit (``store_credit.py``) and supplier credit (``supplier_credit.py``)
come from Xero the same way: one linked already follows what Xero has allocated of it
(or its voiding), one not yet linked is made for the contact's customer or supplier here
and linked so it is made once. Each refusal comes back as a note naming the Xero record
and the fix; what failed is rolled back. Nothing of it is sent to Xero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import DomainError
from ledgerlink.domain.money import Currency
from ledgerlink.store.errors import StoreError
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.settle import drop_events
from xero_client import Overpayment, Prepayment


@dataclass(frozen=True, slots=True)
class CreditTerms:
    """How one kind of credit is kept: its link kind, whose it is, the words of its notes."""

    kind: str
    #: The link kind of the contact's party here: ``customer`` or ``supplier``.
    party: str
    #: How the money went: ``from`` a customer, ``to`` a supplier.
    toward: str
    #: What it is called here, e.g. ``store credit``.
    kept_as: str


def keep_credit(
    uow: SqlUnitOfWork,
    company_id: UUID,
    tenant_id: str,
    remote: Overpayment | Prepayment,
    *,
    terms: CreditTerms,
    xero_id: str,
    what: str,
    gone: bool,
    follow: Callable[[UUID], bool],
    make: Callable[[UUID, Currency], Aggregate],
) -> str | None:
    """Follow or make the credit of one Xero `what` (`xero_id`); a note when not.

    `follow` moves the credit here with the given id in line with Xero (False: none is
    here); `make` builds and adds a new one for the party with the given id.
    """
    total = remote.total
    link = uow.xero_links.find(tenant_id, terms.kind, xero_id)
    try:
        if link is not None:
            if link.company_id != company_id:
                return f"Xero {what} {xero_id} belongs to another company"
            if follow(UUID(link.entity_id)):
                drop_events(uow)
            return None
        if gone or total is None or total <= 0:
            return None
        contact_id = (remote.contact.contact_id if remote.contact else None) or ""
        party = uow.xero_links.find(tenant_id, terms.party, contact_id.lower())
        if party is None or party.company_id != company_id:
            return (
                f"Xero {what} {xero_id} is {terms.toward} contact {contact_id}, who is no "
                f"{terms.party} here: import them, then pull again"
            )
        if not remote.currency_code:
            return f"Xero {what} {xero_id} names no currency; not kept as {terms.kept_as}"
        credit = make(UUID(party.entity_id), Currency(remote.currency_code))
        uow.xero_links.upsert(
            company_id, terms.kind, credit.id, tenant_id=tenant_id, xero_id=xero_id,
            xero_number=None, synced_version=credit.version,
        )  # fmt: skip
    except (DomainError, StoreError) as refused:
        uow.rollback()
        return f"Xero {what} {xero_id} not kept as {terms.kept_as}: {refused}"
    drop_events(uow)
    return None
