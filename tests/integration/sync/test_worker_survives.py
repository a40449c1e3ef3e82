"""A running worker outlives a pass that fails: it logs the error, pauses, and goes on."""

import asyncio
import sqlite3
from uuid import UUID

import pytest
from sqlalchemy import Engine

from ledgerlink.sync.engine import Worker, WorkerConfig
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.sync.conftest import SandboxClients, add_supplier, approved_bill

SEND_TIMEOUT_SECONDS = 60.0


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_worker_goes_on_after_a_pass_finds_the_database_locked(
    uow_factory: UowFactory,
    company_id: UUID,
    clients: SandboxClients,
    clock: FakeClock,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Lamp Co")
    # Another process holds SQLite's write lock past the busy timeout.
    holder = sqlite3.connect(str(engine.url.database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    pauses: list[float] = []

    async def pause(seconds: float) -> None:
        pauses.append(seconds)
        if holder.in_transaction:
            holder.execute("ROLLBACK")
            approved_bill(uow_factory, company_id, supplier, "INV-AFTER-LOCK")
        clock.advance(seconds)

    worker = Worker(
        uow_factory,
        clients,
        config=WorkerConfig(name="w", poll_seconds=0.05),
        clock=clock,
        sleep=pause,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
            while worker.total.documents == 0:
                assert not running.done(), "the worker stopped"
                await asyncio.sleep(0.1)
    finally:
        stop.set()
        await asyncio.wait_for(running, timeout=20)
        holder.close()

    assert pauses and pauses[0] > 0
    assert "database is locked" in caplog.text and "pass failed" in caplog.text
    with uow_factory() as uow:
        bill = uow.bills.list(company_id)[0]
        assert uow.xero_links.get(company_id, "bill", bill.id) is not None
