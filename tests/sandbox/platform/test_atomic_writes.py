"""A write either commits and answers, or fails and leaves nothing stored."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, create_app
from xero_sandbox.accounting import batch

from ..accounting.builders import bill, line

API = "/api.xro/2.0"
LONE_SURROGATE = "\ud800"


@pytest.fixture
async def xero() -> AsyncIterator[httpx.AsyncClient]:
    clock = SandboxClock.manual(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    transport = httpx.ASGITransport(
        app=create_app(SandboxConfig(), clock), raise_app_exceptions=False
    )
    async with httpx.AsyncClient(transport=transport, base_url="https://api.xero.com") as client:
        token = await client.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        )
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        client.headers["xero-tenant-id"] = DEMO_TENANT_ID
        yield client


def _raw_json(body: Any) -> dict[str, Any]:
    """A body sent as JSON with `\\uXXXX` escapes, as clients write unpaired surrogates."""
    return {
        "content": json.dumps(body).encode("ascii"),
        "headers": {"Content-Type": "application/json"},
    }


def break_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write's answer fails while it is written out, after the write was applied."""

    def unrenderable(*args: Any, **kwargs: Any) -> Any:
        raise UnicodeEncodeError("utf-8", LONE_SURROGATE, 0, 1, "surrogates not allowed")

    monkeypatch.setattr(batch, "envelope", unrenderable)


@pytest.fixture
def answers_fail_to_render(monkeypatch: pytest.MonkeyPatch) -> None:
    break_rendering(monkeypatch)


ORDER = {
    "Contact": {"Name": "ABC Furniture"},
    "Date": "2026-03-01",
    "PurchaseOrderNumber": "PO-ATOMIC-1",
    "LineItems": [line()],
}
WRITES = {
    "invoices": ("Invoices", bill(InvoiceNumber="ATOMIC-1"), "InvoiceNumbers=ATOMIC-1"),
    "purchase-orders": ("PurchaseOrders", ORDER, 'where=PurchaseOrderNumber=="PO-ATOMIC-1"'),
    "contacts": ("Contacts", {"Name": "Atomic Supplies Ltd"}, 'where=Name=="Atomic Supplies Ltd"'),
}


@pytest.mark.parametrize("collection, element, query", WRITES.values(), ids=WRITES.keys())
@pytest.mark.usefixtures("answers_fail_to_render")
async def test_a_write_that_fails_while_answering_leaves_nothing_stored(
    xero: httpx.AsyncClient, collection: str, element: dict[str, Any], query: str
) -> None:
    answer = await xero.put(f"{API}/{collection}", json={collection: [element]})
    assert answer.status_code == 500

    listed = await xero.get(f"{API}/{collection}?{query}")
    assert listed.status_code == 200
    assert listed.json()[collection] == []


async def test_an_update_that_fails_while_answering_keeps_the_record_as_it_was(
    xero: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = await xero.put(f"{API}/Contacts", json={"Contacts": [{"Name": "Before Ltd"}]})
    contact_id = created.json()["Contacts"][0]["ContactID"]
    break_rendering(monkeypatch)

    renamed = await xero.post(f"{API}/Contacts/{contact_id}", json={"Name": "After Ltd"})
    assert renamed.status_code == 500

    monkeypatch.undo()
    read = await xero.get(f"{API}/Contacts/{contact_id}")
    assert read.json()["Contacts"][0]["Name"] == "Before Ltd"
    named = await xero.get(f'{API}/Contacts?where=Name=="After Ltd"')
    assert named.json()["Contacts"] == []


async def test_a_lone_surrogate_in_a_description_is_refused_with_a_validation_exception(
    xero: httpx.AsyncClient,
) -> None:
    element = bill(
        InvoiceNumber="SURROGATE-1",
        LineItems=[line(Description=f"Desk {LONE_SURROGATE}")],
    )
    answer = await xero.put(f"{API}/Invoices", **_raw_json({"Invoices": [element]}))

    assert answer.status_code == 400
    body = answer.json()
    assert body["Type"] == "ValidationException"
    (failed,) = body["Elements"]
    (error,) = failed["ValidationErrors"]
    assert error["Message"].startswith("LineItems[0].Description contains a character")
    assert failed["LineItems"][0]["Description"] == "Desk \ufffd"
    listed = await xero.get(f"{API}/Invoices?InvoiceNumbers=SURROGATE-1")
    assert listed.json()["Invoices"] == []


async def test_a_lone_surrogate_fails_only_its_element_when_errors_are_not_summarized(
    xero: httpx.AsyncClient,
) -> None:
    good = {"Name": "Plain Text Ltd"}
    bad = {"Name": f"Broken {LONE_SURROGATE} Ltd"}
    answer = await xero.put(
        f"{API}/Contacts?summarizeErrors=false", **_raw_json({"Contacts": [good, bad]})
    )

    assert answer.status_code == 200
    first, second = answer.json()["Contacts"]
    assert first["StatusAttributeString"] == "OK"
    assert second["StatusAttributeString"] == "ERROR"
    assert second["ValidationErrors"][0]["Message"].startswith("Name contains a character")
    named = await xero.get(f'{API}/Contacts?where=Name.StartsWith("Broken")')
    assert named.json()["Contacts"] == []
