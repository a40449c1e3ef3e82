"""Suppliers and customers.

A name is unique among the company's suppliers, and among its customers, ignoring case
and surrounding spaces, as Xero's contact names are. A supplier and a customer may share
a name: they are then one Xero contact that the company both buys from and sells to.
"""

from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, func, true
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.catalogue import ReferenceStatus
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import Currency
from ledgerlink.domain.parties import Customer, Party, Supplier
from ledgerlink.store.codec import (
    address_from_json,
    address_to_json,
    contact_people_from_json,
    contact_people_to_json,
)
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.tables import customers, suppliers

P = TypeVar("P", bound=Party)


def active_condition(column: ColumnElement[bool], status: str) -> ColumnElement[bool]:
    """`status` ACTIVE or ARCHIVED as a condition on an `active` flag."""
    if status == ReferenceStatus.ACTIVE:
        return column == true()
    if status == ReferenceStatus.ARCHIVED:
        return column != true()
    raise InvalidValue("status", f"use ACTIVE or ARCHIVED, got {status!r}")


class _PartyRepository(AggregateRepository[P], Generic[P]):
    party_type: type[P]

    def _to_row(self, aggregate: P) -> dict[str, Any]:
        return {
            "name": aggregate.name,
            "contact_number": aggregate.contact_number,
            "email": aggregate.email,
            "phone": aggregate.phone,
            "address": address_to_json(aggregate.address),
            "currency": aggregate.currency,
            "tax_number": aggregate.tax_number,
            "active": aggregate.active,
        }

    def _from_row(self, row: RowMapping) -> P:
        return self.party_type(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            name=row["name"],
            contact_number=row["contact_number"],
            email=row["email"],
            phone=row["phone"],
            address=address_from_json(row["address"]),
            currency=None if row["currency"] is None else Currency(row["currency"]),
            tax_number=row["tax_number"],
            active=row["active"],
        )

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        return active_condition(self.table.c.active, status)

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (self.table.c.name, self.table.c.id)

    def get_by_name(self, company_id: UUID, name: str) -> P | None:
        """The party called `name` (ignoring case), as Xero matches contacts."""
        return self._first(
            self._select(company_id)
            .where(func.lower(self.table.c.name) == name.strip().lower())
            .order_by(self.table.c.id)
        )

    def named_like(self, company_id: UUID, name: str, *, other_than: UUID) -> P | None:
        """Another party of this kind called `name`, ignoring case and surrounding spaces."""
        return self._first(
            self._select(company_id)
            .where(
                func.lower(func.trim(self.table.c.name)) == name.strip().lower(),
                self.table.c.id != other_than,
            )
            .order_by(self.table.c.id)
        )

    def check_name_free(self, party: Party) -> None:
        """Refuse a name another party of this kind has: Xero's contact names are unique.

        Raises:
            DuplicateRecord: on `name`, saying which party has it.
        """
        taken = self.named_like(party.company_id, party.name, other_than=party.id)
        if taken is not None:
            raise DuplicateRecord(self.label, "name", taken.name, f"{self.label} {taken.id}")

    def _check(self, aggregate: P) -> None:
        self.check_name_free(aggregate)

    def get_by_contact_number(self, company_id: UUID, contact_number: str) -> P | None:
        """The party whose contact number (the id in the feeding system) is given."""
        return self._first(
            self._select(company_id)
            .where(self.table.c.contact_number == contact_number)
            .order_by(self.table.c.id)
        )


class SupplierRepository(_PartyRepository[Supplier]):
    table = suppliers
    label = "supplier"
    party_type = Supplier


class CustomerRepository(_PartyRepository[Customer]):
    table = customers
    label = "customer"
    party_type = Customer

    def _to_row(self, aggregate: Customer) -> dict[str, Any]:
        return {
            **super()._to_row(aggregate),
            "contact_people": contact_people_to_json(aggregate.contact_people),
        }

    def _from_row(self, row: RowMapping) -> Customer:
        customer = super()._from_row(row)
        customer.contact_people = contact_people_from_json(row["contact_people"])
        return customer
