"""Looking one document up among many: found by key, however old; the outbox pages."""

from datetime import UTC, datetime, timedelta
from typing import get_args
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from ledgerlink.api.routes.outbox import OutboxState
from ledgerlink.bootstrap import Container
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.tables.outbox import OUTBOX_STATES
from ledgerlink.sync.engine.manual import retry_failed
from tests.integration.api.conftest import Tenant, problem

MANY = 1_050
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def store_states(container: Container, company_id: UUID, state: str) -> list[UUID]:
    """The oldest document first, then MANY newer ones, saved in bulk."""
    oldest = uuid4()
    newer = [uuid4() for _ in range(MANY)]
    with container.uow() as uow:
        SyncStateRepository(uow.session, lambda: START).save_many(
            [SyncState(company_id, "bill", oldest, state=state, xero_id="old-one")], existing=set()
        )
        SyncStateRepository(uow.session, lambda: START + timedelta(days=30)).save_many(
            [SyncState(company_id, "bill", d, state=state) for d in newer], existing=set()
        )
        uow.commit()
    return [oldest, *newer]


def test_the_oldest_of_many_documents_has_its_sync_state_found(
    client: TestClient, container: Container, admin: Tenant
) -> None:
    oldest, *_ = store_states(container, UUID(admin.company_id), "sent")

    answer = client.get(admin.url(f"/sync/bill/{oldest}"), headers=admin.headers)

    assert answer.status_code == 200, answer.text
    assert (answer.json()["document_id"], answer.json()["xero_id"]) == (str(oldest), "old-one")


def test_a_settings_change_retries_every_failed_document_however_many(
    container: Container, admin: Tenant
) -> None:
    company_id = UUID(admin.company_id)
    documents = store_states(container, company_id, "failed")

    with container.uow() as uow:
        retried = retry_failed(uow, company_id, START + timedelta(days=31))
        uow.commit()

    assert retried == len(documents)
    with container.uow() as uow:
        assert SyncStateRepository(uow.session, lambda: START).count(company_id, "failed") == 0


def test_the_outbox_pages_with_an_offset(client: TestClient, admin: Tenant) -> None:
    for name in ("Able Ltd", "Baker Ltd", "Carter Ltd"):
        made = client.post(admin.url("/suppliers"), json={"name": name}, headers=admin.headers)
        assert made.status_code == 201, made.text
    everything = client.get(admin.url("/outbox"), headers=admin.headers).json()["data"]
    assert len(everything) >= 3

    pages = [
        client.get(admin.url(f"/outbox?limit=1&offset={at}"), headers=admin.headers).json()["data"]
        for at in range(len(everything))
    ]

    assert [row["id"] for page in pages for row in page] == [row["id"] for row in everything]


def test_the_outbox_refuses_a_state_rows_never_have(client: TestClient, admin: Tenant) -> None:
    body = problem(client.get(admin.url("/outbox?state=sent"), headers=admin.headers), 422)

    assert [e["field"] for e in body["errors"]] == ["state"]
    assert "pending" in body["errors"][0]["message"] + body["errors"][0].get("fix", "")
    problem(client.get(admin.url("/outbox?offset=-1"), headers=admin.headers), 422)
    schema = client.get("/api/v1/openapi.json").json()
    parameters = schema["paths"]["/api/v1/companies/{company_id}/outbox"]["get"]["parameters"]
    state = next(p for p in parameters if p["name"] == "state")
    assert "done" in str(state["schema"])
    assert get_args(OutboxState) == OUTBOX_STATES
