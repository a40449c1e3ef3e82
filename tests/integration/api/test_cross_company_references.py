"""Every id or code a document or payment refers to must be the caller's company's record,
of the right kind: another company's record, a made-up one and one of another kind are
all refused (422 naming the field) and nothing is stored."""

from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.domain.catalogue import ReferenceStatus, TrackingCategory, TrackingOption
from tests.integration.api.company_records import LINE, CompanyRecords, make_records
from tests.integration.api.conftest import Tenant, problem

Records = tuple[CompanyRecords, CompanyRecords]  # (A's, B's)
Pick = Callable[[CompanyRecords, CompanyRecords], str]

DATED = {"date": "2026-11-02", "currency": "NZD", "lines": [LINE]}


@pytest.fixture
def records(client: TestClient, admin: Tenant, other: Tenant) -> Records:
    return make_records(client, admin, "Acme"), make_records(client, other, "Globex")


def random_id(_a: CompanyRecords, _b: CompanyRecords) -> str:
    return str(uuid4())


# (what is created, its body with the reference to test, the field named, what the
# reference is set to: B's record of the right kind, a random id, A's record of a wrong kind)
CASES: list[tuple[str, Callable[[CompanyRecords, str], dict[str, Any]], str, list[Pick]]] = [
    (
        "/purchase-orders",
        lambda a, ref: {"supplier_id": ref, **DATED},
        "supplier_id",
        [lambda a, b: b.supplier, random_id, lambda a, b: a.customer],
    ),
    (
        "/bills",
        lambda a, ref: {"supplier_id": ref, **DATED},
        "supplier_id",
        [lambda a, b: b.supplier, random_id, lambda a, b: a.customer],
    ),
    (
        "/bills",
        lambda a, ref: {"supplier_id": a.supplier, "purchase_order_id": ref, **DATED},
        "purchase_order_id",
        [lambda a, b: b.purchase_order, random_id, lambda a, b: a.bill],
    ),
    (
        "/invoices",
        lambda a, ref: {"customer_id": ref, **DATED},
        "customer_id",
        [lambda a, b: b.customer, random_id, lambda a, b: a.supplier],
    ),
    (
        "/credit-notes",
        lambda a, ref: {"kind": "purchase", "party_id": ref, **DATED},
        "party_id",
        [lambda a, b: b.supplier, random_id, lambda a, b: a.customer],
    ),
    (
        "/credit-notes",
        lambda a, ref: {"kind": "sales", "party_id": ref, **DATED},
        "party_id",
        [lambda a, b: b.customer, random_id, lambda a, b: a.supplier],
    ),
    (
        "/credit-notes",
        lambda a, ref: {
            "kind": "purchase", "party_id": a.supplier, "credited_document_id": ref, **DATED
        },
        "credited_document_id",
        [lambda a, b: b.bill, random_id, lambda a, b: a.invoice],
    ),
    (
        "/credit-notes",
        lambda a, ref: {
            "kind": "sales", "party_id": a.customer, "credited_document_id": ref, **DATED
        },
        "credited_document_id",
        [lambda a, b: b.invoice, random_id, lambda a, b: a.bill],
    ),
    (
        "/payments",
        lambda a, ref: {
            "date": "2026-11-10", "amount": "15.00", "currency": "NZD",
            "bank_account_code": "090", "party_id": ref,
            "allocations": [{"document_id": a.bill, "amount": "15.00"}],
        },
        "party_id",
        [lambda a, b: b.supplier, random_id, lambda a, b: a.customer],
    ),
    (
        "/payments",
        lambda a, ref: {
            "date": "2026-11-10", "amount": "15.00", "currency": "NZD",
            "bank_account_code": "090",
            "allocations": [{"document_id": ref, "amount": "15.00"}],
        },
        "allocations[0].document_id",
        [lambda a, b: b.bill, random_id, lambda a, b: a.purchase_order],
    ),
]  # fmt: skip


def _count(client: TestClient, tenant: Tenant, path: str) -> int:
    return int(client.get(tenant.url(path), headers=tenant.headers).json()["count"])


@pytest.mark.parametrize("which", ["other company's", "random", "wrong kind"])
@pytest.mark.parametrize(("path", "body", "field", "picks"), CASES)
def test_a_reference_that_is_not_this_companys_record_of_that_kind_is_refused(
    client: TestClient,
    admin: Tenant,
    records: Records,
    path: str,
    body: Callable[[CompanyRecords, str], dict[str, Any]],
    field: str,
    picks: list[Pick],
    which: str,
) -> None:
    a, b = records
    pick = picks[["other company's", "random", "wrong kind"].index(which)]
    before = _count(client, admin, path)

    response = client.post(admin.url(path), json=body(a, pick(a, b)), headers=admin.headers)

    assert problem(response, 422)["errors"][0]["field"] == field
    assert _count(client, admin, path) == before


def test_a_payment_names_the_party_of_the_documents_it_pays(
    client: TestClient, admin: Tenant, records: Records
) -> None:
    a, _b = records
    body = {
        "date": "2026-11-10", "amount": "15.00", "currency": "NZD", "bank_account_code": "090",
        "allocations": [{"document_id": a.bill, "amount": "15.00"}],
    }  # fmt: skip
    other_supplier = client.post(
        admin.url("/suppliers"), json={"name": "Someone Else"}, headers=admin.headers
    ).json()["id"]
    refused = client.post(
        admin.url("/payments"), json={**body, "party_id": other_supplier}, headers=admin.headers
    )
    assert problem(refused, 422)["errors"][0]["field"] == "party_id"
    paid = client.post(
        admin.url("/payments"), json={**body, "party_id": a.supplier}, headers=admin.headers
    )
    assert paid.status_code == 201, paid.text


@pytest.mark.parametrize(
    ("path", "record"),
    [
        ("/purchase-orders", "purchase_order"),
        ("/bills", "draft_bill"),
        ("/invoices", "draft_invoice"),
        ("/credit-notes", "sales_credit_note"),
    ],
)
@pytest.mark.parametrize("code", ["Globex-1", "NO-SUCH-ITEM"])
def test_a_line_item_code_must_be_one_of_the_companys_items(
    client: TestClient, admin: Tenant, records: Records, path: str, record: str, code: str
) -> None:
    a, _b = records
    url = admin.url(f"{path}/{getattr(a, record)}")
    before = client.get(url, headers=admin.headers).json()
    lines = [LINE, {**LINE, "item_code": code}]

    refused = client.patch(url, json={"lines": lines}, headers=admin.headers)

    assert problem(refused, 422)["errors"][0]["field"] == "lines[1].item_code"
    assert client.get(url, headers=admin.headers).json() == before
    own = client.patch(
        url, json={"lines": [{**LINE, "item_code": "Acme-1"}]}, headers=admin.headers
    )
    assert own.status_code == 200, own.text
    assert own.json()["lines"][0]["item_code"] == "Acme-1"


@pytest.mark.parametrize(
    ("path", "record", "field", "value"),
    [
        ("/bills", "draft_bill", "supplier_id", "supplier"),
        ("/purchase-orders", "purchase_order", "supplier_id", "supplier"),
        ("/invoices", "draft_invoice", "customer_id", "customer"),
    ],
)
def test_changing_a_party_to_another_companys_is_refused(
    client: TestClient,
    admin: Tenant,
    records: Records,
    path: str,
    record: str,
    field: str,
    value: str,
) -> None:
    a, b = records
    url = admin.url(f"{path}/{getattr(a, record)}")
    refused = client.patch(url, json={field: getattr(b, value)}, headers=admin.headers)
    assert problem(refused, 422)["errors"][0]["field"] == field
    assert client.get(url, headers=admin.headers).json()[field] == getattr(a, value)


def test_tracking_is_checked_against_the_imported_categories_once_there_are_some(
    container: Container, client: TestClient, admin: Tenant, records: Records
) -> None:
    a, _b = records
    url = admin.url(f"/bills/{a.draft_bill}")

    def tracked(category: str, option: str) -> Any:
        line = {**LINE, "tracking": [{"category": category, "option": option}]}
        return client.patch(url, json={"lines": [line]}, headers=admin.headers)

    assert tracked("Anything", "Goes").status_code == 200  # nothing imported yet
    with container.uow() as uow:
        uow.tracking_categories.add(
            UUID(admin.company_id),
            TrackingCategory(
                name="Region",
                options=(
                    TrackingOption(name="North"),
                    TrackingOption(name="South", status=ReferenceStatus.ARCHIVED),
                ),
            ),
        )
        uow.commit()

    unknown = problem(tracked("Department", "Admin"), 422)
    assert unknown["errors"][0]["field"] == "lines[0].tracking[0].category"
    assert "Region" in unknown["errors"][0]["message"]
    for option in ("East", "South"):
        refused = problem(tracked("Region", option), 422)
        assert refused["errors"][0]["field"] == "lines[0].tracking[0].option"
    assert tracked("region", "north").status_code == 200
