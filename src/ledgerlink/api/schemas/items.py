"""Items (products)."""

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from ledgerlink.api.schemas.common import AccountCode, Code, Number, Public, Strict, Text

ItemCode = Annotated[str, Field(max_length=30)]
ItemName = Annotated[str, Field(max_length=50)]
ItemCategory = Annotated[
    str,
    Field(
        max_length=100,
        description="The product's category: with the setting product_category_tracking, "
        "its sales lines get the Xero tracking option of this name",
    ),
]


class ItemCreate(Strict):
    code: ItemCode
    name: ItemName
    description: Text | None = None
    purchase_description: Text | None = None
    purchase_price: Number | None = None
    purchase_account_code: AccountCode | None = None
    purchase_tax_type: Code | None = None
    sales_price: Number | None = None
    sales_account_code: AccountCode | None = None
    sales_tax_type: Code | None = None
    is_tracked_as_inventory: bool = False
    inventory_asset_account_code: AccountCode | None = None
    category: ItemCategory | None = None


class ItemUpdate(Strict):
    code: ItemCode | None = None
    name: ItemName | None = None
    description: Text | None = None
    purchase_description: Text | None = None
    purchase_price: Number | None = None
    purchase_account_code: AccountCode | None = None
    purchase_tax_type: Code | None = None
    sales_price: Number | None = None
    sales_account_code: AccountCode | None = None
    sales_tax_type: Code | None = None
    is_tracked_as_inventory: bool | None = None
    inventory_asset_account_code: AccountCode | None = None
    active: bool | None = None
    category: ItemCategory | None = None


class ItemPublic(Public):
    id: UUID
    code: str
    name: str
    description: str | None
    purchase_description: str | None
    purchase_price: Decimal | None
    purchase_account_code: str | None
    purchase_tax_type: str | None
    sales_price: Decimal | None
    sales_account_code: str | None
    sales_tax_type: str | None
    is_tracked_as_inventory: bool
    inventory_asset_account_code: str | None
    active: bool
    category: str | None
    version: int
