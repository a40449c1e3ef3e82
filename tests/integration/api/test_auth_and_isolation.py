"""Bearer tokens, company scoping and the admin role, through the HTTP API."""

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


def test_a_request_without_a_token_is_refused_with_how_to_get_one(
    client: TestClient, admin: Tenant
) -> None:
    body = problem(client.get(admin.url("/suppliers")), 401)
    assert "ledgerlink users add" in body["detail"]


def test_an_unknown_token_is_refused(client: TestClient, admin: Tenant) -> None:
    response = client.get(admin.url("/suppliers"), headers={"Authorization": "Bearer ll_nope"})
    assert "unknown or revoked" in problem(response, 401)["detail"]


def test_the_caller_sees_only_their_companies(
    client: TestClient, admin: Tenant, other: Tenant
) -> None:
    listed = client.get("/api/v1/companies", headers=admin.headers).json()
    assert [c["name"] for c in listed["data"]] == ["Acme Ltd"]
    assert listed["data"][0]["role"] == "admin"


@pytest.mark.parametrize("path", ["", "/suppliers", "/customers", "/items"], ids=str)
def test_another_company_answers_not_found(
    client: TestClient, admin: Tenant, other: Tenant, path: str
) -> None:
    response = client.get(other.url(path), headers=admin.headers)
    problem(response, 404)


def test_another_companys_record_is_not_found_even_by_id(
    client: TestClient, admin: Tenant, other: Tenant
) -> None:
    created = client.post(other.url("/suppliers"), json={"name": "Secret"}, headers=other.headers)
    assert created.status_code == 201
    supplier_id = created.json()["id"]
    problem(client.get(admin.url(f"/suppliers/{supplier_id}"), headers=admin.headers), 404)
    # Asking through one's own company does not reach it either.
    problem(
        client.patch(
            admin.url(f"/suppliers/{supplier_id}"), json={"name": "x"}, headers=admin.headers
        ),
        404,
    )
    fetched = client.get(other.url(f"/suppliers/{supplier_id}"), headers=other.headers)
    assert fetched.json()["name"] == "Secret"


def test_openapi_is_served_under_the_api_prefix(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/companies/{company_id}/suppliers" in spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
