"""PATCH with explicit nulls: a required field is refused by name, a clearable one clears."""

import datetime as dt
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.domain.bill import Bill
from ledgerlink.store.errors import DuplicateRecord, MissingValue
from tests.integration.api.company_records import CompanyRecords, make_records
from tests.integration.api.conftest import Tenant, problem


@pytest.fixture
def records(client: TestClient, admin: Tenant) -> CompanyRecords:
    return make_records(client, admin, "Acme")


REQUIRED = [
    ("purchase-orders", "purchase_order", "lines"),
    ("purchase-orders", "purchase_order", "date"),
    ("purchase-orders", "purchase_order", "supplier_id"),
    ("purchase-orders", "purchase_order", "currency"),
    ("purchase-orders", "purchase_order", "shipping_cost"),
    ("bills", "bill", "lines"),
    ("bills", "bill", "date"),
    ("bills", "bill", "supplier_id"),
    ("invoices", "invoice", "lines"),
    ("invoices", "invoice", "date"),
    ("invoices", "invoice", "customer_id"),
    ("credit-notes", "purchase_credit_note", "lines"),
    ("credit-notes", "purchase_credit_note", "date"),
    ("credit-notes", "sales_credit_note", "line_amount_type"),
    ("suppliers", "supplier", "name"),
    ("suppliers", "supplier", "active"),
    ("customers", "customer", "name"),
    ("items", "item", "code"),
    ("items", "item", "is_tracked_as_inventory"),
]


@pytest.mark.parametrize(("path", "record", "field"), REQUIRED)
def test_null_on_a_required_field_is_422_naming_it_and_changes_nothing(
    client: TestClient,
    admin: Tenant,
    records: CompanyRecords,
    path: str,
    record: str,
    field: str,
) -> None:
    url = admin.url(f"/{path}/{getattr(records, record)}")
    before = client.get(url, headers=admin.headers).json()

    other = {"suppliers": "phone", "customers": "phone", "items": "description"}
    change = {field: None, other.get(path, "reference"): "new"}
    response = client.patch(url, json=change, headers=admin.headers)

    body = problem(response, 422)
    assert body["errors"] == [
        {"field": field, "message": "may not be null; leave it out to keep the current value"}
    ]
    assert body["detail"].startswith(f"{field}: may not be null")
    assert client.get(url, headers=admin.headers).json() == before


def test_every_null_sent_on_a_required_field_is_named(
    client: TestClient, admin: Tenant, records: CompanyRecords
) -> None:
    url = admin.url(f"/bills/{records.bill}")
    response = client.patch(url, json={"date": None, "supplier_id": None}, headers=admin.headers)
    fields = [error["field"] for error in problem(response, 422)["errors"]]
    assert fields == ["date", "supplier_id"]


@pytest.mark.parametrize(
    ("path", "record", "field"),
    [
        ("bills", "draft_bill", "due_date"),
        ("bills", "bill", "invoice_number"),
        ("bills", "bill", "reference"),
        ("invoices", "draft_invoice", "due_date"),
        ("purchase-orders", "purchase_order", "delivery_date"),
        ("purchase-orders", "purchase_order", "delivery_address"),
        ("credit-notes", "sales_credit_note", "number"),
        ("suppliers", "supplier", "email"),
        ("items", "item", "description"),
    ],
)
def test_null_on_a_clearable_field_clears_it(
    client: TestClient,
    admin: Tenant,
    records: CompanyRecords,
    path: str,
    record: str,
    field: str,
) -> None:
    url = admin.url(f"/{path}/{getattr(records, record)}")
    values: dict[str, Any] = {
        "due_date": "2026-12-24",
        "delivery_date": "2026-12-24",
        "delivery_address": {"line1": "1 Quay St", "city": "Auckland"},
        "email": "a@b.test",
    }
    filled = client.patch(url, json={field: values.get(field, "X-1")}, headers=admin.headers)
    assert filled.status_code == 200, filled.text
    assert filled.json()[field] is not None

    cleared = client.patch(url, json={field: None}, headers=admin.headers)

    assert cleared.status_code == 200, cleared.text
    assert cleared.json()[field] is None
    assert client.get(url, headers=admin.headers).json()[field] is None


def test_a_not_null_violation_in_the_store_is_not_reported_as_a_duplicate(
    container: Container, client: TestClient, admin: Tenant, records: CompanyRecords
) -> None:
    with container.uow() as uow:
        bill = Bill(
            company_id=UUID(admin.company_id),
            supplier_id=UUID(records.supplier),
            date=dt.date(2026, 11, 2),
            currency="NZD",
        )
        bill.date = None  # type: ignore[assignment]
        with pytest.raises(MissingValue) as raised:
            uow.bills.add(bill)
        assert not isinstance(raised.value, DuplicateRecord)
        assert raised.value.field == "date"
        assert "bill needs a date" in str(raised.value)
