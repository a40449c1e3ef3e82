"""`ETag` on reads and writes; `If-Match` refuses a change made on a stale read (412)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.store.repositories.aggregates import AggregateRepository
from tests.integration.api.company_records import CompanyRecords, make_records
from tests.integration.api.conftest import Tenant, problem


@pytest.fixture
def records(client: TestClient, admin: Tenant) -> CompanyRecords:
    return make_records(client, admin, "Acme")


def with_if_match(tenant: Tenant, tag: str) -> dict[str, str]:
    return {**tenant.headers, "If-Match": tag}


@pytest.mark.parametrize(
    ("path", "record", "change"),
    [
        ("/bills", "draft_bill", {"reference": "first"}),
        ("/purchase-orders", "purchase_order", {"reference": "first"}),
        ("/invoices", "draft_invoice", {"reference": "first"}),
        ("/credit-notes", "sales_credit_note", {"reference": "first"}),
        ("/suppliers", "supplier", {"phone": "111"}),
        ("/items", "item", {"description": "first"}),
    ],
)
def test_two_patches_with_the_same_if_match_the_second_is_412_and_not_stored(
    client: TestClient,
    admin: Tenant,
    records: CompanyRecords,
    path: str,
    record: str,
    change: dict[str, Any],
) -> None:
    url = admin.url(f"{path}/{getattr(records, record)}")
    read = client.get(url, headers=admin.headers)
    tag = read.headers["ETag"]
    assert tag == f'"{read.json()["version"]}"'
    field = next(iter(change))

    first = client.patch(url, json=change, headers=with_if_match(admin, tag))
    second = client.patch(url, json={field: "second"}, headers=with_if_match(admin, tag))

    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == f'"{first.json()["version"]}"' != tag
    body = problem(second, 412)
    assert body["errors"][0]["field"] == "If-Match"
    assert first.headers["ETag"] in body["errors"][0]["message"]
    stored = client.get(url, headers=admin.headers)
    assert stored.json()[field] == change[field]
    assert stored.headers["ETag"] == first.headers["ETag"]


def test_a_lifecycle_step_with_a_stale_if_match_is_412_and_does_not_happen(
    client: TestClient, admin: Tenant, records: CompanyRecords
) -> None:
    url = admin.url(f"/bills/{records.draft_bill}")
    tag = client.get(url, headers=admin.headers).headers["ETag"]
    edited = client.patch(url, json={"reference": "edited"}, headers=admin.headers)
    assert edited.status_code == 200

    stale = client.post(f"{url}/submit", headers=with_if_match(admin, tag))

    problem(stale, 412)
    assert client.get(url, headers=admin.headers).json()["status"] == "draft"
    fresh = client.post(f"{url}/submit", headers=with_if_match(admin, edited.headers["ETag"]))
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["status"] == "submitted"
    assert fresh.headers["ETag"] == f'"{fresh.json()["version"]}"'


def test_without_if_match_the_change_is_applied_as_before(
    client: TestClient, admin: Tenant, records: CompanyRecords
) -> None:
    url = admin.url(f"/bills/{records.draft_bill}")
    for reference in ("one", "two"):
        response = client.patch(url, json={"reference": reference}, headers=admin.headers)
        assert response.status_code == 200, response.text
    assert client.get(url, headers=admin.headers).json()["reference"] == "two"


def test_a_weak_or_listed_tag_and_a_star_match(
    client: TestClient, admin: Tenant, records: CompanyRecords
) -> None:
    url = admin.url(f"/suppliers/{records.supplier}")
    version = client.get(url, headers=admin.headers).json()["version"]
    for tag, phone in ((f'W/"{version}"', "1"), (f'"99", "{version + 1}"', "2"), ("*", "3")):
        response = client.patch(url, json={"phone": phone}, headers=with_if_match(admin, tag))
        assert response.status_code == 200, (tag, response.text)


def test_a_created_record_answers_with_its_etag(client: TestClient, admin: Tenant) -> None:
    created = client.post(admin.url("/suppliers"), json={"name": "New"}, headers=admin.headers)
    assert created.headers["ETag"] == f'"{created.json()["version"]}"'


def test_the_openapi_documents_if_match_and_etag(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    patch = spec["paths"]["/api/v1/companies/{company_id}/bills/{item_id}"]["patch"]
    header = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert header["in"] == "header"
    assert "412" in header["description"]
    assert "412" in patch["responses"]
    assert "ETag" in patch["responses"]["200"]["headers"]


def test_two_patches_with_the_same_if_match_at_the_same_moment_the_loser_is_412(
    client: TestClient,
    container: Container,
    admin: Tenant,
    records: CompanyRecords,
    monkeypatch: pytest.MonkeyPatch,
    backend: str,
) -> None:
    """Both pass the If-Match check; the other one's change is stored first, in between."""
    if backend == "sqlite":
        pytest.skip("SQLite takes one writer at a time: the race cannot happen there")
    url = admin.url(f"/bills/{records.draft_bill}")
    tag = client.get(url, headers=admin.headers).headers["ETag"]
    original = AggregateRepository.save_changes
    raced = []

    def save_after_the_other(self: AggregateRepository[Any]) -> None:
        changing = any(a.version != v for a, v in self._seen.values())
        if changing and not raced:
            raced.append(True)
            other = client.patch(url, json={"reference": "other"}, headers=admin.headers)
            assert other.status_code == 200, other.text
        original(self)

    monkeypatch.setattr(AggregateRepository, "save_changes", save_after_the_other)
    mine = client.patch(url, json={"reference": "mine"}, headers=with_if_match(admin, tag))
    body = problem(mine, 412)
    assert body["errors"][0]["field"] == "If-Match"
    assert raced
    monkeypatch.undo()
    assert client.get(url, headers=admin.headers).json()["reference"] == "other"
