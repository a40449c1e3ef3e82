"""Parties documents are made out to, as Xero contacts: suppliers and customers.

A supplier and a customer with one name are one Xero contact (Xero's names are unique):
the second to be created is matched to the first by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from ledgerlink.domain.parties import Customer, Party
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.xero.outbound.contacts import contact_of, customer_json
from xero_client import Contact


class Suppliers:
    kind = "supplier"
    label = "supplier"

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Party]:
        return uow.suppliers.get_many(company_id, ids)

    def to_contact(self, party: Party, *, contact_id: str | None = None) -> Contact:
        return contact_of(party, contact_id=contact_id)

    def left_out(self, party: Party) -> str | None:
        return None


class Customers:
    """Customers as contacts with ``IsCustomer``; inactive here is ``ARCHIVED`` there.

    Their contact people go with them: the first as the contact's primary person, the
    next five as its ``ContactPersons``; the sync log names the people left out.
    """

    kind = "customer"
    label = "customer"

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Party]:
        return uow.customers.get_many(company_id, ids)

    def to_contact(self, party: Party, *, contact_id: str | None = None) -> Contact:
        assert isinstance(party, Customer)
        return customer_json(party, people=party.contact_people, contact_id=contact_id).contact

    def left_out(self, party: Party) -> str | None:
        assert isinstance(party, Customer)
        return customer_json(party, people=party.contact_people).note
