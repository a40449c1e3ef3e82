"""Reference data imported from Xero: accounts, tax rates and tracking categories.

These are plain values in the domain (no id, no version), kept per company under their
natural key: the account code, the tax type, the tracking category name.
"""

import builtins
from abc import ABC, abstractmethod
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Column, Table, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.catalogue import (
    Account,
    AccountClass,
    ReferenceStatus,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
)
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.repositories.aggregates import DEFAULT_PAGE_SIZE, check_page
from ledgerlink.store.tables import accounts, tax_rates, tracking_categories

V = TypeVar("V")


class ReferenceRepository(ABC, Generic[V]):
    """Values of one kind per company, by natural key; `save` adds or replaces."""

    table: ClassVar[Table]
    label: ClassVar[str]
    key: ClassVar[str]

    def __init__(self, session: Session) -> None:
        self._session = session

    @abstractmethod
    def _to_row(self, value: V) -> dict[str, Any]:
        """Every column but company_id, the key included."""

    @abstractmethod
    def _from_row(self, row: RowMapping) -> V:
        """The value stored in `row`."""

    @property
    def _key_column(self) -> Column[Any]:
        return self.table.c[self.key]

    def add(self, company_id: UUID, value: V) -> None:
        """Store a value whose key is new in the company (else `DuplicateRecord`)."""
        row = self._to_row(value)
        if self.get(company_id, row[self.key]) is not None:
            raise DuplicateRecord(self.label, self.key, row[self.key])
        self._session.execute(self.table.insert().values(company_id=company_id, **row))

    def save(self, company_id: UUID, value: V) -> None:
        """Store the value, replacing the one with the same key (as an import does)."""
        row = self._to_row(value)
        result = self._session.execute(
            self.table.update()
            .where(self.table.c.company_id == company_id, self._key_column == row[self.key])
            .values(**row)
        )
        if rowcount(result) == 0:
            self._session.execute(self.table.insert().values(company_id=company_id, **row))

    def get(self, company_id: UUID, key: str) -> V | None:
        row = (
            self._session.execute(
                select(self.table).where(
                    self.table.c.company_id == company_id, self._key_column == key
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else self._from_row(row)

    def list(
        self,
        company_id: UUID,
        *,
        status: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        offset: int = 0,
    ) -> builtins.list[V]:
        """One page of the company's values by key, optionally of one status."""
        check_page(limit, offset)
        query = self._where(select(self.table), company_id, status).order_by(self._key_column)
        rows = self._session.execute(query.limit(limit).offset(offset)).mappings()
        return [self._from_row(row) for row in rows]

    def count(self, company_id: UUID, *, status: str | None = None) -> int:
        query = self._where(select(func.count()).select_from(self.table), company_id, status)
        return int(self._session.execute(query).scalar_one())

    def _where(self, query: Any, company_id: UUID, status: str | None) -> Any:
        query = query.where(self.table.c.company_id == company_id)
        if status is None:
            return query
        allowed = [member.value for member in ReferenceStatus]
        if status not in allowed:
            raise InvalidValue("status", f"use one of {', '.join(allowed)}, got {status!r}")
        return query.where(self.table.c.status == status)


class AccountRepository(ReferenceRepository[Account]):
    table = accounts
    label = "account"
    key = "code"

    def _to_row(self, value: Account) -> dict[str, Any]:
        return {
            "code": value.code,
            "name": value.name,
            "type": value.type,
            "account_class": value.account_class.value,
            "status": value.status.value,
            "tax_type": value.tax_type,
            "xero_id": value.xero_id,
        }

    def _from_row(self, row: RowMapping) -> Account:
        return Account(
            code=row["code"],
            name=row["name"],
            type=row["type"],
            account_class=AccountClass(row["account_class"]),
            status=ReferenceStatus(row["status"]),
            tax_type=row["tax_type"],
            xero_id=row["xero_id"],
        )


class TaxRateRepository(ReferenceRepository[TaxRate]):
    table = tax_rates
    label = "tax rate"
    key = "tax_type"

    def _to_row(self, value: TaxRate) -> dict[str, Any]:
        return {
            "tax_type": value.tax_type,
            "name": value.name,
            "rate": value.rate,
            "components": [
                {
                    "name": component.name,
                    "rate": str(component.rate),
                    "is_compound": component.is_compound,
                    "is_non_recoverable": component.is_non_recoverable,
                }
                for component in value.components
            ],
            "applies_to": sorted(member.value for member in value.applies_to),
            "status": value.status.value,
        }

    def _from_row(self, row: RowMapping) -> TaxRate:
        return TaxRate(
            tax_type=row["tax_type"],
            name=row["name"],
            rate=row["rate"],
            components=tuple(
                TaxComponent(
                    name=component["name"],
                    rate=Decimal(component["rate"]),
                    is_compound=component["is_compound"],
                    is_non_recoverable=component["is_non_recoverable"],
                )
                for component in row["components"]
            ),
            applies_to=frozenset(AccountClass(member) for member in row["applies_to"]),
            status=ReferenceStatus(row["status"]),
        )

    def rates(self, company_id: UUID) -> dict[str, Decimal]:
        """The effective rate of every active tax type (for `with_tax_rates`)."""
        rows = self._session.execute(
            select(tax_rates.c.tax_type, tax_rates.c.rate).where(
                tax_rates.c.company_id == company_id,
                tax_rates.c.status == ReferenceStatus.ACTIVE.value,
            )
        )
        return {tax_type: rate for tax_type, rate in rows}


class TrackingCategoryRepository(ReferenceRepository[TrackingCategory]):
    table = tracking_categories
    label = "tracking category"
    key = "name"

    def _to_row(self, value: TrackingCategory) -> dict[str, Any]:
        return {
            "name": value.name,
            "options": [
                {"name": option.name, "status": option.status.value} for option in value.options
            ],
            "status": value.status.value,
            "xero_id": value.xero_id,
        }

    def _from_row(self, row: RowMapping) -> TrackingCategory:
        return TrackingCategory(
            name=row["name"],
            options=tuple(
                TrackingOption(name=option["name"], status=ReferenceStatus(option["status"]))
                for option in row["options"]
            ),
            status=ReferenceStatus(row["status"]),
            xero_id=row["xero_id"],
        )
