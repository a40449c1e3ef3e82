"""Refunds and store credit through the HTTP API: recorded, used on an invoice, each use's
id for its sync state, and 422s naming the field at fault."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


def post(client: TestClient, admin: Tenant, path: str, body: Any) -> Any:
    return client.post(admin.url(path), json=body, headers=admin.headers)


def get(client: TestClient, admin: Tenant, path: str) -> Any:
    answer = client.get(admin.url(path), headers=admin.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture
def customer(client: TestClient, admin: Tenant) -> str:
    return str(post(client, admin, "/customers", {"name": "Globex"}).json()["id"])


def invoice(client: TestClient, admin: Tenant, customer_id: str, price: str = "115.00") -> str:
    body = {
        "customer_id": customer_id, "date": "2026-11-02", "due_date": "2026-11-30",
        "currency": "NZD",
        "lines": [{"description": "Support", "unit_price": price, "account_code": "200"}],
    }  # fmt: skip
    made = post(client, admin, "/invoices", body).json()
    assert post(client, admin, f"/invoices/{made['id']}/issue", None).status_code == 200
    return str(made["id"])


def refund_body(customer_id: str, **extra: Any) -> dict[str, Any]:
    return {"customer_id": customer_id, "date": "2026-11-05", "amount": "15.00",
            "currency": "NZD", **extra}  # fmt: skip


def test_a_refund_of_an_invoice_lowers_what_it_owes_and_names_its_use(
    client: TestClient, admin: Tenant, customer: str
) -> None:
    invoice_id = invoice(client, admin, customer)
    answer = post(client, admin, "/refunds", refund_body(customer, invoice_id=invoice_id))

    assert answer.status_code == 201, answer.text
    refund = answer.json()
    assert refund["use_id"] is not None
    assert get(client, admin, f"/invoices/{invoice_id}")["amount_due"] == "100.00"
    assert get(client, admin, f"/refunds/{refund['id']}")["amount"] == "15.00"
    assert get(client, admin, f"/sync/credit_use/{refund['use_id']}")["state"] == "pending"
    assert get(client, admin, f"/sync/refund/{refund['id']}")["state"] == "pending"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"amount": "200.00"}, "amount"),
        ({"invoice_id": "00000000-0000-4000-8000-000000000999"}, "invoice_id"),
        ({"currency": "AUD"}, "invoice_id"),
        ({"bank_account_code": "090", "amount": "15.00"}, "amount"),  # nothing paid yet
    ],
    ids=["above-due", "unknown-invoice", "other-currency", "paid-out-unpaid"],
)
def test_a_refund_that_cannot_be_is_refused_naming_the_field(
    client: TestClient, admin: Tenant, customer: str, extra: dict[str, Any], field: str
) -> None:
    body = refund_body(customer, invoice_id=invoice(client, admin, customer))
    answer = post(client, admin, "/refunds", {**body, **extra})

    assert problem(answer, 422)["errors"][0]["field"] == field
    assert get(client, admin, "/refunds")["count"] == 0


def test_a_refund_for_no_customer_of_this_company_is_refused(
    client: TestClient, admin: Tenant
) -> None:
    body = refund_body("00000000-0000-4000-8000-000000000998")
    assert problem(post(client, admin, "/refunds", body), 422)["errors"][0]["field"] == (
        "customer_id"
    )


def test_store_credit_added_by_hand_is_used_on_an_invoice_use_by_use(
    client: TestClient, admin: Tenant, customer: str
) -> None:
    invoice_id = invoice(client, admin, customer)
    credit = post(
        client, admin, "/store-credits",
        {"customer_id": customer, "date": "2026-11-01", "amount": "50.00", "currency": "NZD"},
    )  # fmt: skip
    assert credit.status_code == 201, credit.text
    credit_id = credit.json()["id"]

    first = post(client, admin, f"/store-credits/{credit_id}/use",
                 {"invoice_id": invoice_id, "amount": "20.00"})  # fmt: skip
    second = post(client, admin, f"/store-credits/{credit_id}/use",
                  {"invoice_id": invoice_id, "amount": "30.00"})  # fmt: skip

    assert first.status_code == second.status_code == 200, second.text
    assert first.json()["use_id"] != second.json()["use_id"]
    used = second.json()["store_credit"]
    assert (used["remaining"], used["amount_used"]) == ("0.00", "50.00")
    assert get(client, admin, f"/invoices/{invoice_id}")["amount_due"] == "65.00"
    assert [c["id"] for c in get(client, admin, "/store-credits?status=used")["data"]] == [
        credit_id
    ]
    for use in (first, second):
        state = get(client, admin, f"/sync/credit_use/{use.json()['use_id']}")
        assert state["state"] == "pending"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "60.00"}, "amount"),  # more than the credit
        ({"invoice_id": "00000000-0000-4000-8000-000000000999"}, "invoice_id"),
        ({"other_customer": True}, "invoice_id"),
    ],
    ids=["above-credit", "unknown-invoice", "other-customer"],
)
def test_store_credit_used_wrongly_is_refused_naming_the_field_and_nothing_changes(
    client: TestClient, admin: Tenant, customer: str, body: dict[str, Any], field: str
) -> None:
    body = dict(body)  # the parameter's dict is shared by the SQLite and PostgreSQL runs
    invoice_id = invoice(client, admin, customer, price="500.00")
    if body.pop("other_customer", False):
        other = post(client, admin, "/customers", {"name": "Initech"}).json()["id"]
        invoice_id = invoice(client, admin, other)
    credit_id = post(
        client, admin, "/store-credits",
        {"customer_id": customer, "date": "2026-11-01", "amount": "50.00", "currency": "NZD"},
    ).json()["id"]  # fmt: skip

    answer = post(client, admin, f"/store-credits/{credit_id}/use",
                  {"invoice_id": invoice_id, "amount": "10.00", **body})  # fmt: skip

    assert problem(answer, 422)["errors"][0]["field"] == field
    assert get(client, admin, f"/store-credits/{credit_id}")["remaining"] == "50.00"
