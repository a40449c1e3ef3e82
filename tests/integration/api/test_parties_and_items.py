"""Suppliers, customers and items through the HTTP API, with validation errors."""

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


@pytest.mark.parametrize("path", ["/suppliers", "/customers"], ids=str)
def test_create_get_update_and_list_a_party(client: TestClient, admin: Tenant, path: str) -> None:
    created = client.post(
        admin.url(path),
        json={
            "name": "Acme Supplies",
            "email": "ap@acme.test",
            "currency": "NZD",
            "address": {"line1": "1 Queen St", "city": "Auckland", "country": "NZ"},
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    party = created.json()
    assert party["currency"] == "NZD"
    assert party["address"]["city"] == "Auckland"

    changed = client.patch(
        admin.url(f"{path}/{party['id']}"), json={"phone": "+64 9 555 0100"}, headers=admin.headers
    )
    assert changed.json()["phone"] == "+64 9 555 0100"
    assert changed.json()["version"] == party["version"] + 1

    listed = client.get(admin.url(path), headers=admin.headers).json()
    assert listed["count"] == 1
    assert listed["data"][0]["id"] == party["id"]


def test_paging_and_status_filter(client: TestClient, admin: Tenant) -> None:
    for n in range(5):
        client.post(admin.url("/suppliers"), json={"name": f"S{n}"}, headers=admin.headers)
    first = client.get(admin.url("/suppliers?limit=2"), headers=admin.headers).json()
    assert (len(first["data"]), first["count"]) == (2, 5)
    rest = client.get(admin.url("/suppliers?limit=2&offset=4"), headers=admin.headers).json()
    assert len(rest["data"]) == 1
    archive_id = first["data"][0]["id"]
    client.patch(
        admin.url(f"/suppliers/{archive_id}"), json={"active": False}, headers=admin.headers
    )
    archived = client.get(admin.url("/suppliers?status=ARCHIVED"), headers=admin.headers).json()
    assert [s["id"] for s in archived["data"]] == [archive_id]
    bad = problem(client.get(admin.url("/suppliers?status=GONE"), headers=admin.headers), 422)
    assert bad["errors"][0]["field"] == "status"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "A", "email": "not-an-email"}, "email"),
        ({"name": "A", "currency": "dollars"}, "currency"),
        ({"name": "A", "colour": "blue"}, "colour"),
    ],
    ids=["missing-name", "bad-email", "bad-currency", "unknown-field"],
)
def test_bad_input_names_the_field_and_stores_nothing(
    client: TestClient, admin: Tenant, body: dict[str, str], field: str
) -> None:
    error = problem(client.post(admin.url("/suppliers"), json=body, headers=admin.headers), 422)
    assert any(e["field"] == field for e in error["errors"]), error
    assert client.get(admin.url("/suppliers"), headers=admin.headers).json()["count"] == 0


def test_a_duplicate_item_code_is_a_conflict_naming_the_code(
    client: TestClient, admin: Tenant
) -> None:
    item = {"code": "WIDGET", "name": "Widget", "purchase_price": "12.50"}
    assert client.post(admin.url("/items"), json=item, headers=admin.headers).status_code == 201
    error = problem(client.post(admin.url("/items"), json=item, headers=admin.headers), 409)
    assert error["errors"][0]["field"] == "code"
    assert "WIDGET" in error["detail"]


def test_a_member_can_create_records(client: TestClient, member: Tenant) -> None:
    response = client.post(member.url("/customers"), json={"name": "C"}, headers=member.headers)
    assert response.status_code == 201
