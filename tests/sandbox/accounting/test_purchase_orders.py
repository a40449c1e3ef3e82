"""Purchase orders: totals, delivery instructions, statuses and the linked-bill rule."""

from typing import Any

import pytest

from xero_sandbox.accounting import Ledger

from .builders import bill, line
from .conftest import XeroApi


def order(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Contact": {"Name": "ABC Furniture"},
        "Date": "2026-03-02",
        "DeliveryDate": "2026-03-09",
        "LineItems": [line("320.00", 2, ItemCode="DESK-OAK", account="630", tax="INPUT2"),
                      line("15.00", account="425", Description="Shipping")],
        "DeliveryInstructions": "Leave at the loading dock.",
        "Status": "AUTHORISED",
    }  # fmt: skip
    body.update(extra)
    return body


async def _create(api: XeroApi, **extra: Any) -> dict[str, Any]:
    response = await api.put("/PurchaseOrders", {"PurchaseOrders": [order(**extra)]})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()["PurchaseOrders"][0]
    return created


async def test_create_numbers_totals_and_delivery(api: XeroApi) -> None:
    created = await _create(api)
    assert created["PurchaseOrderNumber"].startswith("PO-")
    # 2 × 320.00 + 15.00 = 655.00; GST 96.00 + 2.25 = 98.25.
    assert (created["SubTotal"], created["TotalTax"], created["Total"]) == (655, 98.25, 753.25)
    assert created["DeliveryInstructions"] == "Leave at the loading dock."
    assert created["DeliveryDate"] == "/Date(1773014400000+0000)/"
    by_number = await api.get(f"/PurchaseOrders/{created['PurchaseOrderNumber']}")
    assert by_number.json()["PurchaseOrders"][0]["PurchaseOrderID"] == created["PurchaseOrderID"]


async def test_delivery_instructions_are_limited_to_500_characters(api: XeroApi) -> None:
    response = await api.put("/PurchaseOrders", order(DeliveryInstructions="x" * 501))
    assert response.status_code == 400
    (message,) = response.json()["Elements"][0]["ValidationErrors"]
    assert message["Message"] == (
        "DeliveryInstructions must not be more than 500 characters long (it is 501); shorten it"
    )
    assert (await api.put("/PurchaseOrders", order(DeliveryInstructions="x" * 500))).is_success


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        (["DRAFT", "SUBMITTED", "AUTHORISED", "BILLED"], True),
        (["DRAFT", "DELETED"], True),
        (["AUTHORISED", "DELETED"], True),
        (["BILLED", "AUTHORISED"], False),
        (["AUTHORISED", "BILLED", "AUTHORISED"], True),
        (["DRAFT", "BILLED"], False),
        (["AUTHORISED", "DRAFT"], False),
        (["DRAFT", "DELETED", "DRAFT"], False),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, list) else str(v),
)
async def test_status_transitions(api: XeroApi, path: list[str], allowed: bool) -> None:
    created = await api.put("/PurchaseOrders", order(Status=path[0]))
    if created.status_code != 200:
        assert not allowed
        return
    purchase_order_id = created.json()["PurchaseOrders"][0]["PurchaseOrderID"]
    response = created
    for status in path[1:]:
        response = await api.post(f"/PurchaseOrders/{purchase_order_id}", {"Status": status})
    if allowed:
        assert response.json()["PurchaseOrders"][0]["Status"] == path[-1]
    else:
        assert response.status_code == 400
        messages = [m["Message"] for m in response.json()["Elements"][0]["ValidationErrors"]]
        assert messages == ["The Purchase Order status change is invalid"]


async def test_a_purchase_order_with_a_bill_cannot_be_deleted(api: XeroApi, ledger: Ledger) -> None:
    created = await _create(api)
    await api.put("/Invoices", bill("ABC Furniture", Reference=created["PurchaseOrderNumber"]))
    refused = await api.post(f"/PurchaseOrders/{created['PurchaseOrderID']}", {"Status": "DELETED"})
    assert refused.status_code == 400
    assert "The Purchase Order status change is invalid" in refused.text
    assert ledger.purchase_orders[created["PurchaseOrderID"]]["Status"] == "AUTHORISED"


async def test_list_filters_by_status_and_pages(api: XeroApi) -> None:
    for status in ("DRAFT", "AUTHORISED", "AUTHORISED"):
        await _create(api, Status=status, Contact={"Name": "Swanston Security"})
    mine = {"where": 'Contact.Name=="Swanston Security"'}
    approved = await api.get("/PurchaseOrders", params={"Status": "AUTHORISED", **mine})
    assert len(approved.json()["PurchaseOrders"]) == 2
    paged = await api.get("/PurchaseOrders", params={"page": 2, "pageSize": 2, **mine})
    assert paged.json()["pagination"] == {"page": 2, "pageSize": 2, "pageCount": 2, "itemCount": 3}
