"""Tracked inventory: a tracked item's quantity on hand and value move with the approved
bills, sales invoices and credit notes whose lines name its code, as Xero moves them.

A purchase (``ACCPAY``) adds its quantity and line amount; a supplier credit note
(``ACCPAYCREDIT``) takes them off; a sales invoice (``ACCREC``) takes its quantity off at
the item's average cost; a customer credit note (``ACCRECCREDIT``) puts it back. Only an
AUTHORISED or PAID document counts: approving moves the stock, voiding moves it back.
This is also how Xero's guide adjusts inventory (a zero-total bill or supplier credit
note of the item line and an inventory adjustment line).
"""

from decimal import Decimal

from xero_sandbox.accounting.items import item_by_code
from xero_sandbox.accounting.ledger import Ledger, Record

#: How each document type moves quantity on hand.
SIGNS = {"ACCPAY": 1, "ACCPAYCREDIT": -1, "ACCREC": -1, "ACCRECCREDIT": 1}
PURCHASES = frozenset({"ACCPAY", "ACCPAYCREDIT"})
COUNTED = frozenset({"AUTHORISED", "PAID"})

Moves = dict[str, tuple[Decimal, Decimal | None]]


def stock_moves(ledger: Ledger, record: Record) -> Moves:
    """Quantity (and, on purchases, value) ``record`` adds to each tracked item, by code."""
    sign = SIGNS.get(str(record.get("Type")))
    if sign is None or record.get("Status") not in COUNTED:
        return {}
    moves: Moves = {}
    for line in record.get("LineItems") or []:
        code = line.get("ItemCode")
        item = item_by_code(ledger, code) if code else None
        if item is None or not item.get("IsTrackedAsInventory"):
            continue
        quantity = Decimal(line.get("Quantity") or 0) * sign
        value = None
        if record["Type"] in PURCHASES:
            value = Decimal(line.get("LineAmount") or 0) * sign
        was_quantity, was_value = moves.get(item["Code"], (Decimal(0), None))
        if value is not None:
            value += was_value or 0
        moves[item["Code"]] = (was_quantity + quantity, value if value is not None else was_value)
    return moves


def move_stock(ledger: Ledger, before: Moves, after: Moves) -> None:
    """Apply what a document's save changed: ``after`` less ``before``."""
    none: tuple[Decimal, Decimal | None] = (Decimal(0), None)
    for code in dict.fromkeys([*before, *after]):
        item = item_by_code(ledger, code)
        if item is None:
            continue
        was, now = before.get(code, none), after.get(code, none)
        quantity = now[0] - was[0]
        on_hand = Decimal(item.get("QuantityOnHand") or 0)
        pool = Decimal(item.get("TotalCostPool") or 0)
        if was[1] is not None or now[1] is not None:
            value = (now[1] or Decimal(0)) - (was[1] or Decimal(0))
        elif on_hand > 0:
            value = (pool / on_hand * quantity).quantize(Decimal("0.01"))
        else:
            value = Decimal(0)
        item["QuantityOnHand"] = on_hand + quantity
        item["TotalCostPool"] = pool + value
