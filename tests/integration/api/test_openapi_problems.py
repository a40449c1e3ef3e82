"""The OpenAPI document says what the API really answers: problem+json errors and enums."""

import json
from typing import Any

import jsonschema
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem

PROBLEM_JSON = "application/problem+json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _openapi(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    ]


def test_no_operation_documents_fastapis_validation_error(client: TestClient) -> None:
    schema = _openapi(client)
    assert "HTTPValidationError" not in json.dumps(schema)
    assert "Problem" in schema["components"]["schemas"]


def test_every_operation_documents_422_as_problem_json(client: TestClient) -> None:
    schema = _openapi(client)
    missing = []
    for path, method, operation in _operations(schema):
        answer = operation["responses"].get("422", {})
        ref = answer.get("content", {}).get(PROBLEM_JSON, {}).get("schema", {}).get("$ref")
        if ref != "#/components/schemas/Problem":
            missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_company_operations_document_401_403_404_as_problem_json(client: TestClient) -> None:
    schema = _openapi(client)
    operation = schema["paths"]["/api/v1/companies/{company_id}/bills/{item_id}"]["patch"]
    for status in ("401", "403", "404", "409", "412", "422"):
        assert PROBLEM_JSON in operation["responses"][status]["content"], status


def _enum(schema: dict[str, Any], model: str, field: str) -> list[str]:
    found = schema["components"]["schemas"][model]["properties"][field]
    return list(found.get("enum", []))


def _query_enum(schema: dict[str, Any], path: str, name: str) -> list[str]:
    for parameter in schema["paths"][path]["get"]["parameters"]:
        if parameter["name"] == name:
            return list(parameter["schema"].get("enum", []))
    raise AssertionError(f"{path} has no {name} parameter")


def test_enumerated_fields_are_enums(client: TestClient) -> None:
    schema = _openapi(client)
    assert _enum(schema, "CreditNoteCreate", "kind") == ["purchase", "sales"]
    assert _enum(schema, "CreditNotePublic", "kind") == ["purchase", "sales"]
    assert "approved" in _enum(schema, "BillPublic", "status")
    assert "finished" in _enum(schema, "PurchaseOrderPublic", "status")
    assert "issued" in _enum(schema, "InvoicePublic", "status")
    assert "recorded" in _enum(schema, "PaymentPublic", "status")
    assert set(_enum(schema, "SyncStatePublic", "state")) == {
        "pending",
        "sent",
        "failed",
        "resolved",
    }
    role = schema["components"]["schemas"]["MemberCreate"]["properties"]["role"]
    assert schema["components"]["schemas"][role["$ref"].rsplit("/", 1)[1]]["enum"]
    assert "needs_reconnect" in _enum(schema, "XeroConnectionPublic", "status")
    assert _enum(schema, "ConnectOutcomePublic", "status") == ["connected", "choose_organisation"]
    companies = "/api/v1/companies/{company_id}"
    assert _query_enum(schema, f"{companies}/suppliers", "status") == ["active", "archived"]
    assert "approved" in _query_enum(schema, f"{companies}/bills", "status")
    assert "failed" in _query_enum(schema, f"{companies}/sync", "state")


def test_a_real_422_validates_against_the_documented_problem(
    client: TestClient, admin: Tenant
) -> None:
    schema = _openapi(client)
    body = {"kind": "purchase", "date": "not a date", "currency": "NZD"}
    response = client.post(admin.url("/credit-notes"), json=body, headers=admin.headers)
    answer = problem(response, 422)
    documented = {"$ref": "#/components/schemas/Problem", "components": schema["components"]}
    jsonschema.validate(answer, documented)
    assert any(error["field"] == "date" for error in answer["errors"])


def test_a_real_404_validates_against_the_documented_problem(
    client: TestClient, admin: Tenant
) -> None:
    schema = _openapi(client)
    missing = admin.url("/bills/00000000-0000-0000-0000-000000000000")
    answer = problem(client.get(missing, headers=admin.headers), 404)
    documented = {"$ref": "#/components/schemas/Problem", "components": schema["components"]}
    jsonschema.validate(answer, documented)


def test_status_filters_take_either_letter_case(client: TestClient, admin: Tenant) -> None:
    supplier = client.post(admin.url("/suppliers"), json={"name": "Kiwi"}, headers=admin.headers)
    assert supplier.status_code == 201
    for status in ("active", "ACTIVE", "Active"):
        found = client.get(admin.url(f"/suppliers?status={status}"), headers=admin.headers)
        assert found.json()["count"] == 1, status
    for status in ("draft", "DRAFT"):
        found = client.get(admin.url(f"/bills?status={status}"), headers=admin.headers)
        assert found.status_code == 200, status


def test_an_unknown_status_filter_names_the_allowed_ones(client: TestClient, admin: Tenant) -> None:
    answer = problem(client.get(admin.url("/bills?status=open"), headers=admin.headers), 422)
    assert answer["errors"][0]["field"] == "status"
    assert "draft, submitted, approved" in answer["errors"][0]["message"]


def _description(schema: dict[str, Any], model: str, field: str) -> str:
    return str(schema["components"]["schemas"][model]["properties"][field].get("description"))


def test_the_openapi_says_a_missing_quantity_counts_one(client: TestClient) -> None:
    schema = _openapi(client)
    assert "without a quantity counts 1" in _description(schema, "LineBody", "quantity")


def test_the_openapi_says_only_invoice_number_reaches_xero_on_a_bill(client: TestClient) -> None:
    schema = _openapi(client)
    for model in ("BillCreate", "BillUpdate", "BillPublic"):
        assert "sent to Xero as the bill's InvoiceNumber" in _description(
            schema, model, "invoice_number"
        )
        assert "only its `invoice_number` reaches Xero" in _description(schema, model, "number")


def test_reference_data_status_filters_take_either_letter_case(
    client: TestClient, admin: Tenant
) -> None:
    schema = _openapi(client)
    accounts = "/api/v1/companies/{company_id}/accounts"
    assert _query_enum(schema, accounts, "status") == ["active", "archived", "deleted"]
    for status in ("active", "ACTIVE"):
        found = client.get(admin.url(f"/accounts?status={status}"), headers=admin.headers)
        assert found.status_code == 200, found.text
    refused = client.get(admin.url("/tax-rates?status=gone"), headers=admin.headers)
    assert problem(refused, 422)["errors"][0]["field"] == "status"
