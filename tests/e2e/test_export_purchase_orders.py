"""Purchase orders approved through the REST API reach the Xero sandbox with every field,
follow edits, cancellation and finishing there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ledgerlink.domain.catalogue import Item
from tests.integration.sync.harness import ExportSetup, export_setup, import_reference_data
from xero_client import parse_date

__all__ = ["export_setup"]

LONG_NOTES = "Ring the bell twice. " * 30  # 630 characters


def order_body(supplier_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "supplier_id": supplier_id,
        "number": "PO-0042",
        "reference": "Office refit",
        "date": "2026-03-02",
        "delivery_date": "2026-03-16",
        "currency": "NZD",
        "lines": [
            {
                "description": "Toner",
                "quantity": "3",
                "unit_price": "58.13",
                "account_code": "429",
                "tax_type": "INPUT2",
                "item_code": "TONER-BK",
                "tracking": [
                    {"category": "Region", "option": "North"},
                    {"category": "Department", "option": "Admin"},
                ],
            },
            {"description": "Paper", "quantity": "10", "unit_price": "21.30",
             "account_code": "300", "tax_type": "INPUT2"},
        ],
        "shipping_cost": "25.00",
        "shipping_account_code": "425",
        "shipping_tax_type": "INPUT2",
        "shipping_notes": "Leave at the loading dock",
        "attention": "Mia Lee",
        "telephone": "09 555 0101",
        "delivery_address": {"line1": "1 Quay St", "city": "Auckland", "postal_code": "1010",
                             "country": "New Zealand"},
        **extra,
    }  # fmt: skip


@pytest.fixture
async def ready(export_setup: ExportSetup) -> ExportSetup:
    await import_reference_data(export_setup)
    with export_setup.container.uow() as uow:  # as an import of Xero's items leaves it
        uow.items.add(Item(company_id=export_setup.company_id, code="TONER-BK", name="Black toner"))
        uow.commit()
    return export_setup


def supplier(setup: ExportSetup, name: str = "Paper Co") -> str:
    return str(setup.post("/suppliers", {"name": name}, status=201)["id"])


async def xero_order(setup: ExportSetup, number: str) -> dict[str, Any]:
    found: dict[str, Any] = (await setup.xero(f"/PurchaseOrders/{number}"))["PurchaseOrders"][0]
    return found


async def test_an_approved_order_arrives_with_every_mapped_field(ready: ExportSetup) -> None:
    created = ready.post("/purchase-orders", order_body(supplier(ready)), status=201)
    approved = ready.approve(f"/purchase-orders/{created['id']}")

    report = await ready.run_worker()

    assert report.documents >= 1
    order = await xero_order(ready, "PO-0042")
    assert order["Contact"]["Name"] == "Paper Co"
    assert order["Status"] == "AUTHORISED"
    assert order["Reference"] == "Office refit"
    assert parse_date(order["Date"]) == dt.date(2026, 3, 2)
    assert parse_date(order["DeliveryDate"]) == dt.date(2026, 3, 16)
    assert order["CurrencyCode"] == "NZD"
    assert order["LineAmountTypes"] == "Exclusive"
    assert order["DeliveryInstructions"] == "Leave at the loading dock"
    assert order["AttentionTo"] == "Mia Lee"
    assert order["Telephone"] == "09 555 0101"
    assert "1 Quay St" in order["DeliveryAddress"] and "Auckland" in order["DeliveryAddress"]
    lines = order["LineItems"]
    assert [line["Description"] for line in lines] == ["Toner", "Paper", "Shipping"]
    assert [line["AccountCode"] for line in lines] == ["429", "300", "425"]
    assert {line["TaxType"] for line in lines} == {"INPUT2"}
    assert lines[0]["ItemCode"] == "TONER-BK"
    assert [(t["Name"], t["Option"]) for t in lines[0]["Tracking"]] == [
        ("Region", "North"),
        ("Department", "Admin"),
    ]
    assert Decimal(str(lines[0]["UnitAmount"])) == Decimal("58.13")
    assert Decimal(str(order["Total"])) == Decimal(approved["total"])
    state = ready.get(f"/sync/purchase_order/{created['id']}")
    assert state["state"] == "sent"
    assert state["xero_id"] == order["PurchaseOrderID"]
    assert state["total_mismatch"] is False
    assert [entry["action"] for entry in state["log"]] == ["create"]


async def test_edits_after_approval_update_the_order_and_cancelling_deletes_it(
    ready: ExportSetup,
) -> None:
    created = ready.post("/purchase-orders", order_body(supplier(ready)), status=201)
    path = f"/purchase-orders/{created['id']}"
    ready.approve(path)
    await ready.run_worker()

    ready.patch(path, {"shipping_notes": "Back door please", "attention": "Sam Roe"})
    await ready.run_worker()
    order = await xero_order(ready, "PO-0042")
    assert order["DeliveryInstructions"] == "Back door please"
    assert order["AttentionTo"] == "Sam Roe"

    ready.post(f"{path}/cancel")
    await ready.run_worker()
    assert (await xero_order(ready, "PO-0042"))["Status"] == "DELETED"
    actions = [e["action"] for e in ready.get(f"/sync/purchase_order/{created['id']}")["log"]]
    assert actions == ["create", "update", "cancel"]


async def test_cancelling_an_order_with_a_linked_bill_says_to_remove_the_bill_first(
    ready: ExportSetup,
) -> None:
    created = ready.post("/purchase-orders", order_body(supplier(ready)), status=201)
    path = f"/purchase-orders/{created['id']}"
    ready.approve(path)
    await ready.run_worker()
    order = await xero_order(ready, "PO-0042")
    # Someone copies the order to a bill in Xero itself.
    await put_bill_in_xero(ready, order["Contact"]["ContactID"], reference="PO-0042")

    ready.post(f"{path}/cancel")
    await ready.run_worker()

    state = ready.get(f"/sync/purchase_order/{created['id']}")
    assert state["state"] == "failed"
    assert "The Purchase Order status change is invalid" in state["last_error"]
    assert "delete or void the linked bill in Xero first" in state["fix"]
    assert (await xero_order(ready, "PO-0042"))["Status"] == "AUTHORISED"
    failed = ready.get("/sync", state="failed")["data"]
    assert [s["document_id"] for s in failed] == [created["id"]]


async def put_bill_in_xero(setup: ExportSetup, contact_id: str, reference: str) -> None:
    import httpx

    from tests.integration.sync.conftest import ClientCredentials
    from xero_sandbox import DEMO_TENANT_ID

    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, setup.sandbox.base_url).access_token()
        answer = await http.put(
            f"{setup.sandbox.base_url}/api.xro/2.0/Invoices",
            json={
                "Invoices": [
                    {
                        "Type": "ACCPAY",
                        "Contact": {"ContactID": contact_id},
                        "Reference": reference,
                        "Date": "2026-03-05",
                        "DueDate": "2026-03-31",
                        "Status": "AUTHORISED",
                        "LineItems": [
                            {"Description": "Toner", "Quantity": 1, "UnitAmount": 10,
                             "AccountCode": "429"}
                        ],
                    }
                ]
            },
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )  # fmt: skip
        assert answer.status_code == 200, answer.text


async def test_finishing_an_order_sends_its_bill_and_marks_the_order_billed(
    ready: ExportSetup,
) -> None:
    created = ready.post("/purchase-orders", order_body(supplier(ready)), status=201)
    path = f"/purchase-orders/{created['id']}"
    ready.approve(path)
    await ready.run_worker()

    bill = ready.post(
        f"{path}/finish",
        {"bill_date": "2026-03-20", "bill_due_date": "2026-04-20", "invoice_number": "S-981"},
    )
    await ready.run_worker()

    found = (await ready.xero("/Invoices", InvoiceNumbers="S-981"))["Invoices"]
    assert len(found) == 1
    assert found[0]["Type"] == "ACCPAY"
    assert found[0]["Reference"] == "PO-0042"
    assert Decimal(str(found[0]["Total"])) == Decimal(bill["total"])
    assert (await xero_order(ready, "PO-0042"))["Status"] == "BILLED"


async def test_shipping_notes_over_500_characters_are_refused_before_sending(
    ready: ExportSetup,
) -> None:
    created = ready.post(
        "/purchase-orders", order_body(supplier(ready), shipping_notes=LONG_NOTES), status=201
    )
    ready.approve(f"/purchase-orders/{created['id']}")
    await ready.control("DELETE", "/stats")

    await ready.run_worker()

    state = ready.get(f"/sync/purchase_order/{created['id']}")
    assert state["state"] == "failed"
    assert "shipping_notes" in state["last_error"] and "500 characters" in state["last_error"]
    assert "shorten the shipping notes" in state["fix"]
    stats = await ready.control("GET", "/stats")
    calls = [c for o in stats["organisations"] for c in o["calls"]]
    assert not [c for c in calls if "PurchaseOrders" in c["path"]]


async def test_orders_are_not_sent_when_the_settings_send_bills_only(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"documents": "bills"})
    created = ready.post("/purchase-orders", order_body(supplier(ready)), status=201)
    ready.approve(f"/purchase-orders/{created['id']}")

    await ready.run_worker()

    found = (await ready.xero("/PurchaseOrders"))["PurchaseOrders"]
    assert "PO-0042" not in [o["PurchaseOrderNumber"] for o in found]
    assert ready.get("/sync", state="pending")["data"] == []


async def test_with_bills_only_a_finished_orders_bill_still_goes(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"documents": "bills", "bill_status": "DRAFT"})
    created = ready.post("/purchase-orders", order_body(supplier(ready)), status=201)
    path = f"/purchase-orders/{created['id']}"
    ready.approve(path)
    bill = ready.post(f"{path}/finish", {"bill_date": "2026-03-20", "invoice_number": "S-77"})

    await ready.run_worker()

    found = (await ready.xero("/Invoices", InvoiceNumbers="S-77"))["Invoices"]
    assert [(b["Type"], b["Status"], b["Reference"]) for b in found] == [
        ("ACCPAY", "DRAFT", "PO-0042")
    ]
    assert Decimal(str(found[0]["Total"])) == Decimal(bill["total"])
    orders = (await ready.xero("/PurchaseOrders"))["PurchaseOrders"]
    assert "PO-0042" not in [o["PurchaseOrderNumber"] for o in orders]
