"""Xero's daily limit parks one organisation's work until it resets; others go on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from uuid import UUID

import httpx
import pytest

from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.sync.engine import Worker, WorkerConfig
from tests.client.sandbox.conftest import Connected, connect
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SANDBOX_START,
    UowFactory,
    add_supplier,
    approved_bill,
)
from xero_client import XeroClient
from xero_sandbox import (
    DEMO_TENANT_ID,
    EMPTY_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    serve_in_thread,
)

DAILY_LIMIT = 6


@pytest.fixture
def limited_sandbox() -> Iterator[RunningSandbox]:
    config = SandboxConfig(
        seed="empty", limits="xero", daily_limit=DAILY_LIMIT, multi_organisation_consent=True
    )
    with serve_in_thread(config, SandboxClock.manual(SANDBOX_START)) as running:
        yield running


class TwoOrganisations:
    """Company ``a`` is bound to the demo organisation, every other to the empty one."""

    def __init__(self, connected: Connected, a: UUID) -> None:
        self.connected = connected
        self.a = a

    @asynccontextmanager
    async def __call__(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        tenant = DEMO_TENANT_ID if company_id == self.a else EMPTY_TENANT_ID
        yield self.connected.client(tenant)


async def test_a_spent_daily_budget_parks_one_organisation_while_another_goes_on(
    uow_factory: UowFactory,
    company_id: UUID,
    other_company_id: UUID,
    clock: FakeClock,
    limited_sandbox: RunningSandbox,
) -> None:
    busy = add_supplier(uow_factory, company_id, "Busy Supplier")
    calm = add_supplier(uow_factory, other_company_id, "Calm Supplier")
    for n in range(300):  # six batches of bills after the contact: over the budget
        approved_bill(uow_factory, company_id, busy, f"A-{n:03d}")
    for n in range(3):
        approved_bill(uow_factory, other_company_id, calm, f"B-{n:03d}")
    async with httpx.AsyncClient(timeout=10) as http:
        connected = await connect(http, limited_sandbox.base_url, limited_sandbox.clock)
        clients = TwoOrganisations(connected, company_id)

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        worker = Worker(
            uow_factory, clients, config=WorkerConfig(name="budget"), clock=clock, sleep=advance
        )
        await worker.drain()
        empty = await sandbox_get_tenant(limited_sandbox, EMPTY_TENANT_ID, connected)

    assert sorted(i["InvoiceNumber"] for i in empty) == ["B-000", "B-001", "B-002"]
    with uow_factory() as uow:
        until = uow.outbox.parked_until(company_id, clock())
        assert until is not None and until > clock()
        assert uow.outbox.parked_until(other_company_id, clock()) is None
        states = SyncStateRepository(uow.session, clock).list(company_id, limit=1000)
        waiting = [s for s in states if s.state == "pending"]
        assert waiting and all("daily limit" in (s.last_error or "") for s in waiting)
        assert not [s for s in states if s.state == "failed"]
        rows = [r for r in uow.outbox.list(company_id, limit=1000) if r.reaches_xero]
        assert {r.state for r in rows} == {"done", "pending"}
        assert min(r.available_at for r in rows if r.state == "pending") >= until


async def sandbox_get_tenant(
    sandbox: RunningSandbox, tenant: str, connected: Connected
) -> list[dict[str, object]]:
    invoices: list[dict[str, object]] = []
    async for invoice in connected.client(tenant).iter_invoices():
        if invoice.type == "ACCPAY" and invoice.invoice_number:
            invoices.append({"InvoiceNumber": invoice.invoice_number})
    return invoices
