"""Approved bills reach Xero exactly once, in batches, through the worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.engine.manual import retry
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
from xero_client import parse_date
from xero_sandbox import RunningSandbox


async def test_approved_bills_are_created_in_one_batch_and_linked(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    suppliers = [add_supplier(uow_factory, company_id, f"Supplier {n}") for n in range(3)]
    bills = [
        approved_bill(uow_factory, company_id, suppliers[n % 3], f"INV-{n:03d}") for n in range(7)
    ]
    await sandbox_control(sandbox, "DELETE", "/stats")

    report = await make_worker().drain()

    assert report.documents >= 7
    found = await sandbox_get(sandbox, "/Invoices", where='Type=="ACCPAY"')
    numbers = sorted(
        i["InvoiceNumber"] for i in found["Invoices"] if i["InvoiceNumber"].startswith("INV-")
    )
    assert numbers == [f"INV-{n:03d}" for n in range(7)]
    stats = await sandbox_control(sandbox, "GET", "/stats")
    writes = [c for c in stats["organisations"][0]["calls"] if c["method"] in ("PUT", "POST")]
    assert sum(c["count"] for c in writes) == 2, writes  # one for contacts, one for bills
    with uow_factory() as uow:
        for bill in bills:
            link = uow.xero_links.get(company_id, "bill", bill.id)
            assert link is not None and link.synced_version == bill.version
        waiting = [r for r in uow.outbox.list(company_id, limit=1000) if r.reaches_xero]
        assert {r.state for r in waiting} == {"done"}
    invoice = next(i for i in found["Invoices"] if i["InvoiceNumber"] == "INV-000")
    assert Decimal(str(invoice["Total"])) == bills[0].total


async def test_several_changes_of_one_bill_become_one_send_of_its_latest_version(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Busy Editor Ltd")
    bill = approved_bill(uow_factory, company_id, supplier, "EDIT-1")
    for due in (dt.date(2026, 4, 10), dt.date(2026, 4, 20)):
        with uow_factory() as uow:
            stored = uow.bills.get(company_id, bill.id)
            assert stored is not None
            stored.edit(due_date=due)
            uow.commit()
    await sandbox_control(sandbox, "DELETE", "/stats")

    await make_worker().drain()

    found = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers="EDIT-1"))["Invoices"]
    assert len(found) == 1
    assert parse_date(found[0]["DueDate"]) == dt.date(2026, 4, 20)
    stats = await sandbox_control(sandbox, "GET", "/stats")
    writes = [
        (c["method"], c["path"])
        for o in stats["organisations"]
        for c in o["calls"]
        if c["method"] in ("PUT", "POST")
    ]
    assert writes == [("PUT", "/api.xro/2.0/Contacts"), ("PUT", "/api.xro/2.0/Invoices")]
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "bill", bill.id)
    assert link is not None and link.synced_version == bill.version + 2


async def test_a_bill_xero_keeps_failing_is_marked_failed_after_the_last_attempt_then_retried(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Flaky Ltd")
    bill = approved_bill(uow_factory, company_id, supplier, "FLAKY-1")
    fault = {"kind": "error", "status": 503, "method": "PUT", "path": "*/Invoices*", "times": 50}
    await sandbox_control(sandbox, "POST", "/faults", fault)

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    worker = Worker(
        uow_factory,
        SandboxClients(sandbox.base_url, attempts=1),
        config=WorkerConfig(name="flaky", policy=ExportPolicy(max_attempts=4)),
        clock=clock,
        sleep=advance,
    )
    started = clock()
    await worker.drain()

    with uow_factory() as uow:
        state = SyncStateRepository(uow.session, clock).get(company_id, "bill", bill.id)
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "bill", bill.id)
    assert state is not None and state.state == "failed"
    assert state.attempts == 4 and "gave up after 4 attempts" in (state.fix or "")
    assert [e.outcome for e in log if e.action == "create"] == ["retry"] * 3 + ["failed"]
    assert (clock() - started).total_seconds() >= 1 + 2 + 4  # backoff between attempts
    assert (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers="FLAKY-1"))["Invoices"] == []

    await sandbox_control(sandbox, "DELETE", "/faults")
    with uow_factory() as uow:
        retry(uow, company_id, "bill", bill.id, clock())
        uow.commit()
    await worker.drain()

    found = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers="FLAKY-1"))["Invoices"]
    assert len(found) == 1
    with uow_factory() as uow:
        state = SyncStateRepository(uow.session, clock).get(company_id, "bill", bill.id)
    assert state is not None and state.state == "sent"
