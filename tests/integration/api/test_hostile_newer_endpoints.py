"""The newer writes (stock takes, refunds, store credit and its use, payments, notes, files,
one-time exports) under hostile values: NUL characters, lone surrogates, nulls, huge and
over-precise numbers. Each is a 422 naming the field, and nothing is stored."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.company_records import CompanyRecords, make_records, post
from tests.integration.api.conftest import Tenant

NUL = "\u0000"
LONE_SURROGATE = "\ud800"
TRACKED = {"code": "STOCK-1", "name": "Stock", "purchase_account_code": "310",
           "is_tracked_as_inventory": True, "inventory_asset_account_code": "630"}  # fmt: skip


@pytest.fixture
def records(client: TestClient, admin: Tenant) -> CompanyRecords:
    return make_records(client, admin, "Acme")


@pytest.fixture
def bodies(client: TestClient, admin: Tenant, records: CompanyRecords) -> dict[str, Any]:
    """A valid body for each newer write, by its path."""
    tracked = post(client, admin, "/items", TRACKED)["id"]
    credit = {"customer_id": records.customer, "date": "2026-11-04", "currency": "NZD"}
    store_credit = post(client, admin, "/store-credits", {**credit, "amount": "5.00"})["id"]
    return {
        "/stock-takes": {"item_id": tracked, "date": "2026-11-02", "counted_quantity": "4",
                         "reason": "count"},
        "/refunds": {**credit, "amount": "1.00", "invoice_id": records.invoice, "reason": "why"},
        "/store-credits": {**credit, "amount": "1.00"},
        f"/store-credits/{store_credit}/use": {"invoice_id": records.invoice, "amount": "1.00"},
        "/payments": {"date": "2026-11-10", "amount": "1.00", "currency": "NZD",
                      "bank_account_code": "090", "reference": "ref",
                      "allocations": [{"document_id": records.bill, "amount": "1.00"}]},
        f"/bills/{records.bill}/notes": {"text": "hello"},
        "/xero/exports": {"kind": "customers"},
    }  # fmt: skip


def send(client: TestClient, tenant: Tenant, path: str, body: Any) -> Any:
    """POST as JSON with escapes, as a client in another language would (\\ud800 travels)."""
    return client.post(
        tenant.url(path),
        content=json.dumps(body).encode("ascii"),
        headers={**tenant.headers, "content-type": "application/json"},
    )


def snapshot(client: TestClient, tenant: Tenant, records: CompanyRecords) -> list[Any]:
    lists = ["/stock-takes", "/refunds", "/store-credits", "/payments", "/xero/exports",
             f"/bills/{records.bill}/notes", f"/invoices/{records.invoice}"]  # fmt: skip
    return [client.get(tenant.url(path), headers=tenant.headers).json() for path in lists]


def leaves(body: Any, prefix: str = "") -> list[tuple[str, list[str | int]]]:
    """Every scalar field of a body: its name as errors give it, and its path of keys."""
    found: list[tuple[str, list[str | int]]] = []
    items = body.items() if isinstance(body, dict) else enumerate(body)
    for key, value in items:
        name = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}".lstrip(".")
        if isinstance(value, dict | list):
            found += [(n, [key, *rest]) for n, rest in leaves(value, name)]
        else:
            found.append((name, [key]))
    return found


def replaced(body: Any, keys: list[str | int], value: Any) -> Any:
    copy = json.loads(json.dumps(body))
    target = copy
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return copy


#: Fields that may be left out: null is taken there.
OPTIONAL = {("/refunds", "invoice_id"), ("/refunds", "reason"), ("/payments", "reference")}
HOSTILE = {
    "nul": "a\u0000b",
    "lone surrogate": LONE_SURROGATE,
    "null": None,
    "1e30": 1e30,
    "30 decimals": "1." + "0" * 29 + "1",
    "2**63": 2**63,
    "nested": {"a": [1]},
}


@pytest.mark.parametrize("hostile", list(HOSTILE), ids=list(HOSTILE))
def test_every_field_of_the_newer_writes_refuses_a_hostile_value_by_name(
    client: TestClient, admin: Tenant, records: CompanyRecords, bodies: dict[str, Any],
    hostile: str,
) -> None:  # fmt: skip
    before = snapshot(client, admin, records)
    unexpected = []
    for path, body in bodies.items():
        for name, keys in leaves(body):
            answer = send(client, admin, path, replaced(body, keys, HOSTILE[hostile]))
            if hostile == "null" and (path, name) in OPTIONAL:
                assert answer.status_code == 201, answer.text
                continue
            if answer.status_code != 422:
                if answer.status_code < 300 and hostile in ("2**63", "1e30", "30 decimals"):
                    continue  # a number may be a valid value of a text field (a reference)
                unexpected.append((path, name, answer.status_code, answer.text[:200]))
                continue
            fields = [error["field"] for error in answer.json().get("errors", [])]
            if not any(field.startswith(name) or name.startswith(field) for field in fields):
                unexpected.append((path, name, "names", fields))
    assert not unexpected, "\n".join(map(str, unexpected))
    if hostile not in ("2**63", "1e30", "30 decimals", "null"):
        assert snapshot(client, admin, records) == before
