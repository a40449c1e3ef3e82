"""Payments through the HTTP API: full, partial, split, too much, and deleted."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


def approved_bill(
    client: TestClient, admin: Tenant, supplier_id: str, price: str
) -> dict[str, Any]:
    body = {
        "supplier_id": supplier_id,
        "date": "2026-11-02",
        "due_date": "2026-12-02",
        "currency": "NZD",
        "lines": [
            {"description": "Goods", "quantity": "1", "unit_price": price, "account_code": "400"}
        ],
    }
    bill = client.post(admin.url("/bills"), json=body, headers=admin.headers).json()
    for step in ("submit", "approve"):
        client.post(admin.url(f"/bills/{bill['id']}/{step}"), headers=admin.headers)
    return dict(client.get(admin.url(f"/bills/{bill['id']}"), headers=admin.headers).json())


@pytest.fixture
def bills(client: TestClient, admin: Tenant) -> list[dict[str, Any]]:
    supplier = client.post(admin.url("/suppliers"), json={"name": "Acme"}, headers=admin.headers)
    return [approved_bill(client, admin, supplier.json()["id"], p) for p in ("100.00", "50.00")]


def pay(client: TestClient, admin: Tenant, amount: str, *allocations: tuple[str, str]) -> Any:
    return client.post(
        admin.url("/payments"),
        json={
            "date": "2026-11-10",
            "amount": amount,
            "currency": "NZD",
            "bank_account_code": "090",
            "allocations": [{"document_id": d, "amount": a} for d, a in allocations],
        },
        headers=admin.headers,
    )


def bill_state(client: TestClient, admin: Tenant, bill: dict[str, Any]) -> tuple[str, str]:
    fetched = client.get(admin.url(f"/bills/{bill['id']}"), headers=admin.headers).json()
    return fetched["status"], fetched["amount_due"]


def test_partial_payments_then_paid(
    client: TestClient, admin: Tenant, bills: list[dict[str, Any]]
) -> None:
    first = bills[0]
    assert pay(client, admin, "40.00", (first["id"], "40.00")).status_code == 201
    assert bill_state(client, admin, first) == ("partially_paid", "60.00")
    assert pay(client, admin, "60.00", (first["id"], "60.00")).status_code == 201
    assert bill_state(client, admin, first) == ("paid", "0.00")


def test_a_split_payment_pays_two_bills(
    client: TestClient, admin: Tenant, bills: list[dict[str, Any]]
) -> None:
    response = pay(client, admin, "150.00", (bills[0]["id"], "100.00"), (bills[1]["id"], "50.00"))
    assert response.status_code == 201, response.text
    assert len(response.json()["allocations"]) == 2
    assert [bill_state(client, admin, b)[0] for b in bills] == ["paid", "paid"]


def test_a_payment_above_the_amount_due_is_refused_and_nothing_changes(
    client: TestClient, admin: Tenant, bills: list[dict[str, Any]]
) -> None:
    error = problem(
        pay(client, admin, "150.00", (bills[1]["id"], "20.00"), (bills[0]["id"], "130.00")), 422
    )
    assert error["errors"][0]["field"] == "allocations[1].amount"
    assert "above the amount due 100.00" in error["detail"]
    assert [bill_state(client, admin, b) for b in bills] == [
        ("approved", "100.00"),
        ("approved", "50.00"),
    ]
    assert client.get(admin.url("/payments"), headers=admin.headers).json()["count"] == 0


def test_deleting_a_payment_makes_the_amount_due_again(
    client: TestClient, admin: Tenant, bills: list[dict[str, Any]]
) -> None:
    payment = pay(client, admin, "100.00", (bills[0]["id"], "100.00")).json()
    deleted = client.post(admin.url(f"/payments/{payment['id']}/delete"), headers=admin.headers)
    assert deleted.json()["status"] == "deleted"
    assert bill_state(client, admin, bills[0]) == ("approved", "100.00")
    problem(client.post(admin.url(f"/payments/{payment['id']}/delete"), headers=admin.headers), 409)


def test_a_payment_to_a_draft_bill_is_refused_naming_the_allocation(
    client: TestClient, admin: Tenant
) -> None:
    supplier = client.post(
        admin.url("/suppliers"), json={"name": "A"}, headers=admin.headers
    ).json()
    draft = client.post(
        admin.url("/bills"),
        json={"supplier_id": supplier["id"], "date": "2026-11-02", "currency": "NZD"},
        headers=admin.headers,
    ).json()
    error = problem(pay(client, admin, "10.00", (draft["id"], "10.00")), 422)
    assert error["errors"][0]["field"] == "allocations[0].document_id"


def test_an_overpayment_by_a_customer_leaves_store_credit(
    client: TestClient, admin: Tenant
) -> None:
    customer = client.post(admin.url("/customers"), json={"name": "Globex"}, headers=admin.headers)
    invoice = client.post(
        admin.url("/invoices"),
        json={
            "customer_id": customer.json()["id"],
            "date": "2026-11-02",
            "due_date": "2026-11-30",
            "currency": "NZD",
            "lines": [{"description": "Support", "unit_price": "115.00", "account_code": "200"}],
        },
        headers=admin.headers,
    ).json()
    client.post(admin.url(f"/invoices/{invoice['id']}/issue"), headers=admin.headers)
    without_customer = pay(client, admin, "150.00", (invoice["id"], "115.00"))
    assert problem(without_customer, 422)["errors"][0]["field"] == "party_id"
    response = client.post(
        admin.url("/payments"),
        json={
            "date": "2026-11-10",
            "amount": "150.00",
            "currency": "NZD",
            "bank_account_code": "090",
            "party_id": customer.json()["id"],
            "allocations": [{"document_id": invoice["id"], "amount": "115.00"}],
        },
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["unallocated"] == "35.00"
    credits = client.get(admin.url("/store-credits"), headers=admin.headers).json()["data"]
    assert [(c["remaining"], c["source_payment_id"]) for c in credits] == [
        ("35.00", response.json()["id"])
    ]
    fetched = client.get(admin.url(f"/invoices/{invoice['id']}"), headers=admin.headers).json()
    assert fetched["status"] == "paid"
