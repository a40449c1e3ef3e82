"""Xero items (purchase and inventory items) as items here."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import xero_client as xc
from ledgerlink.domain.catalogue import Item
from ledgerlink.xero.inbound.skips import SkipRecord, required, translated

ITEM_FIELDS = (
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
)
_NOBODY = UUID(int=0)


@dataclass(frozen=True, slots=True)
class ImportedItem:
    """An item read from Xero: the fields of an item here, checked as an item checks them."""

    xero_id: str
    fields: dict[str, Any]
    updated_at: datetime | None

    @property
    def code(self) -> str:
        return str(self.fields["code"])

    @property
    def name(self) -> str:
        return str(self.fields["name"])


def item_from_xero(item: xc.Item) -> ImportedItem:
    """The item's fields; only purchase and inventory items are imported.

    Raises:
        SkipRecord: an item only sold, or a value an item refuses (named in the reason).
    """
    xero_id = required(item.item_id, "ItemID").lower()
    inventory = bool(item.is_tracked_as_inventory)
    purchase = item.purchase_details or xc.ItemPrice()
    sales = item.sales_details or xc.ItemPrice()
    purchased = bool(item.is_purchased) or purchase.account_code is not None
    if not (purchased or inventory):
        raise SkipRecord("only sold, not purchased: purchase and inventory items are imported")

    def build() -> ImportedItem:
        built = Item(
            company_id=_NOBODY,
            code=required(item.code, "item code"),
            name=required(item.name or item.code, "item name"),
            description=item.description or None,
            purchase_description=item.purchase_description or None,
            purchase_price=purchase.unit_price,
            # An inventory item posts purchases to its cost of goods sold account.
            purchase_account_code=purchase.account_code or purchase.cogs_account_code or None,
            purchase_tax_type=purchase.tax_type or None,
            sales_price=sales.unit_price,
            sales_account_code=sales.account_code or None,
            sales_tax_type=sales.tax_type or None,
            is_tracked_as_inventory=inventory,
            inventory_asset_account_code=item.inventory_asset_account_code or None,
        )
        return ImportedItem(
            xero_id=xero_id,
            fields={name: getattr(built, name) for name in ITEM_FIELDS},
            updated_at=item.updated_date_utc,
        )

    return translated(build)
