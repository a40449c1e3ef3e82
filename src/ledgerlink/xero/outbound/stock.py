"""A stock take as Xero's inventory adjustment (Xero's guide to tracked inventory).

Xero has no adjustment endpoint: a tracked item's quantity on hand moves with the
approved bills, invoices and credit notes whose lines name its code. So a count is sent
as a zero-total purchase document of two lines, ``Quantity`` = the difference:

================================  ===========================================
the count is above Xero's         ``ACCPAY`` invoice (a bill): quantity on hand
quantity on hand                  goes up by the difference
the count is below it             ``ACCPAYCREDIT`` credit note: it goes down
line 1                            ``ItemCode``, the item's inventory asset
                                  account, ``UnitAmount`` = the unit cost
line 2                            the inventory adjustment account (a setting),
                                  ``UnitAmount`` = minus the unit cost
contact                           ``Inventory Adjustments`` (by name: Xero
                                  makes it the first time)
``InvoiceNumber`` /               ``ST-…: the reason`` (what Xero shows as the
``CreditNoteNumber``              reference of a purchase document; the tag is
                                  how it is looked up)
status, amounts                   ``AUTHORISED`` (Xero moves the quantity only
                                  on approval), ``NoTax``
================================  ===========================================
"""

from __future__ import annotations

from decimal import Decimal

from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.stock import StockTake
from xero_client import Contact, Invoice, LineItem, XeroModel
from xero_client import CreditNote as XeroCreditNote

ADJUSTMENTS_CONTACT = "Inventory Adjustments"
NUMBER_MAX_LENGTH = 255


def adjustment_number(take: StockTake) -> str:
    """The number the adjustment carries in Xero: the stock take's tag, then its reason."""
    return f"{take.tag}: {take.reason}"[:NUMBER_MAX_LENGTH]


def adjustment_json(
    take: StockTake, item: Item, *, adjustment_account_code: str, currency: str | None = None
) -> XeroModel:
    """The zero-total ``ACCPAY`` invoice (count above Xero's) or ``ACCPAYCREDIT`` credit
    note (count below) that brings Xero's quantity on hand of ``item`` to the count.

    Raises:
        ValueError: the adjustment is not worked out yet, or is 0 (nothing to send).
    """
    adjustment = take.adjustment
    if adjustment is None or take.unit_cost is None or adjustment == 0:
        raise ValueError(f"stock take {take.tag} has no adjustment to send")
    quantity = abs(adjustment)
    cost = take.unit_cost
    lines = (
        LineItem(
            item_code=item.code,
            description=f"Stock take: {take.reason}",
            quantity=quantity,
            unit_amount=cost,
            account_code=item.inventory_asset_account_code,
        ),
        LineItem(
            description=f"Inventory adjustment: {take.reason}",
            quantity=quantity,
            unit_amount=-cost,
            account_code=adjustment_account_code,
        ),
    )
    contact = Contact(name=ADJUSTMENTS_CONTACT)
    number = adjustment_number(take)
    if adjustment > 0:
        return Invoice(
            type="ACCPAY",
            invoice_number=number,
            contact=contact,
            date=take.date,
            due_date=take.date,
            status="AUTHORISED",
            line_amount_types="NoTax",
            line_items=lines,
            currency_code=currency,
        )
    return XeroCreditNote(
        type="ACCPAYCREDIT",
        credit_note_number=number,
        contact=contact,
        date=take.date,
        status="AUTHORISED",
        line_amount_types="NoTax",
        line_items=lines,
        currency_code=currency,
    )


def unit_cost_of(
    quantity_on_hand: Decimal | None, cost_pool: Decimal | None, purchase_price: Decimal | None
) -> Decimal:
    """The cost per unit an adjustment moves at: Xero's average cost of what it holds,
    else the item's purchase price, else 0 (to the cent)."""
    if quantity_on_hand and quantity_on_hand > 0 and cost_pool and cost_pool > 0:
        return (cost_pool / quantity_on_hand).quantize(Decimal("0.01"))
    return (purchase_price or Decimal(0)).quantize(Decimal("0.01"))
