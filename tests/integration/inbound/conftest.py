"""Webhook events against a real database: a company connected to an organisation."""

import base64
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import func, select

from ledgerlink.domain.bill import Bill
from ledgerlink.store.records import CompanySettings
from ledgerlink.store.repositories.webhook_events import IncomingEvent, WebhookEventRepository
from ledgerlink.store.tables import outbox, webhook_events, xero_connections
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import Worker
from tests.integration.api.conftest import admin, client, container
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.sync.conftest import (
    ClientCredentials,
    add_supplier,
    approved_bill,
    clients,
    make_worker,
    sandbox,
    sandbox_config,
    set_export_settings,
)
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["admin", "client", "clients", "container", "make_worker", "sandbox", "sandbox_config"]

SANDBOX_KEY = "sandbox-webhook-key"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def connect(uow: SqlUnitOfWork, company_id: UUID, tenant_id: str) -> None:
    """Bind the company to `tenant_id` as a finished connection does."""
    uow.session.execute(
        xero_connections.insert().values(
            company_id=company_id,
            status="connected",
            tenant_id=tenant_id,
            tenant_name="Demo Company",
            scopes="accounting.transactions",
            tokens="-",
            expires_at=NOW,
            choices=[],
            created_at=NOW,
            updated_at=NOW,
        )
    )
    uow.commit()


def sign(body: bytes, key: str = SANDBOX_KEY) -> str:
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


def event(tenant_id: str, resource_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceUrl": f"https://api.xero.com/api.xro/2.0/Invoices/{resource_id}",
        "resourceId": resource_id,
        "eventDateUtc": "2026-03-02T09:00:00.123",
        "eventType": "UPDATE",
        "eventCategory": "INVOICE",
        "tenantId": tenant_id,
        "tenantType": "ORGANISATION",
        **extra,
    }


def batch(*events: dict[str, Any], entropy: str = "ABCDEFGHIJKLMNOPQRST") -> bytes:
    body = {"events": list(events), "firstEventSequence": 1, "lastEventSequence": len(events),
            "entropy": entropy}  # fmt: skip
    return json.dumps(body, separators=(",", ":")).encode()


def stored(uow: SqlUnitOfWork) -> list[dict[str, Any]]:
    rows = uow.session.execute(select(webhook_events).order_by(webhook_events.c.id)).mappings()
    return [dict(row) for row in rows]


async def xero_write(sandbox: RunningSandbox, method: str, path: str, body: Any) -> Any:
    """Change the sandbox's organisation as a person in Xero would."""
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, sandbox.base_url).access_token()
        answer = await http.request(
            method,
            f"{sandbox.base_url}/api.xro/2.0{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


async def pay_in_xero(sandbox: RunningSandbox, invoice_id: str, amount: str) -> None:
    payment = {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"},
               "Date": "2026-03-10", "Amount": amount}  # fmt: skip
    await xero_write(sandbox, "PUT", "/Payments", {"Payments": [payment]})


def outbox_rows(uow_factory: UowFactory) -> int:
    with uow_factory() as uow:
        return int(uow.session.execute(select(func.count()).select_from(outbox)).scalar_one())


def store_events(
    uow_factory: UowFactory, clock: FakeClock, *resource_ids: str, category: str = "INVOICE"
) -> None:
    events = [
        IncomingEvent(DEMO_TENANT_ID, category, "UPDATE", resource_id, clock())
        for resource_id in resource_ids
    ]
    with uow_factory() as uow:
        outcome = WebhookEventRepository(uow.session).store(events, clock())
        uow.commit()
    assert outcome.dropped == 0


async def bills_in_xero(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    count: int = 1,
    **options: Any,
) -> list[tuple[Bill, str]]:
    """Approved bills sent to the sandbox by the worker; the company connected to it."""
    if options:
        set_export_settings(uow_factory, company_id, **options)
    supplier = add_supplier(uow_factory, company_id, "Lamp Co")
    bills = [approved_bill(uow_factory, company_id, supplier, f"SUP-{n + 1}") for n in range(count)]
    await make_worker().drain(max_seconds=30)
    with uow_factory() as uow:
        links = [uow.xero_links.get(company_id, "bill", bill.id) for bill in bills]
        connect(uow, company_id, DEMO_TENANT_ID)
    return [(bill, link.xero_id) for bill, link in zip(bills, links, strict=True) if link]


async def bill_in_xero(
    uow_factory: UowFactory, company_id: UUID, make_worker: Callable[..., Worker], **options: Any
) -> tuple[Bill, str]:
    """An approved bill sent to the sandbox by the worker; the company connected to it."""
    ((bill, xero_id),) = await bills_in_xero(uow_factory, company_id, make_worker, 1, **options)
    return bill, xero_id


def reread(uow_factory: UowFactory, bill: Bill) -> Bill:
    with uow_factory() as uow:
        found = uow.bills.get(bill.company_id, bill.id)
    assert found is not None
    return found


def set_company_option(uow_factory: UowFactory, company_id: UUID, key: str, value: Any) -> None:
    """Set one of the company's options, keeping the others and its other settings."""
    with uow_factory() as uow:
        company = uow.companies.get(company_id)
        assert company is not None
        s = company.settings
        options = {**s.options, key: value}
        uow.companies.update_settings(
            company_id, CompanySettings(s.rounding, s.line_amount_type, options)
        )
        uow.commit()
