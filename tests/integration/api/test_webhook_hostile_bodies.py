"""`POST /xero/webhooks` under hostile bodies: signed ones are 200 and store only the valid
events; nothing is ever a server error."""

import json
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from tests.integration.api.conftest import Tenant
from tests.integration.inbound.conftest import batch, connect, event, sign, stored

TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
INVOICE = "9b2e6f7a-0000-4000-8000-000000000001"
OTHER_INVOICE = "9b2e6f7a-0000-4000-8000-000000000002"
URL = "/xero/webhooks"


@pytest.fixture
def company(container: Container, admin: Tenant) -> UUID:
    with container.uow() as uow:
        connect(uow, UUID(admin.company_id), TENANT)
    return UUID(admin.company_id)


def post(client: TestClient, body: bytes) -> httpx.Response:
    headers = {"content-type": "application/json", "x-xero-signature": sign(body)}
    return client.post(URL, content=body, headers=headers)


def resource_ids(container: Container) -> list[str]:
    with container.uow() as uow:
        return [row["resource_id"] for row in stored(uow)]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 10_000 + b"]" * 10_000,
        b'{"events": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        b"\xff\xfe\x00{",
        b'{"events": [{"tenantId": "\xc3\x28"}]}',
        b"\x00" * 64,
    ],
    ids=[
        "array-10000-deep",
        "events-10000-deep",
        "object-10000-deep",
        "bom-bytes",
        "invalid-utf8",
        "nul-bytes",
    ],
)
def test_a_signed_body_that_is_no_json_of_events_is_200_and_stores_nothing(
    client: TestClient, container: Container, company: UUID, body: bytes
) -> None:
    answer = post(client, body)
    assert (answer.status_code, answer.content) == (200, b"")
    assert resource_ids(container) == []


def test_a_body_of_10_megabytes_is_413_and_stores_nothing(
    client: TestClient, container: Container, company: UUID
) -> None:
    body = batch(event(TENANT, INVOICE), entropy="A" * (10 * 1024 * 1024))
    assert post(client, body).status_code == 413
    assert resource_ids(container) == []


@pytest.mark.parametrize(
    "odd",
    [
        {"tenantId": None},
        {"tenantId": ""},
        {"tenantId": 42},
        {"tenantId": ["x"]},
        {"tenantId": "T" * 65},
        {"tenantId": TENANT + "\x00"},
        {"tenantId": TENANT + "\ud800"},
        {"eventDateUtc": None},
        {"eventDateUtc": "yesterday"},
        {"eventDateUtc": "9999-12-31T23:59:59-01:00"},
        {"eventDateUtc": "0001-01-01T00:00:00+01:00"},
        {"eventDateUtc": "2026-03-02T09:00:00\x00"},
        {"eventDateUtc": 1_700_000_000},
        {"resourceId": OTHER_INVOICE + "\x00"},
        {"resourceId": "\udfff"},
        {"eventCategory": "INVOICE\x00"},
        {"eventType": "\ud800UPDATE"},
        {"eventCategory": "I" * 41},
        {"eventType": "U" * 64},
        {"eventCategory": "\u00df" * 30},
        {"tenantId": "\u0130" * 40},
        {"resourceId": "\u0130" * 40},
    ],
    ids=repr,
)
def test_an_odd_event_beside_a_valid_one_is_dropped_and_the_valid_one_stored(
    client: TestClient, container: Container, company: UUID, odd: dict[str, object]
) -> None:
    bad = {**event(TENANT, OTHER_INVOICE), **odd}
    body = json.dumps({"events": [bad, event(TENANT, INVOICE)]}).encode()
    answer = post(client, body)
    assert (answer.status_code, answer.content) == (200, b"")
    assert resource_ids(container) == [INVOICE]


def test_an_event_missing_its_tenant_or_date_is_dropped(
    client: TestClient, container: Container, company: UUID
) -> None:
    no_tenant = event(TENANT, OTHER_INVOICE)
    del no_tenant["tenantId"]
    no_date = event(TENANT, OTHER_INVOICE)
    del no_date["eventDateUtc"]
    body = json.dumps({"events": [no_tenant, no_date, event(TENANT, INVOICE)]}).encode()
    assert post(client, body).status_code == 200
    assert resource_ids(container) == [INVOICE]
