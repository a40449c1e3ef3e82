"""Files and notes follow their bill through the worker, on SQLite and PostgreSQL; a file
Xero fails on waits, looked up before it is sent again, while the others go on."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.sync.engine import Worker, WorkerConfig
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import RunningSandbox

SCAN = b"%PDF-1.4 scan\n" + bytes(range(256))


async def test_files_and_notes_follow_the_bill_while_a_failed_upload_waits(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    bill = approved_bill(uow_factory, company_id, add_supplier(uow_factory, company_id, "S"), "F-1")
    with uow_factory() as uow:
        kept = uow.files.add_file(company_id, "bill", bill.id, "scan.pdf", "application/pdf", SCAN)
        refused = uow.files.add_file(
            company_id, "bill", bill.id, "odd.pdf", "application/pdf", b"x"
        )
        uow.files.add_note(company_id, "bill", bill.id, "First note", None)
        uow.commit()
    # Xero fails on the second upload; the rest goes on.
    fault = {"kind": "error", "status": 500, "method": "PUT", "path": "*/odd.pdf"}
    await sandbox_control(sandbox, "POST", "/faults", fault)

    worker = make_worker()
    await worker.drain()

    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "bill", bill.id)
        assert link is not None
        states = {f.file_name: f.xero_state for f in uow.files.files(company_id, "bill", bill.id)}
        notes = [n.xero_state for n in uow.files.notes(company_id, "bill", bill.id)]
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "bill", bill.id)
    assert notes == ["sent"]
    assert states["scan.pdf"] == "sent"
    listed = (await sandbox_get(sandbox, f"/Invoices/{link.xero_id}/Attachments"))["Attachments"]
    assert [a["FileName"] for a in listed] == ["scan.pdf"]
    history = (await sandbox_get(sandbox, f"/Invoices/{link.xero_id}/History"))["HistoryRecords"]
    assert [h["Details"] for h in history if h["Changes"] == "Note"] == ["First note"]
    # A 5xx on a write is not known to be refused: the file waits, marked as maybe sent.
    assert states["odd.pdf"] == "sending"
    assert [e.summary for e in log if e.action == "attach"] == [
        f"file 'scan.pdf' ({kept.size} bytes): sent"
    ]
    assert refused.size == 1

    clock.advance(60)  # past the company's pause
    await worker.run_pass()
    with uow_factory() as uow:
        states = {f.file_name: f.xero_state for f in uow.files.files(company_id, "bill", bill.id)}
    assert states == {"scan.pdf": "sent", "odd.pdf": "sent"}
    listed = (await sandbox_get(sandbox, f"/Invoices/{link.xero_id}/Attachments"))["Attachments"]
    assert sorted(a["FileName"] for a in listed) == ["odd.pdf", "scan.pdf"]


async def test_a_file_xero_refuses_is_logged_with_the_fix(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    clock: FakeClock,
) -> None:
    bill = approved_bill(uow_factory, company_id, add_supplier(uow_factory, company_id, "S"), "F-2")
    with uow_factory() as uow:
        # Stored without the API's checks, as a file from before a rule changed might be.
        uow.files.add_file(company_id, "bill", bill.id, "tool.exe", "application/x-msdownload",
                           SCAN)  # fmt: skip
        uow.files.add_file(company_id, "bill", bill.id, "fine.pdf", "application/pdf", SCAN)
        uow.commit()

    await make_worker().drain()

    with uow_factory() as uow:
        files = {f.file_name: f for f in uow.files.files(company_id, "bill", bill.id)}
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "bill", bill.id)
    assert (files["tool.exe"].xero_state, files["fine.pdf"].xero_state) == ("refused", "sent")
    assert "The file type '.exe' of 'tool.exe' is not supported" in (files["tool.exe"].error or "")
    (failed,) = [e for e in log if e.outcome == "failed"]
    assert failed.summary.startswith("file 'tool.exe'")
    assert failed.fix is not None and "attach it as a PDF" in failed.fix


async def test_a_note_whose_answer_was_lost_is_found_not_added_twice(
    uow_factory: UowFactory,
    company_id: UUID,
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill = approved_bill(uow_factory, company_id, add_supplier(uow_factory, company_id, "S"), "F-3")
    with uow_factory() as uow:
        uow.files.add_note(company_id, "bill", bill.id, "Paid by card", None)
        uow.commit()
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    drop = {"kind": "drop", "method": "PUT", "path": "*/History", "times": 1}
    await sandbox_control(sandbox, "POST", "/faults", drop)
    clients = SandboxClients(sandbox.base_url, attempts=1)

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    worker = Worker(uow_factory, clients, config=WorkerConfig(name="notes"), clock=clock,
                    sleep=advance)  # fmt: skip
    await worker.drain()
    clock.advance(60)
    await worker.run_pass()

    with uow_factory() as uow:
        (note,) = uow.files.notes(company_id, "bill", bill.id)
        link = uow.xero_links.get(company_id, "bill", bill.id)
    assert link is not None and note.xero_state == "sent"
    writes = [r for r in clients.sent if r.method == "PUT" and r.url.path.endswith("/History")]
    assert len(writes) == 1
    history = (await sandbox_get(sandbox, f"/Invoices/{link.xero_id}/History"))["HistoryRecords"]
    assert [h["Details"] for h in history if h["Changes"] == "Note"] == ["Paid by card"]
