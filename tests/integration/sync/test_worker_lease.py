"""A company whose export outlasts its lease stays with the worker exporting it.

The worker renews the lease on a timer while the export runs, not only when the export
writes: here Xero holds the bill's create for three times the lease, and meanwhile another
worker may not take the company (it would send the same documents at the same moment).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

from ledgerlink.store.clock import utc_now
from ledgerlink.sync.engine import Worker, WorkerConfig
from tests.integration.conftest import UowFactory
from tests.integration.sync.conftest import (
    SandboxClients,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import RunningSandbox

LEASE_SECONDS = 1.0
HELD_MS = 3000


def other_worker_takes_it(uow_factory: UowFactory, company_id: UUID) -> bool:
    with uow_factory() as uow:
        now = utc_now()
        taken = uow.outbox.take_lease(company_id, "other", now, now + timedelta(seconds=60))
        uow.commit()
    return taken


async def test_a_slow_export_keeps_its_company_lease(
    uow_factory: UowFactory, company_id: UUID, sandbox: RunningSandbox, clients: SandboxClients
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Slow Supplies")
    approved_bill(uow_factory, company_id, supplier, "SLOW-1")
    await sandbox_control(
        sandbox,
        "POST",
        "/faults",
        {"kind": "delay", "method": "PUT", "path": "*/Invoices*", "delay_ms": HELD_MS},
    )
    worker = Worker(
        uow_factory, clients, config=WorkerConfig(name="slow", lease_seconds=LEASE_SECONDS)
    )
    exporting = asyncio.create_task(worker.run_pass())
    for _ in range(600):  # until the create is held
        if not await sandbox_control(sandbox, "GET", "/faults"):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(2 * LEASE_SECONDS)  # the lease, as first taken, has run out

    assert not await asyncio.to_thread(other_worker_takes_it, uow_factory, company_id)
    report = await exporting
    assert report.documents == 2  # the supplier and its bill
    numbers = [i["InvoiceNumber"] for i in (await sandbox_get(sandbox, "/Invoices"))["Invoices"]]
    assert numbers.count("SLOW-1") == 1
