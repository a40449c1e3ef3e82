"""Two exporters on one organisation at once: the one that lost its lease sends nothing more.

The bills were tried once before (each has a sync state, nothing in flight). Worker A
claims them and stalls inside its first create (its request held before it reaches Xero)
until long past its lease. Worker B takes the company over, with a bill approved
meanwhile, and sends everything (its batches cut differently from A's, so their
idempotency keys differ). Then A wakes mid-pass: its held call goes out (Xero answers it
from the key B used for the same batch), and before anything more reaches Xero, A finds
the company is no longer its own and stops. Every bill is in Xero once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from uuid import UUID

import httpx

from ledgerlink.domain.parties import Supplier
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.sync.export.results import ExportPolicy
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.sync.conftest import (
    SandboxClients,
    add_supplier,
    approved_bill,
    sandbox_get,
    worker,
)
from tests.integration.sync.stalls import StallingClients
from xero_sandbox import RunningSandbox

LEASE_SECONDS = 60.0
POLICY = ExportPolicy(backoff_base_seconds=1.0, batch_size=3)


def bill_creates(request: httpx.Request) -> bool:
    return request.method == "PUT" and request.url.path.endswith("/Invoices")


def bills_tried_before(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, name: str, prefix: str
) -> Supplier:
    """Five approved bills of a new supplier, numbered `prefix`-0 to 4, each tried before:
    refused once, fixed since, nothing in flight. Returns the supplier."""
    supplier = add_supplier(uow_factory, company_id, name)
    bills = [approved_bill(uow_factory, company_id, supplier, f"{prefix}-{n}") for n in range(5)]
    with uow_factory() as uow:
        SyncStateRepository(uow.session, clock).save_many(
            [SyncState(company_id, "bill", bill.id, state="pending", attempts=1) for bill in bills]
        )
        uow.commit()
    return supplier


async def test_a_worker_that_lost_its_lease_mid_pass_sends_nothing_more(
    uow_factory: UowFactory,
    company_id: UUID,
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    supplier = bills_tried_before(uow_factory, company_id, clock, "Overlap Supplies", "OVL")
    stalling = StallingClients(sandbox.base_url, request=bill_creates)
    first = worker(uow_factory, stalling, clock, "worker-a", policy=POLICY)
    second = worker(uow_factory, clients, clock, "worker-b", policy=POLICY)

    exporting = asyncio.create_task(first.run_pass())
    await asyncio.wait_for(stalling.stalled.wait(), timeout=30)
    clock.advance(LEASE_SECONDS + 1)  # A's lease has run out; B may take the company
    approved_bill(uow_factory, company_id, supplier, "OVL-5")
    taken = await second.run_pass()
    assert taken.rows > 0
    stalling.wake.set()
    await asyncio.wait_for(exporting, timeout=30)

    invoices = (await sandbox_get(sandbox, "/Invoices"))["Invoices"]
    numbers = Counter(i["InvoiceNumber"] for i in invoices if i["InvoiceNumber"].startswith("OVL"))
    assert numbers == Counter({f"OVL-{n}": 1 for n in range(6)})
    creates_after_wake = [r for r in stalling.sent if bill_creates(r)]
    assert len(creates_after_wake) == 1  # only the call that had left before the stall


async def test_two_workers_started_with_one_name_fence_each_other(
    uow_factory: UowFactory,
    company_id: UUID,
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    """Two processes given the same ``--name``: a lease is held by a worker's run, not by
    its name. A stalls as above; B (same name) takes over and is itself mid-call when A
    wakes: A's held call goes out, then A finds the company is B's and stops, where a
    name alone would let A go on (and B after it) and send bills twice."""
    supplier = bills_tried_before(uow_factory, company_id, clock, "Namesake Supplies", "TWN")
    slow_a, slow_b = (
        StallingClients(sandbox.base_url, request=bill_creates),
        StallingClients(sandbox.base_url, request=bill_creates),
    )
    first = worker(uow_factory, slow_a, clock, "ops-1", policy=POLICY)
    second = worker(uow_factory, slow_b, clock, "ops-1", policy=POLICY)

    exporting = asyncio.create_task(first.run_pass())
    await asyncio.wait_for(slow_a.stalled.wait(), timeout=30)
    clock.advance(LEASE_SECONDS + 1)  # A's lease has run out; B may take the company
    approved_bill(uow_factory, company_id, supplier, "TWN-5")
    taking_over = asyncio.create_task(second.run_pass())
    await asyncio.wait_for(slow_b.stalled.wait(), timeout=30)  # B holds the company now
    slow_a.wake.set()
    await asyncio.wait_for(exporting, timeout=30)
    slow_b.wake.set()
    taken = await asyncio.wait_for(taking_over, timeout=30)
    assert taken.rows > 0

    invoices = (await sandbox_get(sandbox, "/Invoices"))["Invoices"]
    numbers = Counter(i["InvoiceNumber"] for i in invoices if i["InvoiceNumber"].startswith("TWN"))
    assert numbers == Counter({f"TWN-{n}": 1 for n in range(6)})
    creates_after_wake = [r for r in slow_a.sent if bill_creates(r)]
    assert len(creates_after_wake) == 1  # only the call that had left before the stall
