"""Parties documents are made out to, as Xero contacts: suppliers today."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from uuid import UUID

from ledgerlink.domain.parties import Party
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.xero.outbound.contacts import contact_of
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
