"""Numbers, currencies, dates and codes entering through the API: what Xero and the store
cannot hold is a 422 naming the field and its bound, and nothing is stored."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem

HUGE = ["1e30", "1e999999", "9" * 5000, "9" * 26, "-1e30", "1000000000000"]
HUGE_IDS = ["1e30", "1e999999", "5000-digits", "26-nines", "minus-1e30", "10^12"]


@pytest.fixture
def supplier_id(client: TestClient, admin: Tenant) -> str:
    response = client.post(admin.url("/suppliers"), json={"name": "Acme"}, headers=admin.headers)
    return str(response.json()["id"])


def line(**change: Any) -> dict[str, Any]:
    return {"description": "Paper", "quantity": "1", "unit_price": "10", "account_code": "400",
            **change}  # fmt: skip


def po_body(supplier: str, **extra: Any) -> dict[str, Any]:
    return {"supplier_id": supplier, "date": "2026-11-02", "currency": "NZD",
            "lines": [line()], **extra}  # fmt: skip


def bill_body(supplier: str, **extra: Any) -> dict[str, Any]:
    return po_body(supplier, **{"due_date": "2026-12-02", **extra})


def post(client: TestClient, tenant: Tenant, path: str, body: dict[str, Any]) -> Any:
    return client.post(tenant.url(path), json=body, headers=tenant.headers)


def raw_post(client: TestClient, tenant: Tenant, path: str, text: str) -> Any:
    headers = {**tenant.headers, "content-type": "application/json"}
    return client.post(tenant.url(path), content=text.encode(), headers=headers)


def count(client: TestClient, tenant: Tenant, path: str) -> int:
    listed = client.get(tenant.url(path), headers=tenant.headers)
    assert listed.status_code == 200, listed.text
    return int(listed.json()["count"])


def assert_bounded(response: Any, field: str) -> None:
    error = problem(response, 422)
    assert [e["field"] for e in error["errors"]] == [field]
    assert "1000000000000" in error["detail"] or "finite" in error["detail"]


@pytest.mark.parametrize("value", HUGE, ids=HUGE_IDS)
@pytest.mark.parametrize("field", ["quantity", "unit_price"])
@pytest.mark.parametrize("path", ["/bills", "/purchase-orders"])
def test_a_huge_quantity_or_price_is_a_422_naming_the_field(
    client: TestClient, admin: Tenant, supplier_id: str, path: str, field: str, value: str
) -> None:
    make = bill_body if path == "/bills" else po_body
    body = make(supplier_id, lines=[line(**{field: value})])
    assert_bounded(post(client, admin, path, body), f"lines[0].{field}")
    assert count(client, admin, path) == 0


@pytest.mark.parametrize("number", ["1e30", "1e999999", "-1e30"])
def test_a_huge_quantity_sent_as_a_json_number_is_a_422(
    client: TestClient, admin: Tenant, supplier_id: str, number: str
) -> None:
    text = (
        f'{{"supplier_id": "{supplier_id}", "date": "2026-11-02", "currency": "NZD", '
        f'"lines": [{{"quantity": {number}, "unit_price": "1"}}]}}'
    )
    assert_bounded(raw_post(client, admin, "/bills", text), "lines[0].quantity")
    assert count(client, admin, "/bills") == 0


def test_a_json_number_of_5000_digits_is_a_422_on_the_body(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    text = (
        f'{{"supplier_id": "{supplier_id}", "date": "2026-11-02", "currency": "NZD", '
        f'"lines": [{{"quantity": {"9" * 5000}, "unit_price": "1"}}]}}'
    )
    error = problem(raw_post(client, admin, "/bills", text), 422)
    assert error["errors"][0]["field"] == "body"
    assert "too many digits" in error["detail"]
    assert count(client, admin, "/bills") == 0


def test_a_line_amount_beyond_the_bound_names_the_unit_price(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    body = bill_body(supplier_id, lines=[line(quantity="999999", unit_price="99999999")])
    error = problem(post(client, admin, "/bills", body), 422)
    assert error["errors"][0]["field"] == "lines[0].unit_price"
    assert "quantity × unit price" in error["detail"]


def test_a_total_beyond_the_bound_names_the_lines(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    body = bill_body(supplier_id, lines=[line(unit_price="999999999999")] * 2)
    error = problem(post(client, admin, "/bills", body), 422)
    assert error["errors"][0]["field"] == "lines"
    assert "total must be below 1,000,000,000,000" in error["detail"]


@pytest.mark.parametrize("value", ["1e30", "9" * 26], ids=["1e30", "26-nines"])
def test_a_huge_shipping_cost_is_a_422(
    client: TestClient, admin: Tenant, supplier_id: str, value: str
) -> None:
    body = po_body(supplier_id, shipping_cost=value)
    assert_bounded(post(client, admin, "/purchase-orders", body), "shipping_cost")
    assert count(client, admin, "/purchase-orders") == 0


def test_a_huge_item_price_is_a_422(client: TestClient, admin: Tenant) -> None:
    body = {"code": "P1", "name": "Paper", "purchase_price": "1e30"}
    assert_bounded(post(client, admin, "/items", body), "purchase_price")


@pytest.fixture
def approved_bill(client: TestClient, admin: Tenant, supplier_id: str) -> str:
    bill = post(client, admin, "/bills", bill_body(supplier_id)).json()
    for step in ("submit", "approve"):
        client.post(admin.url(f"/bills/{bill['id']}/{step}"), headers=admin.headers)
    return str(bill["id"])


def payment(bill: str, amount: str, **extra: Any) -> dict[str, Any]:
    return {"date": "2026-11-10", "amount": amount, "currency": "NZD",
            "bank_account_code": "090", "allocations": [{"document_id": bill, "amount": "10.00"}],
            **extra}  # fmt: skip


@pytest.mark.parametrize("value", ["1e30", "1e999999", "9" * 5000], ids=HUGE_IDS[:3])
def test_a_huge_payment_amount_is_a_422(
    client: TestClient, admin: Tenant, approved_bill: str, value: str
) -> None:
    assert_bounded(post(client, admin, "/payments", payment(approved_bill, value)), "amount")
    body = payment(approved_bill, "10.00")
    body["allocations"][0]["amount"] = value
    assert_bounded(post(client, admin, "/payments", body), "allocations[0].amount")
    assert count(client, admin, "/payments") == 0


@pytest.mark.parametrize(
    ("code", "reason"),
    [("a" * 11, "at most 10"), ("0" * 1_000_000, "at most 10"), ("09 0", "no spaces"),
     ("09\u00000", "NUL")],
    ids=["11-chars", "1-MB", "space", "nul"],
)  # fmt: skip
def test_the_bank_account_code_is_bounded_like_a_xero_account_code(
    client: TestClient, admin: Tenant, approved_bill: str, code: str, reason: str
) -> None:
    body = payment(approved_bill, "10.00", bank_account_code=code)
    error = problem(post(client, admin, "/payments", body), 422)
    assert error["errors"][0]["field"] == "bank_account_code"
    assert reason in error["detail"] or "10 characters" in error["detail"]
    assert count(client, admin, "/payments") == 0


@pytest.mark.parametrize("currency", ["XXX", "ABC", "XAU"])
def test_a_currency_that_is_not_an_active_iso_4217_code_is_a_422(
    client: TestClient, admin: Tenant, supplier_id: str, approved_bill: str, currency: str
) -> None:
    error = problem(post(client, admin, "/bills", bill_body(supplier_id, currency=currency)), 422)
    assert error["errors"][0]["field"] == "currency"
    assert "ISO 4217" in error["detail"]
    error = problem(post(client, admin, "/payments", payment(approved_bill, "10.00",
                                                             currency=currency)), 422)  # fmt: skip
    assert error["errors"][0]["field"] == "currency"
    assert count(client, admin, "/bills") == 1  # the approved bill alone


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1899-12-31", "2100-01-01"])
def test_a_date_outside_xeros_range_is_a_422_saying_the_range(
    client: TestClient, admin: Tenant, supplier_id: str, approved_bill: str, date: str
) -> None:
    error = problem(post(client, admin, "/purchase-orders", po_body(supplier_id, date=date)), 422)
    assert error["errors"][0]["field"] == "date"
    assert "from 1900-01-01 to 2099-12-31" in error["detail"]
    body = bill_body(supplier_id, due_date=date, date="1900-01-01")
    error = problem(post(client, admin, "/bills", body), 422)
    assert error["errors"][0]["field"] == "due_date"
    error = problem(post(client, admin, "/payments", payment(approved_bill, "10", date=date)), 422)
    assert error["errors"][0]["field"] == "date"
    assert count(client, admin, "/purchase-orders") == 0


def test_the_bounds_themselves_are_accepted(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    body = po_body(
        supplier_id,
        date="1900-01-01",
        delivery_date="2099-12-31",
        currency="XOF",
        shipping_cost="999999999999.99",
        lines=[line(quantity="1", unit_price="999999999999.99")],
    )
    response = post(client, admin, "/purchase-orders", body)
    assert response.status_code == 201, response.text
    assert response.json()["shipping_cost"] == "999999999999.99"


def test_the_openapi_document_states_the_bounds(client: TestClient) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    quantity = schemas["LineBody"]["properties"]["quantity"]
    assert quantity["anyOf"][0]["exclusiveMaximum"] == 1e12
    assert schemas["PaymentCreate"]["properties"]["bank_account_code"]["maxLength"] == 10
    assert schemas["LineBody"]["properties"]["description"]["maxLength"] == 4000


LISTS = ["/customers", "/bills", "/invoices", "/credit-notes", "/payments", "/stock-takes",
         "/store-credits", "/supplier-credits", "/outbox", "/sync", "/xero/imports",
         "/xero/exports", "/tax-rates", "/tracking-categories"]  # fmt: skip


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", [2**63, 10**36], ids=["2^63", "10^36"])
def test_an_offset_past_the_databases_integers_is_refused_naming_it(
    client: TestClient, admin: Tenant, path: str, offset: int
) -> None:
    answer = client.get(admin.url(f"{path}?offset={offset}"), headers=admin.headers)

    assert problem(answer, 422)["errors"][0]["field"] == "offset"


@pytest.mark.parametrize("path", ["/customers", "/sync", "/outbox"])
def test_the_largest_offset_answers_an_empty_page(
    client: TestClient, admin: Tenant, path: str
) -> None:
    answer = client.get(admin.url(f"{path}?offset={2**63 - 1}"), headers=admin.headers)

    assert answer.status_code == 200, answer.text
    assert answer.json()["data"] == []


THIRTY_PLACES = "1." + "0" * 29 + "1"  # 31 digits: beyond Decimal's 28, still 30 places


@pytest.mark.parametrize("field", ["quantity", "unit_price"])
@pytest.mark.parametrize("path", ["/bills", "/purchase-orders"])
def test_a_line_number_of_30_decimal_places_is_a_422_naming_it(
    client: TestClient, admin: Tenant, supplier_id: str, path: str, field: str
) -> None:
    make = bill_body if path == "/bills" else po_body
    error = problem(
        post(client, admin, path, make(supplier_id, lines=[line(**{field: THIRTY_PLACES})])), 422
    )
    assert [e["field"] for e in error["errors"]] == [f"lines[0].{field}"]
    assert "decimal places" in error["detail"]
    assert count(client, admin, path) == 0
