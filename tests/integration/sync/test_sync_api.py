"""`/companies/{id}/sync`: bad input gets a clear problem naming the field."""

from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/sync?state=lost", 422, "state"),
        ("/sync?kind=invoice", 422, "kind"),
        ("/sync?limit=0", 422, "limit"),
    ],
    ids=["unknown-state", "unknown-kind", "limit-too-small"],
)
def test_bad_filters_are_refused_naming_the_field(
    client: TestClient, admin: Tenant, path: str, status: int, field: str
) -> None:
    body = problem(client.get(admin.url(path), headers=admin.headers), status)
    assert [e["field"] for e in body["errors"]] == [field]


def test_an_untracked_document_is_not_found_for_retry_or_resolve(
    client: TestClient, admin: Tenant
) -> None:
    missing = uuid4()
    for action in ("retry", "resolve"):
        answer = client.post(admin.url(f"/sync/bill/{missing}/{action}"), headers=admin.headers)
        assert str(missing) in problem(answer, 404)["detail"]
    problem(client.get(admin.url(f"/sync/bill/{missing}"), headers=admin.headers), 404)


def test_nothing_waits_in_a_new_company(client: TestClient, admin: Tenant) -> None:
    answer = client.get(admin.url("/sync"), headers=admin.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"data": []}
