"""`POST /xero/webhooks`: signed posts stored once, per company; the rest refused or dropped."""

import logging
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from tests.integration.api.conftest import Tenant
from tests.integration.inbound.conftest import batch, connect, event, sign, stored
from tests.integration.sync.harness import serve_api
from xero_sandbox import SandboxConfig, serve_in_thread

TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
INVOICE = "9b2e6f7a-0000-4000-8000-000000000001"
URL = "/xero/webhooks"


@pytest.fixture
def company(container: Container, admin: Tenant) -> UUID:
    with container.uow() as uow:
        connect(uow, UUID(admin.company_id), TENANT)
    return UUID(admin.company_id)


def post(client: TestClient, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-xero-signature"] = signature
    return client.post(URL, content=body, headers=headers)


def test_a_signed_post_is_answered_200_and_its_event_stored_for_the_company(
    client: TestClient, container: Container, company: UUID
) -> None:
    body = batch(event(TENANT, INVOICE))
    answer = post(client, body, sign(body))
    assert (answer.status_code, answer.content) == (200, b"")
    with container.uow() as uow:
        rows = stored(uow)
    assert [(r["company_id"], r["resource_id"], r["category"], r["event_type"]) for r in rows] == [
        (company, INVOICE, "INVOICE", "UPDATE")
    ]
    assert rows[0]["processed_at"] is None


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl", "wrong key"])
def test_a_missing_or_wrong_signature_gets_401_with_an_empty_body_and_stores_nothing(
    client: TestClient, container: Container, company: UUID, signature: str | None
) -> None:
    body = batch(event(TENANT, INVOICE))
    if signature == "wrong key":
        signature = sign(body, "another-key")
    answer = post(client, body, signature)
    assert (answer.status_code, answer.content) == (401, b"")
    with container.uow() as uow:
        assert stored(uow) == []


def test_a_signature_of_another_body_gets_401(client: TestClient, company: UUID) -> None:
    body = batch(event(TENANT, INVOICE))
    answer = post(client, body + b" ", sign(body))
    assert (answer.status_code, answer.content) == (401, b"")


def test_a_replayed_event_is_stored_once(
    client: TestClient, container: Container, company: UUID
) -> None:
    first = batch(event(TENANT, INVOICE), entropy="A" * 20)
    again = batch(event(TENANT, INVOICE), event(TENANT, INVOICE.upper()), entropy="B" * 20)
    for body in (first, first, again):
        assert post(client, body, sign(body)).status_code == 200
    later = batch(event(TENANT, INVOICE, eventDateUtc="2026-03-02T09:00:01.000"))
    assert post(client, later, sign(later)).status_code == 200
    with container.uow() as uow:
        assert len(stored(uow)) == 2


def test_an_event_of_an_organisation_connected_to_no_company_is_dropped(
    client: TestClient, container: Container, company: UUID
) -> None:
    body = batch(event(str(uuid4()), INVOICE), event(TENANT, INVOICE))
    assert post(client, body, sign(body)).status_code == 200
    with container.uow() as uow:
        assert [r["tenant_id"] for r in stored(uow)] == [TENANT]


@pytest.mark.parametrize(
    "body", [b"", b"{}", b"not json", b'{"events": "x"}', b'{"events": [{"tenantId": 1}]}']
)
def test_a_signed_post_holding_no_events_is_answered_200(
    client: TestClient, container: Container, company: UUID, body: bytes
) -> None:
    answer = post(client, body, sign(body))
    assert (answer.status_code, answer.content) == (200, b"")
    with container.uow() as uow:
        assert stored(uow) == []


def test_the_key_never_appears_in_the_log(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = "a-private-webhook-key-4711"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url, xero_webhook_key=key))
    try:
        with container.uow() as uow:
            company = uow.companies.add("Acme Ltd")
            uow.commit()
            connect(uow, company.id, TENANT)
        caplog.set_level(logging.DEBUG)
        body = batch(event(TENANT, INVOICE))
        with TestClient(container.api()) as client:
            assert post(client, body, sign(body, key)).status_code == 200
            assert post(client, body, sign(body, "wrong")).status_code == 401
            assert post(client, body, None).status_code == 401
        assert caplog.records
        assert all(key not in record.getMessage() for record in caplog.records)
        assert key not in caplog.text
    finally:
        container.close()


def test_the_sandbox_intent_to_receive_passes_over_real_http(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url))
    try:
        with serve_in_thread(SandboxConfig(seed="demo", limits="off")) as sandbox:
            for root in serve_api(container):
                answer = httpx.post(
                    f"{sandbox.base_url}/_sandbox/webhooks/intent-to-receive",
                    json={"url": f"{root}{URL}"},
                    timeout=15,
                )
                assert answer.json()["status"] == "OK", answer.json()
    finally:
        container.close()


@pytest.mark.parametrize(
    ("key", "status"), [(None, 401), ("sandbox-webhook-key", 200)], ids=["unset", "set"]
)
def test_production_refuses_webhooks_until_its_own_key_is_set(
    tmp_path: Path, key: str | None, status: int
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    chosen = {} if key is None else {"xero_webhook_key": key}
    settings = Settings(
        database_url=database_url, environment="production", secret_key="k" * 44, **chosen
    )
    container = Container(settings)
    try:
        body = batch(event(TENANT, INVOICE))
        with TestClient(container.api()) as client:
            answer = post(client, body, sign(body))
        assert (answer.status_code, answer.content) == (status, b"")
    finally:
        container.close()
