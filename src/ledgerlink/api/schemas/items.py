"""Items (products)."""

from decimal import Decimal
from uuid import UUID

from ledgerlink.api.schemas.common import Public, Strict


class ItemCreate(Strict):
    code: str
    name: str
    description: str | None = None
    purchase_description: str | None = None
    purchase_price: Decimal | None = None
    purchase_account_code: str | None = None
    purchase_tax_type: str | None = None
    sales_price: Decimal | None = None
    sales_account_code: str | None = None
    sales_tax_type: str | None = None
    is_tracked_as_inventory: bool = False
    inventory_asset_account_code: str | None = None


class ItemUpdate(Strict):
    code: str | None = None
    name: str | None = None
    description: str | None = None
    purchase_description: str | None = None
    purchase_price: Decimal | None = None
    purchase_account_code: str | None = None
    purchase_tax_type: str | None = None
    sales_price: Decimal | None = None
    sales_account_code: str | None = None
    sales_tax_type: str | None = None
    is_tracked_as_inventory: bool | None = None
    inventory_asset_account_code: str | None = None
    active: bool | None = None


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
    version: int
