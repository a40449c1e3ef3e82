"""Bills approved through the REST API reach the Xero sandbox as ACCPAY invoices with every
mapped field, follow edits and cancellation by Xero's rules, and their totals are checked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.integration.sync.bills import (
    bill_body,
    pay_in_xero,
    ready,
    supplier,
    xero_bill,
)
from tests.integration.sync.harness import ExportSetup, export_setup
from xero_client import parse_date

__all__ = ["export_setup", "ready"]


async def test_an_approved_bill_arrives_with_every_mapped_field(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"bill_status": "SUBMITTED"})
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    approved = ready.approve(f"/bills/{created['id']}")

    await ready.run_worker()

    bill = await xero_bill(ready)
    assert bill["Type"] == "ACCPAY"
    assert bill["Status"] == "SUBMITTED"
    assert bill["Contact"]["Name"] == "Lamp Co"
    assert parse_date(bill["Date"]) == dt.date(2026, 3, 3)
    assert parse_date(bill["DueDate"]) == dt.date(2026, 4, 2)
    assert bill["CurrencyCode"] == "NZD"
    assert bill["LineAmountTypes"] == "Exclusive"
    lines = bill["LineItems"]
    assert [(line["Description"], line["AccountCode"], line["TaxType"]) for line in lines] == [
        ("Desk lamps", "429", "INPUT2"),
        ("Cables", "300", "INPUT2"),
    ]
    assert [Decimal(str(line["UnitAmount"])) for line in lines] == [
        Decimal("19.99"),
        Decimal("3.10"),
    ]
    assert [(t["Name"], t["Option"]) for t in lines[0]["Tracking"]] == [("Region", "South")]
    assert Decimal(str(bill["Total"])) == Decimal(approved["total"])
    state = ready.get(f"/sync/bill/{created['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", "SUBMITTED")
    assert Decimal(state["total_xero"]) == Decimal(state["total_ours"])


async def test_sync_totals_show_money_with_its_two_places(ready: ExportSetup) -> None:
    line = {"description": "Desk", "quantity": "1", "unit_price": "480", "account_code": "429",
            "tax_type": "INPUT2"}  # fmt: skip
    created = ready.post("/bills", bill_body(supplier(ready), lines=[line]), status=201)
    ready.approve(f"/bills/{created['id']}")

    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "sent"
    assert (state["total_ours"], state["total_xero"]) == ("552.00", "552.00")
    listed = ready.get("/sync", state="sent", kind="bill")["data"]
    assert [(s["total_ours"], s["total_xero"]) for s in listed] == [("552.00", "552.00")]


async def test_an_edited_bill_is_updated_until_it_is_paid_in_xero(ready: ExportSetup) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    path = f"/bills/{created['id']}"
    ready.approve(path)
    await ready.run_worker()

    ready.patch(path, {"due_date": "2026-04-30"})
    await ready.run_worker()
    bill = await xero_bill(ready)
    assert parse_date(bill["DueDate"]) == dt.date(2026, 4, 30)

    await pay_in_xero(ready, bill["InvoiceID"], "10.00")
    ready.patch(path, {"due_date": "2026-05-15"})
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert "payment" in state["last_error"].lower()
    assert "remove" in state["fix"] and "payments" in state["fix"]
    assert parse_date((await xero_bill(ready))["DueDate"]) == dt.date(2026, 4, 30)


@pytest.mark.parametrize(
    ("bill_status", "xero_status"),
    [("AUTHORISED", "VOIDED"), ("DRAFT", "DELETED"), ("SUBMITTED", "DELETED")],
    ids=["approved-is-voided", "draft-is-deleted", "submitted-is-deleted"],
)
async def test_a_cancelled_bill_is_withdrawn_as_xero_allows(
    ready: ExportSetup, bill_status: str, xero_status: str
) -> None:
    ready.put("/xero/settings", {"bill_status": bill_status})
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    ready.approve(f"/bills/{created['id']}")
    await ready.run_worker()

    ready.post(f"/bills/{created['id']}/cancel")
    await ready.run_worker()

    assert (await xero_bill(ready))["Status"] == xero_status
    state = ready.get(f"/sync/bill/{created['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", xero_status)


async def test_cancelling_a_bill_paid_in_xero_says_to_remove_the_payments(
    ready: ExportSetup,
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    ready.approve(f"/bills/{created['id']}")
    await ready.run_worker()
    await pay_in_xero(ready, (await xero_bill(ready))["InvoiceID"], "20.00")

    ready.post(f"/bills/{created['id']}/cancel")
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "failed"
    assert "payments exist" in state["last_error"]
    assert "remove the bill's payments in Xero first" in state["fix"]
    assert (await xero_bill(ready))["Status"] == "AUTHORISED"


async def test_orders_and_bills_go_together_with_one_contact(ready: ExportSetup) -> None:
    supplier_id = supplier(ready, "Both Ways Ltd")
    order = ready.post(
        "/purchase-orders",
        {
            "supplier_id": supplier_id,
            "number": "PO-7",
            "date": "2026-03-02",
            "currency": "NZD",
            "lines": [{"description": "Chairs", "quantity": "2", "unit_price": "145.50",
                       "account_code": "429", "tax_type": "INPUT2"}],
        },
        status=201,
    )  # fmt: skip
    bill = ready.post("/bills", bill_body(supplier_id), status=201)
    ready.approve(f"/purchase-orders/{order['id']}")
    ready.approve(f"/bills/{bill['id']}")

    await ready.run_worker()

    xero_order = (await ready.xero("/PurchaseOrders/PO-7"))["PurchaseOrders"][0]
    xero_bill_found = await xero_bill(ready)
    assert xero_order["Contact"]["ContactID"] == xero_bill_found["Contact"]["ContactID"]
    contacts = (await ready.xero("/Contacts", where='Name=="Both Ways Ltd"'))["Contacts"]
    assert len(contacts) == 1
    sent = ready.get("/sync", state="sent")["data"]
    assert {(s["kind"], s["document_id"]) for s in sent} >= {
        ("purchase_order", order["id"]),
        ("bill", bill["id"]),
    }


async def test_a_total_that_differs_in_xero_is_flagged_with_both_figures(
    ready: ExportSetup,
) -> None:
    with ready.container.uow() as uow:
        stale = uow.tax_rates.get(ready.company_id, "INPUT2")
        assert stale is not None
        from dataclasses import replace

        uow.tax_rates.save(ready.company_id, replace(stale, rate=Decimal("12.5")))
        uow.commit()
    created = ready.post(
        "/bills",
        bill_body(supplier(ready), lines=[{"description": "Desk", "quantity": "1",
                                           "unit_price": "100", "account_code": "429",
                                           "tax_type": "INPUT2"}]),
        status=201,
    )  # fmt: skip
    ready.approve(f"/bills/{created['id']}")

    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "sent"
    assert state["total_mismatch"] is True
    assert (Decimal(state["total_ours"]), Decimal(state["total_xero"])) == (
        Decimal("112.50"),
        Decimal("115.00"),
    )
    assert "differs from ours" in state["log"][-1]["answer"]


async def test_four_place_prices_reach_bills_but_are_refused_on_orders(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"unit_price_dp": 4})
    supplier_id = supplier(ready)
    lines = [{"description": "Screws", "quantity": "1000", "unit_price": "0.0375",
              "account_code": "429", "tax_type": "INPUT2"}]  # fmt: skip
    bill = ready.post("/bills", bill_body(supplier_id, lines=lines), status=201)
    order = ready.post(
        "/purchase-orders",
        {"supplier_id": supplier_id, "number": "PO-4DP", "date": "2026-03-02",
         "currency": "NZD", "lines": lines},
        status=201,
    )  # fmt: skip
    ready.approve(f"/bills/{bill['id']}")
    ready.approve(f"/purchase-orders/{order['id']}")

    await ready.run_worker()

    sent = (await ready.xero("/Invoices", InvoiceNumbers="SUP-7731", unitdp=4))["Invoices"][0]
    assert Decimal(str(sent["LineItems"][0]["UnitAmount"])) == Decimal("0.0375")
    assert Decimal(str(sent["Total"])) == Decimal(bill["total"]) == Decimal("43.13")
    refused = ready.get(f"/sync/purchase_order/{order['id']}")
    assert refused["state"] == "failed"
    assert "2 decimal places" in refused["last_error"]
    assert "round the unit price" in refused["fix"]
