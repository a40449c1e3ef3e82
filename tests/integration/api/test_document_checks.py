"""Documents are checked against the imported chart of accounts when written, not when sent."""

import dataclasses
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.domain.catalogue import Account, AccountClass, ReferenceStatus, TaxRate
from tests.integration.api.conftest import Tenant, problem


def _import_chart(container: Container, tenant: Tenant) -> None:
    """The store as an import from Xero leaves it: a few accounts and a tax rate."""
    company_id = UUID(tenant.company_id)
    with container.uow() as uow:
        for code, name, kind, cls, status in (
            ("400", "Advertising", "EXPENSE", AccountClass.EXPENSE, ReferenceStatus.ACTIVE),
            ("455", "Old costs", "EXPENSE", AccountClass.EXPENSE, ReferenceStatus.ARCHIVED),
            ("090", "Bank", "BANK", AccountClass.ASSET, ReferenceStatus.ACTIVE),
        ):
            uow.accounts.add(
                company_id,
                Account(code=code, name=name, type=kind, account_class=cls, status=status),
            )
        uow.tax_rates.add(
            company_id, TaxRate(name="GST on Expenses", tax_type="INPUT2", rate=Decimal(15))
        )
        uow.commit()


def _supplier(client: TestClient, tenant: Tenant) -> str:
    answer = client.post(tenant.url("/suppliers"), json={"name": "Lamp Co"}, headers=tenant.headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _bill(supplier_id: str, account_code: str | None = "400", **extra: Any) -> dict[str, Any]:
    line: dict[str, Any] = {"description": "Lamps", "quantity": "2", "unit_price": "50"}
    if account_code is not None:
        line["account_code"] = account_code
    return {
        "supplier_id": supplier_id,
        "date": "2026-11-02",
        "due_date": "2026-12-02",
        "currency": "NZD",
        "lines": [line],
        **extra,
    }


@pytest.fixture
def imported(container: Container, admin: Tenant) -> Tenant:
    _import_chart(container, admin)
    return admin


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("999", "Account code '999' is not a valid code for this document"),
        ("455", "Account code '455' has been archived"),
        ("090", "090 is a bank account; choose an expense or revenue account"),
    ],
    ids=["not-in-chart", "archived", "bank"],
)
def test_a_bill_with_an_account_xero_would_refuse_is_refused_on_create(
    client: TestClient, imported: Tenant, code: str, says: str
) -> None:
    supplier_id = _supplier(client, imported)
    body = _bill(supplier_id, code)

    answer = problem(client.post(imported.url("/bills"), json=body, headers=imported.headers), 422)

    assert answer["errors"][0]["field"] == "lines[0].account_code"
    assert says in answer["errors"][0]["message"]
    listed = client.get(imported.url("/bills"), headers=imported.headers).json()
    assert listed["count"] == 0


def test_a_change_to_an_account_not_in_the_chart_is_refused_and_nothing_changes(
    client: TestClient, imported: Tenant
) -> None:
    created = client.post(
        imported.url("/bills"), json=_bill(_supplier(client, imported)), headers=imported.headers
    )
    assert created.status_code == 201, created.text
    url = imported.url(f"/bills/{created.json()['id']}")
    lines = [{"description": "Lamps", "quantity": "1", "unit_price": "5", "account_code": "7"}]

    answer = problem(client.patch(url, json={"lines": lines}, headers=imported.headers), 422)

    assert answer["errors"] == [
        {
            "field": "lines[0].account_code",
            "message": "Account code '7' is not a valid code for this document: choose an "
            "account imported from Xero, or import the chart of accounts again",
        }
    ]
    assert client.get(url, headers=imported.headers).json()["lines"][0]["account_code"] == "400"


def test_approve_is_refused_once_the_account_was_archived_in_the_chart(
    client: TestClient, container: Container, imported: Tenant
) -> None:
    created = client.post(
        imported.url("/bills"), json=_bill(_supplier(client, imported)), headers=imported.headers
    )
    url = imported.url(f"/bills/{created.json()['id']}")
    assert client.post(f"{url}/submit", headers=imported.headers).status_code == 200
    with container.uow() as uow:
        account = Account(
            code="400", name="Advertising", type="EXPENSE", account_class=AccountClass.EXPENSE
        )
        archived = dataclasses.replace(account, status=ReferenceStatus.ARCHIVED)
        uow.accounts.save(UUID(imported.company_id), archived)
        uow.commit()

    answer = problem(client.post(f"{url}/approve", headers=imported.headers), 422)

    assert answer["errors"][0]["field"] == "lines[0].account_code"
    assert "has been archived" in answer["errors"][0]["message"]
    assert client.get(url, headers=imported.headers).json()["status"] == "submitted"


def test_a_good_bill_is_taken_without_warnings(client: TestClient, imported: Tenant) -> None:
    body = _bill(_supplier(client, imported), "400")

    created = client.post(imported.url("/bills"), json=body, headers=imported.headers)

    assert created.status_code == 201, created.text
    assert created.json()["warnings"] == []


def test_with_no_chart_imported_any_account_is_taken_with_a_warning(
    client: TestClient, admin: Tenant
) -> None:
    body = _bill(_supplier(client, admin), "999")

    created = client.post(admin.url("/bills"), json=body, headers=admin.headers)

    assert created.status_code == 201, created.text
    warnings = created.json()["warnings"]
    assert warnings[0]["field"] == "lines"
    assert "no chart of accounts is imported" in warnings[0]["message"]


def test_a_draft_without_account_or_due_date_is_taken_with_warnings(
    client: TestClient, imported: Tenant
) -> None:
    body = _bill(_supplier(client, imported), None)
    del body["due_date"]

    created = client.post(imported.url("/bills"), json=body, headers=imported.headers)

    assert created.status_code == 201, created.text
    assert created.json()["warnings"] == [
        {"field": "lines[0].account_code", "message": "needed before approval"},
        {"field": "due_date", "message": "needed before submit"},
    ]


def test_a_bill_without_due_date_is_refused_at_submit_naming_due_date(
    client: TestClient, admin: Tenant
) -> None:
    body = _bill(_supplier(client, admin))
    del body["due_date"]
    created = client.post(admin.url("/bills"), json=body, headers=admin.headers)
    url = admin.url(f"/bills/{created.json()['id']}")

    answer = problem(client.post(f"{url}/submit", headers=admin.headers), 422)

    assert answer["errors"][0]["field"] == "due_date"
    assert "needs a due date" in answer["errors"][0]["message"]
    assert client.get(url, headers=admin.headers).json()["status"] == "draft"
