"""Stock takes of tracked items over HTTP: Xero's quantity on hand becomes the count, by
Xero's own way of adjusting tracked inventory (a zero-total bill or supplier credit note of
the item line and an inventory adjustment line), with the reason on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.integration.sync.bills import ready, supplier
from tests.integration.sync.harness import ExportSetup, export_setup

__all__ = ["export_setup", "ready"]

ADJUSTMENTS = "310"  # the demo chart's Cost of Goods Sold, as the adjustment account


def tracked_item(setup: ExportSetup, code: str = "KETTLE", cost: str = "20.00") -> str:
    body = {
        "code": code,
        "name": code.title(),
        "purchase_price": cost,
        "purchase_account_code": "310",
        "sales_price": "45.00",
        "sales_account_code": "200",
        "is_tracked_as_inventory": True,
        "inventory_asset_account_code": "630",
    }
    return str(setup.post("/items", body, status=201)["id"])


def count(setup: ExportSetup, item_id: str, quantity: str, reason: str, **extra: Any) -> Any:
    body = {
        "item_id": item_id,
        "date": "2026-03-02",
        "counted_quantity": quantity,
        "reason": reason,
        **extra,
    }
    return setup.post("/stock-takes", body, status=201)


async def on_hand(setup: ExportSetup, code: str = "KETTLE") -> Decimal:
    [item] = (await setup.xero("/Items", where=f'Code=="{code}"'))["Items"]
    return Decimal(str(item["QuantityOnHand"]))


async def buy(setup: ExportSetup, item_code: str, quantity: str, number: str) -> None:
    """A bill for ``quantity`` of the tracked item, sent to Xero (its stock goes up)."""
    body = {
        "supplier_id": supplier(setup, f"Supplier {number}"),
        "number": number,
        "invoice_number": number,
        "date": "2026-03-01",
        "due_date": "2026-03-31",
        "currency": "NZD",
        "lines": [
            {
                "description": "Kettles",
                "quantity": quantity,
                "unit_price": "20.00",
                "item_code": item_code,
                "account_code": "630",
                "tax_type": "INPUT2",
            }
        ],
    }
    bill = setup.post("/bills", body, status=201)
    setup.approve(f"/bills/{bill['id']}")
    await setup.run_worker()


async def stocked(setup: ExportSetup, quantity: str, number: str) -> str:
    """The adjustment account set, and a tracked KETTLE bought ``quantity`` times by bill
    ``number`` in Xero; returns the item's id."""
    setup.put("/xero/settings", {"inventory_adjustment_account_code": ADJUSTMENTS})
    item_id = tracked_item(setup)
    await buy(setup, "KETTLE", quantity, number)
    return item_id


async def counted(setup: ExportSetup, item_id: str, quantity: str, reason: str) -> Any:
    """A count the worker has handled, as the API shows it then."""
    take = count(setup, item_id, quantity, reason)
    await setup.run_worker()
    return setup.get(f"/stock-takes/{take['id']}")


async def test_a_count_above_xeros_quantity_goes_as_a_zero_total_bill_with_the_reason(
    ready: ExportSetup,
) -> None:
    item_id = await stocked(ready, "5", "SUP-1")
    assert await on_hand(ready) == 5

    shown = await counted(ready, item_id, "8", "Found 3 in the back room")

    assert await on_hand(ready) == 8
    assert (Decimal(shown["on_hand_in_xero"]), Decimal(shown["adjustment"])) == (5, 3)
    assert shown["sync"]["state"] == "sent"
    bill = (await ready.xero(f"/Invoices/{shown['sync']['xero_id']}"))["Invoices"][0]
    # sent AUTHORISED; a zero-total bill is PAID in Xero at once
    assert (bill["Type"], bill["Status"]) == ("ACCPAY", "PAID")
    assert bill["Contact"]["Name"] == "Inventory Adjustments"
    assert Decimal(str(bill["Total"])) == 0
    assert bill["InvoiceNumber"].endswith(": Found 3 in the back room")
    item_line, adjustment_line = bill["LineItems"]
    assert (item_line["ItemCode"], item_line["AccountCode"]) == ("KETTLE", "630")
    assert Decimal(str(item_line["Quantity"])) == 3
    assert Decimal(str(item_line["UnitAmount"])) == Decimal("20.00")  # Xero's average cost
    assert adjustment_line["AccountCode"] == ADJUSTMENTS
    assert Decimal(str(adjustment_line["UnitAmount"])) == Decimal("-20.00")


async def test_a_count_below_goes_as_a_supplier_credit_note_and_an_equal_one_as_nothing(
    ready: ExportSetup,
) -> None:
    item_id = await stocked(ready, "10", "SUP-2")

    shown = await counted(ready, item_id, "7.5", "Damaged in transit")

    assert await on_hand(ready) == Decimal("7.5")
    assert Decimal(shown["adjustment"]) == Decimal("-2.5")
    note = (await ready.xero(f"/CreditNotes/{shown['sync']['xero_id']}"))["CreditNotes"][0]
    assert (note["Type"], note["Status"]) == ("ACCPAYCREDIT", "PAID")
    assert note["CreditNoteNumber"].endswith(": Damaged in transit")

    shown = await counted(ready, item_id, "7.5", "Monthly count")

    assert Decimal(shown["adjustment"]) == 0
    assert (shown["sync"]["state"], shown["sync"]["xero_id"]) == ("sent", None)
    log = ready.get(f"/sync/stock_take/{shown['id']}")["log"]
    assert "nothing to adjust" in log[-1]["answer"]
    assert await on_hand(ready) == Decimal("7.5")


async def test_two_counts_of_one_item_go_in_date_order_each_from_the_last(
    ready: ExportSetup,
) -> None:
    item_id = await stocked(ready, "4", "SUP-3")

    later = count(ready, item_id, "2", "Recount", date="2026-03-03")
    first = count(ready, item_id, "6", "Count")
    await ready.run_worker()

    assert await on_hand(ready) == 2
    assert Decimal(ready.get(f"/stock-takes/{first['id']}")["adjustment"]) == 2
    assert Decimal(ready.get(f"/stock-takes/{later['id']}")["adjustment"]) == -4


async def test_an_untracked_items_count_is_refused_with_the_reason(ready: ExportSetup) -> None:
    item = ready.post("/items", {"code": "SERVICE", "name": "Service"}, status=201)

    answer = ready.api.post(
        ready.url("/stock-takes"),
        json={
            "item_id": item["id"],
            "date": "2026-03-02",
            "counted_quantity": "3",
            "reason": "Count",
        },
    )

    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert "not tracked as inventory" in answer.text
    assert "item_id" in str(problem)
    assert ready.get("/stock-takes")["count"] == 0


async def test_without_an_adjustment_account_the_count_fails_with_the_fix_then_goes(
    ready: ExportSetup,
) -> None:
    item_id = tracked_item(ready)
    shown = await counted(ready, item_id, "4", "Opening count")

    assert shown["sync"]["state"] == "failed"
    assert "inventory_adjustment_account_code" in shown["sync"]["fix"]
    assert await on_hand(ready) == 0

    ready.put("/xero/settings", {"inventory_adjustment_account_code": ADJUSTMENTS})
    ready.post(f"/sync/stock_take/{shown['id']}/retry")
    await ready.run_worker()

    assert await on_hand(ready) == 4
    assert ready.get(f"/stock-takes/{shown['id']}")["sync"]["state"] == "sent"


async def test_a_sales_invoice_and_a_customer_credit_note_move_xeros_quantity(
    ready: ExportSetup,
) -> None:
    tracked_item(ready, "LAMP")
    await buy(ready, "LAMP", "10", "SUP-4")
    customer = ready.post("/customers", {"name": "Harbour Cafe"}, status=201)["id"]
    lines = [
        {
            "description": "Lamp",
            "quantity": "3",
            "unit_price": "45.00",
            "item_code": "LAMP",
            "account_code": "200",
            "tax_type": "OUTPUT2",
        }
    ]
    invoice = ready.post(
        "/invoices",
        {
            "customer_id": customer,
            "number": "INV-1",
            "date": "2026-03-02",
            "due_date": "2026-03-31",
            "currency": "NZD",
            "lines": lines,
        },
        status=201,
    )
    ready.post(f"/invoices/{invoice['id']}/issue")
    await ready.run_worker()
    assert await on_hand(ready, "LAMP") == 7

    ready.post(f"/invoices/{invoice['id']}/void")
    await ready.run_worker()
    assert await on_hand(ready, "LAMP") == 10


async def test_an_adjustment_saved_before_a_500_is_found_by_its_tag_not_sent_twice(
    ready: ExportSetup,
) -> None:
    ready.put("/xero/settings", {"inventory_adjustment_account_code": ADJUSTMENTS})
    item_id = tracked_item(ready)
    await buy(ready, "KETTLE", "5", "SUP-5")
    await ready.control("POST", "/idempotency", {"honour_keys": False})
    fault = {"kind": "error_after_commit", "status": 500, "method": "PUT", "path": "*/Invoices*"}
    await ready.control("POST", "/faults", fault)

    take = count(ready, item_id, "9", "Delivery not booked")
    await ready.run_worker()

    assert await on_hand(ready) == 9  # once: 5 + 4, not 5 + 4 + 4
    log = ready.get(f"/sync/stock_take/{take['id']}")["log"]
    assert [(e["action"], e["outcome"]) for e in log] == [("create", "retry"), ("lookup", "sent")]
    bills = await ready.xero("/Invoices", where='Contact.Name=="Inventory Adjustments"')
    assert len(bills["Invoices"]) == 1
