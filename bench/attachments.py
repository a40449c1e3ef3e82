"""Files and notes beside documents, under Xero's real limits (60 calls a minute).

Approved bills, each with files and a note, are exported by one worker to a sandbox that
keeps Xero's limits on a manual clock (the limiter waits on it, so minutes pass in
seconds). Read from the sandbox's call counts afterwards: how many calls went to documents,
uploads, notes and lookups; uploads per (simulated) minute; and each one's share of the
organisation's minute budget (60 calls in each minute the run touched). One JSON line per figure.

    python -m bench.attachments [--bills 100] [--files 2] [--kib 64]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from collections import Counter
from pathlib import Path
from uuid import UUID

import httpx
from tests.client.sandbox.conftest import connect

from bench._common import emit
from bench.export_bills import START, DemoClients, approve_bills, database
from ledgerlink.sync.engine import Worker, WorkerConfig
from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, serve_in_thread

BENCH = "attachments"
MINUTE_BUDGET = 60


def attach(uow_factory: object, company_id: UUID, files: int, size: int) -> int:
    """`files` distinct files of `size` bytes and one note on every bill; returns the count."""
    added = 0
    with uow_factory() as uow:  # type: ignore[operator]
        bills = uow.bills.list(company_id, limit=1000)
        for number, bill in enumerate(bills):
            for page in range(files):
                content = f"%PDF-1.4 bill {number} page {page}\n".encode().ljust(size, b".")
                uow.files.add_file(
                    company_id, "bill", bill.id, f"page-{page}.pdf", "application/pdf", content
                )
                added += 1
            uow.files.add_note(company_id, "bill", bill.id, f"Checked bill {number}", None)
        uow.commit()
    return added


def kind_of_call(method: str, path: str) -> str:
    if "/Attachments" in path:
        return "upload" if method in ("PUT", "POST") else "attachment_lookup"
    if path.endswith("/History"):
        return "note" if method == "PUT" else "history_lookup"
    return "document"


async def run(folder: Path, bills: int, files: int, size: int) -> None:
    clock = SandboxClock.manual(START)
    with serve_in_thread(SandboxConfig(seed="empty", limits="xero"), clock) as sandbox:
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0)) as http:
            xero = await connect(http, sandbox.base_url, clock)
            uow_factory, engine = database(folder, "attachments")
            company_id = approve_bills(uow_factory, bills, max(1, bills // 10), "ATT")
            uploads_asked = attach(uow_factory, company_id, files, size)
            await xero.control("DELETE", "/stats")
            simulated_start, started = clock.now(), time.perf_counter()
            worker = Worker(uow_factory, DemoClients(xero), config=WorkerConfig(name="bench"))
            await worker.drain()
            real = time.perf_counter() - started
            minutes = (clock.now() - simulated_start).total_seconds() / 60
            stats = await xero.control("GET", "/stats")
    engine.dispose()  # type: ignore[attr-defined]
    calls: Counter[str] = Counter()
    for organisation in stats["organisations"]:
        if organisation["tenantId"] != DEMO_TENANT_ID:
            continue
        for call in organisation["calls"]:
            if call["status"] < 300:
                calls[kind_of_call(call["method"], call["path"])] += call["count"]
    # Every minute the run touched (a run of 1.0 minute has calls in two of them).
    windows = math.floor(minutes) + 1
    budget = MINUTE_BUDGET * windows
    common = {"bills": bills, "files_per_bill": files, "file_bytes": size, "limits": "xero"}
    emit(BENCH, "sqlite", "uploads", calls["upload"], "calls", asked=uploads_asked, **common)
    emit(BENCH, "sqlite", "document_calls", calls["document"], "calls", **common)
    emit(BENCH, "sqlite", "note_calls", calls["note"], "calls", **common)
    lookups = calls["attachment_lookup"] + calls["history_lookup"]
    emit(BENCH, "sqlite", "lookup_calls", lookups, "calls", **common)
    emit(BENCH, "sqlite", "simulated_minutes", minutes, "min", minute_windows=windows, **common)
    emit(BENCH, "sqlite", "uploads_per_minute", calls["upload"] / max(minutes, 1 / 60),
         "uploads/min", **common)  # fmt: skip
    for kind in ("upload", "note", "document"):
        emit(BENCH, "sqlite", f"{kind}_share_of_minute_budget", 100 * calls[kind] / budget, "%",
             **common)  # fmt: skip
    emit(BENCH, "sqlite", "rate_limited_calls", stats["rateLimited"], "calls", **common)
    emit(BENCH, "sqlite", "real_seconds", real, "s", **common)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bills", type=int, default=100, help="at most 1000")
    parser.add_argument("--files", type=int, default=2)
    parser.add_argument("--kib", type=int, default=64)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(Path(folder), args.bills, args.files, args.kib * 1024))


if __name__ == "__main__":
    main()
