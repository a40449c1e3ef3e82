"""A supplier's (or customer's) name is unique in its company, ignoring case and surrounding
spaces, as Xero's contact names are; a supplier and a customer may share one."""

from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.domain.parties import Supplier
from ledgerlink.store.errors import DuplicateRecord
from tests.integration.api.conftest import Tenant, problem


@pytest.mark.parametrize("path", ["/suppliers", "/customers"])
@pytest.mark.parametrize("second", ["Acme Supplies", "ACME supplies", "  acme Supplies  "])
def test_a_second_party_with_the_same_name_is_409_naming_the_one_that_has_it(
    client: TestClient, admin: Tenant, path: str, second: str
) -> None:
    first = client.post(admin.url(path), json={"name": "Acme Supplies"}, headers=admin.headers)
    assert first.status_code == 201, first.text

    response = client.post(admin.url(path), json={"name": second}, headers=admin.headers)

    body = problem(response, 409)
    assert body["errors"][0]["field"] == "name"
    assert first.json()["id"] in body["detail"]
    assert "Acme Supplies" in body["detail"]
    assert client.get(admin.url(path), headers=admin.headers).json()["count"] == 1


@pytest.mark.parametrize("path", ["/suppliers", "/customers"])
def test_renaming_a_party_to_a_name_another_has_is_409_and_changes_nothing(
    client: TestClient, admin: Tenant, path: str
) -> None:
    acme = client.post(admin.url(path), json={"name": "Acme"}, headers=admin.headers).json()
    other = client.post(admin.url(path), json={"name": "Other"}, headers=admin.headers).json()
    url = admin.url(f"{path}/{other['id']}")

    response = client.patch(url, json={"name": " acme "}, headers=admin.headers)

    body = problem(response, 409)
    assert body["errors"][0]["field"] == "name"
    assert acme["id"] in body["detail"]
    assert client.get(url, headers=admin.headers).json()["name"] == "Other"
    recased = client.patch(url, json={"name": "OTHER"}, headers=admin.headers)
    assert recased.status_code == 200, recased.text


def test_a_supplier_and_a_customer_may_share_a_name_as_one_xero_contact(
    client: TestClient, admin: Tenant
) -> None:
    for path in ("/suppliers", "/customers"):
        response = client.post(admin.url(path), json={"name": "Acme"}, headers=admin.headers)
        assert response.status_code == 201, response.text


def test_the_same_name_in_another_company_is_free(
    client: TestClient, admin: Tenant, other: Tenant
) -> None:
    for tenant in (admin, other):
        response = client.post(
            tenant.url("/suppliers"), json={"name": "Acme"}, headers=tenant.headers
        )
        assert response.status_code == 201, response.text


def test_the_store_refuses_a_taken_name_whoever_writes_it(
    container: Container, client: TestClient, admin: Tenant
) -> None:
    client.post(admin.url("/suppliers"), json={"name": "Acme"}, headers=admin.headers)
    with container.uow() as uow:
        with pytest.raises(DuplicateRecord) as raised:
            uow.suppliers.add(Supplier(company_id=UUID(admin.company_id), name="ACME"))
        assert raised.value.field == "name"
