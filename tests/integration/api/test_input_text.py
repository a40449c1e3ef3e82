"""Text entering through the API: NUL characters, lone surrogates and overlong values are
refused by name, stored nowhere, and never stop a company's lists from answering."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledgerlink.api.schemas import documents
from ledgerlink.bootstrap import Container
from tests.integration.api.conftest import Tenant, problem

LONE_SURROGATE = "\ud800"
NUL = "\u0000"


@pytest.fixture
def supplier_id(client: TestClient, admin: Tenant) -> str:
    response = client.post(admin.url("/suppliers"), json={"name": "Acme"}, headers=admin.headers)
    return str(response.json()["id"])


def post_raw(client: TestClient, tenant: Tenant, path: str, body: dict[str, Any]) -> Any:
    """POST `body` as JSON written with escapes, as a client in another language would."""
    return client.post(
        tenant.url(path),
        content=json.dumps(body).encode("ascii"),  # "\ud800" travels as the escape \ud800
        headers={**tenant.headers, "content-type": "application/json"},
    )


def bill_body(supplier: str, **extra: Any) -> dict[str, Any]:
    line = {"description": "Paper", "quantity": "1", "unit_price": "10", "account_code": "400"}
    line.update(extra.pop("line", {}))
    return {
        "supplier_id": supplier,
        "date": "2026-11-02",
        "due_date": "2026-12-02",
        "currency": "NZD",
        "lines": [line],
        **extra,
    }


def po_body(supplier: str, **extra: Any) -> dict[str, Any]:
    body = bill_body(supplier, **extra)
    del body["due_date"]
    return body


def assert_nothing_stored(client: TestClient, tenant: Tenant, path: str) -> None:
    listed = client.get(tenant.url(path), headers=tenant.headers)
    assert listed.status_code == 200, listed.text
    assert listed.json()["count"] == 0


BAD_TEXT = [
    ({"line": {"description": LONE_SURROGATE}}, "lines[0].description"),
    ({"line": {"description": f"Pa{NUL}per"}}, "lines[0].description"),
    ({"number": LONE_SURROGATE}, "number"),
    ({"number": f"B-{NUL}1"}, "number"),
    ({"reference": LONE_SURROGATE}, "reference"),
    ({"line": {"account_code": NUL}}, "lines[0].account_code"),
    ({"line": {"tracking": [{"category": LONE_SURROGATE, "option": "x"}]}},
     "lines[0].tracking[0].category"),
]  # fmt: skip
BAD_TEXT_IDS = [
    "surrogate-description",
    "nul-description",
    "surrogate-number",
    "nul-number",
    "surrogate-reference",
    "nul-account-code",
    "surrogate-tracking",
]


@pytest.mark.parametrize(("change", "field"), BAD_TEXT, ids=BAD_TEXT_IDS)
@pytest.mark.parametrize("path", ["/bills", "/purchase-orders"])
def test_unstorable_text_in_a_document_is_a_422_naming_the_field_and_stores_nothing(
    client: TestClient,
    admin: Tenant,
    supplier_id: str,
    path: str,
    change: dict[str, Any],
    field: str,
) -> None:
    make = bill_body if path == "/bills" else po_body
    error = problem(post_raw(client, admin, path, make(supplier_id, **change)), 422)
    assert [e["field"] for e in error["errors"]] == [field]
    assert "NUL" in error["detail"] or "lone surrogate" in error["detail"]
    assert_nothing_stored(client, admin, path)


@pytest.mark.parametrize("path", ["/bills", "/purchase-orders"])
def test_the_invoice_number_and_shipping_notes_refuse_a_lone_surrogate(
    client: TestClient, admin: Tenant, supplier_id: str, path: str
) -> None:
    field = "invoice_number" if path == "/bills" else "shipping_notes"
    make = bill_body if path == "/bills" else po_body
    error = problem(post_raw(client, admin, path, make(supplier_id, **{field: "\udfff"})), 422)
    assert error["errors"][0]["field"] == field
    assert_nothing_stored(client, admin, path)


@pytest.mark.parametrize("name", [LONE_SURROGATE, f"Acme{NUL}Ltd"], ids=["surrogate", "nul"])
@pytest.mark.parametrize("path", ["/suppliers", "/customers"])
def test_a_party_name_that_cannot_be_stored_is_a_422_naming_the_name(
    client: TestClient, admin: Tenant, path: str, name: str
) -> None:
    error = problem(post_raw(client, admin, path, {"name": name}), 422)
    assert error["errors"][0]["field"] == "name"
    assert_nothing_stored(client, admin, path)


def test_an_address_line_that_cannot_be_stored_names_its_place(
    client: TestClient, admin: Tenant
) -> None:
    body = {"name": "Acme", "address": {"line1": f"1 Main{NUL} St"}}
    error = problem(post_raw(client, admin, "/suppliers", body), 422)
    assert error["errors"][0]["field"] == "address.line1"


def test_a_patch_with_unstorable_text_changes_nothing(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    bill = client.post(admin.url("/bills"), json=bill_body(supplier_id), headers=admin.headers)
    url = admin.url(f"/bills/{bill.json()['id']}")
    patch = client.patch(
        url,
        content=b'{"reference": "\\ud800"}',
        headers={**admin.headers, "content-type": "application/json"},
    )
    assert problem(patch, 422)["errors"][0]["field"] == "reference"
    fetched = client.get(url, headers=admin.headers)
    assert (fetched.status_code, fetched.json()["reference"]) == (200, None)


@pytest.mark.parametrize(
    ("path", "body", "field", "limit"),
    [
        ("/suppliers", {"name": "A" * 256}, "name", 255),
        ("/suppliers", {"name": "Acme", "phone": "1" * 51}, "phone", 50),
        ("/purchase-orders", {"shipping_notes": "n" * 4001}, "shipping_notes", 4000),
        ("/bills", {"line": {"description": "d" * 4001}}, "lines[0].description", 4000),
        ("/bills", {"reference": "r" * 256}, "reference", 255),
    ],
    ids=["party-name", "phone", "shipping-notes", "line-description", "reference"],
)
def test_overlong_text_is_refused_with_its_limit(
    client: TestClient,
    admin: Tenant,
    supplier_id: str,
    path: str,
    body: dict[str, Any],
    field: str,
    limit: int,
) -> None:
    if path == "/bills":
        body = bill_body(supplier_id, **body)
    elif path == "/purchase-orders":
        body = po_body(supplier_id, **body)
    error = problem(client.post(admin.url(path), json=body, headers=admin.headers), 422)
    assert error["errors"][0]["field"] == field
    assert str(limit) in error["errors"][0]["message"]


@pytest.mark.parametrize("query", ["status=%00", "status=a%00b"])
def test_a_nul_in_the_query_string_is_a_422_naming_the_parameter(
    client: TestClient, admin: Tenant, query: str
) -> None:
    error = problem(client.get(admin.url(f"/bills?{query}"), headers=admin.headers), 422)
    assert error["errors"][0]["field"] == "status"
    assert "NUL" in error["detail"]


def test_export_settings_refuse_an_account_code_with_a_nul(
    client: TestClient, admin: Tenant
) -> None:
    body = {"default_account_code": f"4{NUL}00"}
    response = client.put(admin.url("/xero/settings"), json=body, headers=admin.headers)
    assert problem(response, 422)["errors"][0]["field"] == "default_account_code"
    stored = client.get(admin.url("/xero/settings"), headers=admin.headers)
    assert (stored.status_code, stored.json()["default_account_code"]) == (200, None)


def test_invalid_json_names_the_line_and_column(
    client: TestClient, admin: Tenant, supplier_id: str
) -> None:
    truncated = f'{{\n  "supplier_id": "{supplier_id}",\n  "date": '.encode()
    error = problem(
        client.post(
            admin.url("/bills"),
            content=truncated,
            headers={**admin.headers, "content-type": "application/json"},
        ),
        422,
    )
    assert error["errors"][0]["field"] == "body"
    assert error["detail"].startswith("body: invalid JSON at line 3 column 11")
    assert_nothing_stored(client, admin, "/bills")


# -- an answer that cannot be written commits nothing -----------------------------------


@pytest.fixture
def lenient_client(container: Container) -> Iterator[TestClient]:
    """A client that receives a 500 as an answer instead of raising the server's error."""
    with TestClient(container.api(), raise_server_exceptions=False) as test_client:
        yield test_client


def outbox_of(client: TestClient, tenant: Tenant, document_id: str) -> list[Any]:
    rows = client.get(tenant.url("/outbox"), headers=tenant.headers).json()["data"]
    return [row for row in rows if row["document_id"] == document_id]


def break_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents answer with a line text JSON cannot encode, as a bug in rendering would."""
    real = documents.line_public

    def broken(*args: Any) -> documents.LinePublic:
        return real(*args).model_copy(update={"description": LONE_SURROGATE})

    monkeypatch.setattr(documents, "line_public", broken)


def test_a_create_whose_answer_cannot_be_written_stores_nothing(
    lenient_client: TestClient, admin: Tenant, supplier_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_answers(monkeypatch)
    created = lenient_client.post(
        admin.url("/bills"), json=bill_body(supplier_id), headers=admin.headers
    )
    assert created.status_code == 500
    assert_nothing_stored(lenient_client, admin, "/bills")


@pytest.mark.parametrize("step", ["submit", "approve"])
def test_a_step_whose_answer_cannot_be_written_changes_nothing(
    lenient_client: TestClient,
    admin: Tenant,
    supplier_id: str,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    bill = lenient_client.post(
        admin.url("/bills"), json=bill_body(supplier_id), headers=admin.headers
    ).json()
    url = admin.url(f"/bills/{bill['id']}")
    if step == "approve":
        bill = lenient_client.post(f"{url}/submit", headers=admin.headers).json()
    outbox_before = outbox_of(lenient_client, admin, bill["id"])
    break_answers(monkeypatch)
    assert lenient_client.post(f"{url}/{step}", headers=admin.headers).status_code == 500
    monkeypatch.undo()
    fetched = lenient_client.get(url, headers=admin.headers).json()
    assert (fetched["status"], fetched["version"]) == (bill["status"], bill["version"])
    assert outbox_of(lenient_client, admin, bill["id"]) == outbox_before
