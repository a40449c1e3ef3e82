"""The accounting routes behind the platform's real gateway: token, tenant header, limits."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, create_app

from .builders import bill
from .spec import validate_against_spec


@pytest.fixture
async def xero() -> AsyncIterator[httpx.AsyncClient]:
    clock = SandboxClock.manual(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    transport = httpx.ASGITransport(app=create_app(SandboxConfig(), clock))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.xero.com") as client:
        token = await client.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        )
        assert token.status_code == 200, token.text
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        client.headers["xero-tenant-id"] = DEMO_TENANT_ID
        yield client


async def test_a_bill_is_created_paid_and_read_back_through_the_gateway(
    xero: httpx.AsyncClient,
) -> None:
    organisation = await xero.get("/api.xro/2.0/Organisation")
    validate_against_spec(organisation)
    assert organisation.json()["Organisations"][0]["Name"] == "Demo Company (Sandbox)"
    created = await xero.put("/api.xro/2.0/Invoices", json={"Invoices": [bill()]})
    validate_against_spec(created)
    invoice_id = created.json()["Invoices"][0]["InvoiceID"]
    paid = await xero.put(
        "/api.xro/2.0/Payments",
        json={"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"}, "Amount": 115},
    )
    validate_against_spec(paid)
    read = await xero.get(f"/api.xro/2.0/Invoices/{invoice_id}")
    assert read.json()["Invoices"][0]["Status"] == "PAID"
    assert "x-minlimit-remaining" in {k.lower() for k in read.headers}


@pytest.mark.parametrize(
    "path",
    ["/Accounts", "/TaxRates", "/TrackingCategories", "/Contacts", "/Items", "/Invoices",
     "/PurchaseOrders", "/CreditNotes", "/Payments", "/BatchPayments", "/BankTransactions",
     "/Overpayments", "/Prepayments", "/Currencies"],
    ids=lambda p: p.strip("/").lower(),
)  # fmt: skip
async def test_every_list_is_reachable_with_the_default_scopes(
    xero: httpx.AsyncClient, path: str
) -> None:
    response = await xero.get("/api.xro/2.0" + path)
    assert response.status_code == 200, response.text
    validate_against_spec(response)
