"""Products as Xero items.

================================  ===========================================
ours                              Xero
================================  ===========================================
``code`` / ``name``               ``Code`` (30) / ``Name`` (50)
``description``                   ``Description`` (on sales)
``purchase_description``          ``PurchaseDescription``
``sales_*``                       ``SalesDetails`` (``UnitPrice``, ``AccountCode``,
                                  ``TaxType``); ``IsSold``
``purchase_*``                    ``PurchaseDetails``; ``IsPurchased``. On an item
                                  tracked as inventory the purchase account is the
                                  cost of goods sold account (``COGSAccountCode``):
                                  Xero takes no ``AccountCode`` there
``inventory_asset_account_code``  ``InventoryAssetAccountCode`` (makes the item
                                  tracked: ``IsTrackedAsInventory``)
================================  ===========================================
"""

from __future__ import annotations

from ledgerlink.domain.catalogue import Item
from ledgerlink.xero.outbound.lines import places
from xero_client import Item as XeroItem
from xero_client import ItemPrice


def item_json(item: Item, *, xero_id: str | None = None) -> XeroItem:
    """The item as Xero reads it; with ``xero_id`` it updates that item."""
    sales = (
        ItemPrice(
            unit_price=item.sales_price,
            account_code=item.sales_account_code,
            tax_type=item.sales_tax_type,
        )
        if item.is_sold
        else None
    )
    purchase = None
    if item.is_purchased or item.is_tracked_as_inventory:
        tracked = item.is_tracked_as_inventory
        purchase = ItemPrice(
            unit_price=item.purchase_price,
            account_code=None if tracked else item.purchase_account_code,
            cogs_account_code=item.purchase_account_code if tracked else None,
            tax_type=item.purchase_tax_type,
        )
    return XeroItem(
        item_id=xero_id,
        code=item.code,
        name=item.name,
        description=item.description,
        purchase_description=item.purchase_description,
        is_sold=item.is_sold,
        is_purchased=item.is_purchased or item.is_tracked_as_inventory,
        is_tracked_as_inventory=True if item.is_tracked_as_inventory else None,
        inventory_asset_account_code=(
            item.inventory_asset_account_code if item.is_tracked_as_inventory else None
        ),
        sales_details=sales,
        purchase_details=purchase,
    )


def item_unitdp(item: Item) -> int | None:
    """Xero's ``unitdp`` for writing ``item``: 4 when a price has more than 2 dp."""
    prices = (p for p in (item.sales_price, item.purchase_price) if p is not None)
    return 4 if any(places(price) > 2 for price in prices) else None
