"""Items (products and services), unique by code within a company."""

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.catalogue import Item
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.repositories.parties import active_condition
from ledgerlink.store.tables import items

_ITEM_FIELDS = (
    "code",
    "name",
    "description",
    "purchase_description",
    "purchase_price",
    "purchase_account_code",
    "purchase_tax_type",
    "sales_price",
    "sales_account_code",
    "sales_tax_type",
    "is_tracked_as_inventory",
    "inventory_asset_account_code",
    "active",
    "category",
)


class ItemRepository(AggregateRepository[Item]):
    table = items
    label = "item"
    unique_fields = ("code",)

    def _to_row(self, aggregate: Item) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in _ITEM_FIELDS}

    def _from_row(self, row: RowMapping) -> Item:
        return Item(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            **{name: row[name] for name in _ITEM_FIELDS},
        )

    def _status_condition(self, status: str) -> ColumnElement[bool]:
        return active_condition(items.c.active, status)

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (items.c.code,)

    def get_by_code(self, company_id: UUID, code: str) -> Item | None:
        """The item with `code` (Xero matches items on code first)."""
        return self._first(self._select(company_id).where(items.c.code == code.strip()))
