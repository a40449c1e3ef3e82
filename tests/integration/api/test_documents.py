"""Purchase orders, bills, invoices and credit notes through the HTTP API."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


@pytest.fixture
def supplier_id(client: TestClient, admin: Tenant) -> str:
    response = client.post(admin.url("/suppliers"), json={"name": "Acme"}, headers=admin.headers)
    return str(response.json()["id"])


def po_body(supplier: str, **extra: Any) -> dict[str, Any]:
    return {
        "supplier_id": supplier,
        "number": "PO-0001",
        "date": "2026-11-02",
        "delivery_date": "2026-11-20",
        "currency": "NZD",
        "lines": [
            {"description": "Paper", "quantity": "3", "unit_price": "33.33", "account_code": "400"},
            {
                "description": "Toner",
                "quantity": "1",
                "unit_price": "120",
                "account_code": "400",
                "tracking": [{"category": "Region", "option": "North"}],
            },
        ],
        "shipping_cost": "10.00",
        "shipping_account_code": "425",
        "shipping_notes": "Leave at the loading dock",
        **extra,
    }


def test_a_purchase_order_goes_from_draft_to_approved_and_leaves_an_outbox_row(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    created = client.post(
        admin.url("/purchase-orders"), json=po_body(supplier_id), headers=admin.headers
    )
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["status"] == "draft"
    assert order["sub_total"] == "229.99"  # 99.99 + 120.00 + 10.00 shipping
    assert order["lines"][0]["line_amount"] == "99.99"
    url = admin.url(f"/purchase-orders/{order['id']}")

    assert client.post(f"{url}/submit", headers=admin.headers).json()["status"] == "submitted"
    approved = client.post(f"{url}/approve", headers=admin.headers)
    assert approved.json()["status"] == "approved", approved.text

    outbox = client.get(admin.url("/outbox?state=pending"), headers=admin.headers).json()["data"]
    sent = [row for row in outbox if row["document_id"] == order["id"] and row["reaches_xero"]]
    assert [(row["kind"], row["event_type"]) for row in sent] == [
        ("purchase_order", "DocumentApproved")
    ]


def test_an_invalid_transition_is_a_409_that_says_what_is_allowed(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    order = client.post(
        admin.url("/purchase-orders"), json=po_body(supplier_id), headers=admin.headers
    ).json()
    error = problem(
        client.post(admin.url(f"/purchase-orders/{order['id']}/approve"), headers=admin.headers),
        409,
    )
    assert error["errors"][0]["field"] == "status"
    assert "allowed from: submitted" in error["detail"]
    fetched = client.get(admin.url(f"/purchase-orders/{order['id']}"), headers=admin.headers)
    assert fetched.json()["status"] == "draft"
    assert fetched.json()["version"] == order["version"]


def test_reject_sends_back_to_draft_with_the_reason(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    order = client.post(
        admin.url("/purchase-orders"), json=po_body(supplier_id), headers=admin.headers
    ).json()
    url = admin.url(f"/purchase-orders/{order['id']}")
    client.post(f"{url}/submit", headers=admin.headers)
    problem(client.post(f"{url}/reject", json={}, headers=admin.headers), 422)
    rejected = client.post(
        f"{url}/reject", json={"reason": "Wrong supplier"}, headers=admin.headers
    )
    assert (rejected.json()["status"], rejected.json()["rejection_reason"]) == (
        "draft",
        "Wrong supplier",
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"lines": [{"quantity": "-1", "unit_price": "5", "account_code": "400"}]},
            "lines[0].quantity",
        ),
        (
            {"lines": [{"quantity": "1", "unit_price": "5", "tax_type": "NOPE"}]},
            "lines[0].tax_type",
        ),
        ({"supplier_id": "00000000-0000-0000-0000-000000000000"}, "supplier_id"),
        ({"currency": "NZ"}, "currency"),
        ({"delivery_date": "2026-10-01"}, "delivery_date"),
    ],
    ids=[
        "negative-quantity",
        "unknown-tax-type",
        "unknown-supplier",
        "bad-currency",
        "early-delivery",
    ],
)
def test_an_inconsistent_purchase_order_is_refused_by_field_and_not_stored(
    client: TestClient, admin: Tenant, supplier_id: str, change: dict[str, Any], field: str
) -> None:
    response = client.post(
        admin.url("/purchase-orders"), json=po_body(supplier_id, **change), headers=admin.headers
    )
    error = problem(response, 422)
    assert [e["field"] for e in error["errors"]] == [field], error
    listed = client.get(admin.url("/purchase-orders"), headers=admin.headers).json()
    assert listed["count"] == 0


def test_approving_needs_an_account_on_every_line(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    body = po_body(supplier_id, lines=[{"description": "x", "quantity": "1", "unit_price": "5"}])
    order = client.post(admin.url("/purchase-orders"), json=body, headers=admin.headers).json()
    url = admin.url(f"/purchase-orders/{order['id']}")
    client.post(f"{url}/submit", headers=admin.headers)
    error = problem(client.post(f"{url}/approve", headers=admin.headers), 422)
    assert error["errors"][0]["field"] == "lines[0].account_code"


def test_finishing_an_approved_order_makes_its_bill(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    order = client.post(
        admin.url("/purchase-orders"), json=po_body(supplier_id), headers=admin.headers
    ).json()
    url = admin.url(f"/purchase-orders/{order['id']}")
    for step in ("submit", "approve"):
        client.post(f"{url}/{step}", headers=admin.headers)
    bill = client.post(
        f"{url}/finish",
        json={"invoice_number": "INV-77", "bill_date": "2026-11-21"},
        headers=admin.headers,
    )
    assert bill.status_code == 200, bill.text
    made = bill.json()
    assert made["purchase_order_id"] == order["id"]
    assert made["total"] == order["total"]
    assert made["invoice_number"] == "INV-77"
    fetched = client.get(admin.url(f"/purchase-orders/{order['id']}"), headers=admin.headers)
    assert fetched.json()["status"] == "finished"
    bills = client.get(admin.url("/bills"), headers=admin.headers).json()
    assert bills["count"] == 1


def test_a_bill_is_approved_and_cancelled(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    body = {
        "supplier_id": supplier_id,
        "invoice_number": "SUP-1",
        "date": "2026-11-02",
        "due_date": "2026-12-02",
        "currency": "NZD",
        "line_amount_type": "Inclusive",
        "lines": [
            {"description": "Fuel", "quantity": "1", "unit_price": "115", "account_code": "449"}
        ],
    }
    bill = client.post(admin.url("/bills"), json=body, headers=admin.headers)
    assert bill.status_code == 201, bill.text
    url = admin.url(f"/bills/{bill.json()['id']}")
    for step, status in (("submit", "submitted"), ("approve", "approved"), ("cancel", "cancelled")):
        response = client.post(f"{url}/{step}", headers=admin.headers)
        assert response.json()["status"] == status, response.text
    filtered = client.get(admin.url("/bills?status=cancelled"), headers=admin.headers).json()
    assert filtered["count"] == 1


def test_sales_invoices_may_be_zero_or_negative_and_are_issued_and_voided(
    client: TestClient, admin: Tenant
) -> None:
    customer = client.post(
        admin.url("/customers"), json={"name": "Globex"}, headers=admin.headers
    ).json()
    for price in ("0", "-20"):
        body = {
            "customer_id": customer["id"],
            "date": "2026-11-02",
            "due_date": "2026-11-30",
            "currency": "NZD",
            "lines": [
                {
                    "description": "Support",
                    "quantity": "1",
                    "unit_price": price,
                    "account_code": "200",
                }
            ],
        }
        created = client.post(admin.url("/invoices"), json=body, headers=admin.headers)
        assert created.status_code == 201, created.text
        url = admin.url(f"/invoices/{created.json()['id']}")
        assert client.post(f"{url}/issue", headers=admin.headers).json()["status"] == "issued"
        assert client.post(f"{url}/void", headers=admin.headers).json()["status"] == "voided"
