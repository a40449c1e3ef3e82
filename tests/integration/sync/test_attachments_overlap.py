"""Two workers on one organisation's files and notes: the one that lost its lease sends and
records nothing more, on SQLite and PostgreSQL.

Worker A takes the company's files and notes and stalls past its lease; worker B takes the
company over and sends everything; then A wakes:

- with an upload in flight (held before it reached Xero): the held call goes out (Xero
  answers it from the key B used for the same file), then A's transaction recording it
  finds the company is no longer A's and is rolled back: each file is in Xero once, and
  recorded sent once;
- waiting its turn under the rate limits to add a note (a note was added meanwhile, so
  B's call carries both notes and another key): before its call leaves, A finds the
  company is no longer its own: each note is in Xero's History once.
"""

from __future__ import annotations

import asyncio
from uuid import UUID

import httpx

from ledgerlink.domain.bill import Bill
from ledgerlink.store.repositories.sync_log import SyncLogRepository
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.sync.conftest import (
    SandboxClients,
    add_supplier,
    approved_bill,
    sandbox_get,
    worker,
)
from tests.integration.sync.stalls import StallingClients, WaitingTurn
from xero_sandbox import RunningSandbox

LEASE_SECONDS = 60.0
SCAN = b"%PDF-1.4 scan\n" + bytes(range(256))
RECEIPT = b"%PDF-1.4 receipt\n" + bytes(range(128))


def uploads(request: httpx.Request) -> bool:
    return "/Attachments/" in request.url.path


async def bill_in_xero(
    uow_factory: UowFactory, company_id: UUID, clients: SandboxClients, clock: FakeClock
) -> tuple[Bill, str]:
    bill = approved_bill(
        uow_factory, company_id, add_supplier(uow_factory, company_id, "S"), "AO-1"
    )
    await worker(uow_factory, clients, clock, "setup").drain()
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "bill", bill.id)
    assert link is not None
    return bill, link.xero_id


def writes(clients: SandboxClients) -> list[httpx.Request]:
    return [r for r in clients.sent if r.method in ("PUT", "POST") and "/api.xro/" in r.url.path]


async def test_a_worker_taken_over_with_an_upload_in_flight_records_nothing_more(
    uow_factory: UowFactory,
    company_id: UUID,
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    bill, xero_id = await bill_in_xero(uow_factory, company_id, clients, clock)
    with uow_factory() as uow:
        uow.files.add_file(company_id, "bill", bill.id, "scan.pdf", "application/pdf", SCAN)
        uow.files.add_file(company_id, "bill", bill.id, "receipt.pdf", "application/pdf", RECEIPT)
        uow.commit()
    holding = StallingClients(sandbox.base_url, request=uploads)
    first = worker(uow_factory, holding, clock, "worker-a", lease_seconds=LEASE_SECONDS)
    second = worker(uow_factory, clients, clock, "worker-b", lease_seconds=LEASE_SECONDS)

    passing = asyncio.create_task(first.run_pass())
    await asyncio.wait_for(holding.stalled.wait(), timeout=30)
    clock.advance(LEASE_SECONDS + 1)  # A's lease has run out; B may take the company
    await second.run_pass()
    holding.wake.set()
    await asyncio.wait_for(passing, timeout=30)

    listed = (await sandbox_get(sandbox, f"/Invoices/{xero_id}/Attachments"))["Attachments"]
    assert sorted(a["FileName"] for a in listed) == ["receipt.pdf", "scan.pdf"]
    with uow_factory() as uow:
        states = {f.file_name: f.xero_state for f in uow.files.files(company_id, "bill", bill.id)}
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "bill", bill.id)
    assert states == {"scan.pdf": "sent", "receipt.pdf": "sent"}
    sent = sorted(e.summary.split(" (")[0] for e in log if e.action == "attach")
    assert sent == ["file 'receipt.pdf'", "file 'scan.pdf'"]  # each recorded once, by B
    assert len(writes(holding)) == 1  # only the upload that had left before the stall


async def test_a_worker_taken_over_while_waiting_its_turn_adds_no_note(
    uow_factory: UowFactory,
    company_id: UUID,
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    bill, xero_id = await bill_in_xero(uow_factory, company_id, clients, clock)
    with uow_factory() as uow:
        uow.files.add_note(company_id, "bill", bill.id, "First note", None)
        uow.commit()
    waiting = WaitingTurn()
    slow = SandboxClients(sandbox.base_url)
    slow.limiter = waiting
    first = worker(uow_factory, slow, clock, "worker-a", lease_seconds=LEASE_SECONDS)
    second = worker(uow_factory, clients, clock, "worker-b", lease_seconds=LEASE_SECONDS)

    passing = asyncio.create_task(first.run_pass())
    await asyncio.wait_for(waiting.stalled.wait(), timeout=30)
    clock.advance(LEASE_SECONDS + 1)  # A's lease has run out; B may take the company
    with uow_factory() as uow:  # B's call carries both notes: another key than A's
        uow.files.add_note(company_id, "bill", bill.id, "Second note", None)
        uow.commit()
    await second.run_pass()
    waiting.wake.set()
    await asyncio.wait_for(passing, timeout=30)

    history = (await sandbox_get(sandbox, f"/Invoices/{xero_id}/History"))["HistoryRecords"]
    notes = sorted(h["Details"] for h in history if h["Changes"] == "Note")
    assert notes == ["First note", "Second note"]
    with uow_factory() as uow:
        states = [n.xero_state for n in uow.files.notes(company_id, "bill", bill.id)]
    assert states == ["sent", "sent"]
    assert writes(slow) == []
