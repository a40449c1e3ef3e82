"""Looking a bill up in Xero before a resend asks Xero for that bill, not the supplier's
whole history: the call count stays bounded whatever the history holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.export.results import ExportPolicy
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_client import Contact, Invoice, LineItem
from xero_sandbox import RunningSandbox

HISTORY = 250


def worker(uow_factory: UowFactory, sandbox: RunningSandbox, clock: FakeClock) -> Worker:
    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    return Worker(
        uow_factory,
        SandboxClients(sandbox.base_url, attempts=1),
        config=WorkerConfig(name="lookup", policy=ExportPolicy(backoff_base_seconds=1.0)),
        clock=clock,
        sleep=advance,
    )


async def invoice_reads(sandbox: RunningSandbox) -> int:
    stats = await sandbox_control(sandbox, "GET", "/stats")
    return sum(
        call["count"]
        for org in stats["organisations"]
        for call in org["calls"]
        if call["method"] == "GET" and call["path"].endswith("/Invoices")
    )


@pytest.mark.parametrize("number", ["LOST-7", None], ids=["numbered", "unnumbered"])
async def test_a_lost_bill_is_found_with_one_read_among_hundreds(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    number: str | None,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Long History Ltd")
    approved_bill(uow_factory, company_id, supplier, "FIRST-1", date=dt.date(2026, 1, 2))
    await worker(uow_factory, sandbox, clock).drain()
    with uow_factory() as uow:
        contact = uow.xero_links.get(company_id, "supplier", supplier.id)
    assert contact is not None
    history = [
        Invoice(
            type="ACCPAY",
            invoice_number=f"HIST-{n:04d}",
            contact=Contact(contact_id=contact.xero_id),
            date=dt.date(2026, 1, 5) + dt.timedelta(days=n % 50),
            due_date=dt.date(2026, 4, 30),
            line_items=(
                LineItem(
                    description="Old",
                    quantity=Decimal(1),
                    unit_amount=Decimal(10),
                    account_code="400",
                    tax_type="INPUT2",
                ),
            ),
        )
        for n in range(HISTORY)
    ]
    async with SandboxClients(sandbox.base_url)(company_id) as client:
        await client.create_invoices(history)
    bill = approved_bill(uow_factory, company_id, supplier, number)  # type: ignore[arg-type]
    await sandbox_control(
        sandbox, "POST", "/faults", {"kind": "drop", "method": "PUT", "path": "*/Invoices*"}
    )
    await sandbox_control(sandbox, "DELETE", "/stats")

    await worker(uow_factory, sandbox, clock).drain()

    assert await invoice_reads(sandbox) == 1
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "bill", bill.id)
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "bill", bill.id)
    assert link is not None
    assert [(e.action, e.outcome) for e in log] == [("create", "retry"), ("lookup", "sent")]
    listed = await sandbox_get(sandbox, "/Invoices", ContactIDs=contact.xero_id, page=3)
    assert len(listed["Invoices"]) == 52  # the first bill, the history and the lost one
