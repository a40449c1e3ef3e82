"""Exporting approved bills to Xero: calls, time, throughput and approval-to-Xero latency.

Three runs, one JSON line per figure set:

- ``limits=xero``: 1,000 approved bills for 1,000 suppliers under Xero's real limits
  (60 calls a minute per organisation). API calls used, beside a one-call-per-document
  exporter doing the same work under the same limits; the simulated time is the sandbox
  clock the rate limiter waited on (so the runs take seconds, not minutes), the real time
  is the wall clock.
- ``limits=off``: the same export against a sandbox in its own process, so that this
  process's CPU time is the engine's (worker, client, database): documents per second (bills
  found in Xero afterwards, each counted once, not bills asked for) and CPU milliseconds per
  document.
- ``latency``: single approvals while a worker runs, each timed from the approval's commit
  until its bill is recorded as in Xero; p50 and p95.

    python -m bench.export_bills [--bills 1000] [--approvals 30]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import httpx
from tests.client.sandbox.conftest import Connected, connect
from tests.integration.sync.conftest import SandboxClients

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Supplier
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import Worker, WorkerConfig
from xero_client import MAX_BATCH_ELEMENTS, Contact, Invoice, LineItem, XeroClient
from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, serve_in_thread

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def database(folder: Path, name: str) -> tuple[SqlUnitOfWork, object]:
    engine = make_engine(f"sqlite:///{folder / f'{name}.db'}")
    upgrade_engine(engine)
    sessions = make_session_factory(engine)
    return (lambda: SqlUnitOfWork(sessions)), engine  # type: ignore[return-value]


def approve_bills(uow_factory: object, count: int, suppliers: int, prefix: str) -> UUID:
    """``count`` approved bills spread over ``suppliers`` new suppliers; returns the company."""
    with uow_factory() as uow:  # type: ignore[operator]
        company = uow.companies.add(f"Bench {prefix}")
        add_approved_bills(uow, company.id, count, suppliers, prefix)
        uow.commit()
        return company.id  # type: ignore[no-any-return]


def add_approved_bills(
    uow: SqlUnitOfWork, company_id: UUID, count: int, suppliers: int, prefix: str
) -> None:
    """Add ``count`` approved bills of ``company_id`` (numbered ``PREFIX-00000``...) spread
    over ``suppliers`` new suppliers, in ``uow`` (not committed)."""
    parties = [
        Supplier.create(company_id=company_id, name=f"{prefix} supplier {n:05d}")
        for n in range(suppliers)
    ]
    for party in parties:
        uow.suppliers.add(party)
    for n in range(count):
        bill = Bill(
            company_id=company_id,
            supplier_id=parties[n % suppliers].id,
            currency="NZD",
            invoice_number=f"{prefix}-{n:05d}",
            date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            lines=[
                {
                    "description": f"Service {n}",
                    "quantity": Decimal(1 + n % 4),
                    "unit_price": Decimal("12.34") + n % 97,
                    "account_code": "400",
                    "tax_type": "INPUT2",
                    "tax_rate": Decimal(15),
                }
            ],
        )
        bill.submit()
        bill.approve()
        uow.bills.add(bill)


class DemoClients:
    def __init__(self, xero: Connected) -> None:
        self.xero = xero

    @asynccontextmanager
    async def __call__(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        yield self.xero.client(DEMO_TENANT_ID)


async def under_xero_limits(folder: Path, bills: int) -> dict[str, object]:
    clock = SandboxClock.manual(START)
    with serve_in_thread(SandboxConfig(seed="empty", limits="xero"), clock) as sandbox:
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0)) as http:
            xero = await connect(http, sandbox.base_url, clock)
            uow_factory, engine = database(folder, "limits")
            approve_bills(uow_factory, bills, bills, "LIM")
            await xero.control("DELETE", "/stats")
            simulated_start = clock.now()
            started = time.perf_counter()
            worker = Worker(uow_factory, DemoClients(xero), config=WorkerConfig(name="bench"))
            report = await worker.drain()
            real = time.perf_counter() - started
            simulated = (clock.now() - simulated_start).total_seconds()
            stats = await xero.control("GET", "/stats")
            naive = await one_call_per_document(xero, bills)
    engine.dispose()  # type: ignore[attr-defined]
    naive_calls = naive["api_calls"]
    return {
        "run": "limits=xero",
        "bills": bills,
        "suppliers": bills,
        "documents_settled": report.documents,
        "api_calls": stats["total"],
        "api_calls_by_status": stats["byStatus"],
        "floor_calls": 2 * math.ceil(bills / MAX_BATCH_ELEMENTS),
        "one_call_per_document_calls": naive_calls,
        "simulated_seconds": round(simulated, 1),
        "one_call_per_document_simulated_seconds": naive["simulated_seconds"],
        "one_call_per_document_real_seconds": naive["real_seconds"],
        "real_seconds": round(real, 2),
    }


async def one_call_per_document(xero: Connected, bills: int) -> dict[str, float]:
    """The baseline: each supplier and each bill in its own call, under the same limits."""
    client = xero.client(DEMO_TENANT_ID)
    xero.clock.advance(61)  # a fresh minute
    await xero.control("DELETE", "/stats")
    simulated_start, started = xero.clock.now(), time.perf_counter()
    for n in range(bills):
        contact = Contact(name=f"Naive supplier {n:05d}")
        created = await client.create_contacts([contact], idempotency_key=f"naive-c-{n}")
        invoice = Invoice(
            type="ACCPAY",
            invoice_number=f"NAIVE-{n:05d}",
            contact=Contact(contact_id=created[0].id),
            date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            status="AUTHORISED",
            line_items=(
                LineItem(
                    description=f"Service {n}",
                    quantity=Decimal(1),
                    unit_amount=Decimal("12.34"),
                    account_code="400",
                    tax_type="INPUT2",
                ),
            ),
        )
        await client.create_invoices([invoice], idempotency_key=f"naive-i-{n}")
    stats = await xero.control("GET", "/stats")
    return {
        "api_calls": stats["total"],
        "simulated_seconds": round((xero.clock.now() - simulated_start).total_seconds(), 1),
        "real_seconds": round(time.perf_counter() - started, 2),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: The process id of each running ``sandbox_process``, by its root URL.
SANDBOX_PIDS: dict[str, int] = {}


@contextmanager
def sandbox_process(limits: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "xero-sandbox"), "--port", str(port), "--limits", limits,
         "--seed", "empty"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{root}/_sandbox/tenants", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        SANDBOX_PIDS[root] = process.pid
        yield root
    finally:
        SANDBOX_PIDS.pop(root, None)
        process.terminate()
        process.wait(timeout=10)


async def bills_in_xero(clients: SandboxClients, company_id: UUID, prefix: str) -> Counter[str]:
    """How many bills Xero holds under each of our numbers (read back after the run)."""
    numbers: Counter[str] = Counter()
    async with clients(company_id) as client:
        async for invoice in client.iter_invoices(page_size=1000):
            number = getattr(invoice, "invoice_number", None) or ""
            if getattr(invoice, "type", None) == "ACCPAY" and number.startswith(f"{prefix}-"):
                numbers[number] += 1
    return numbers


async def limits_off(folder: Path, bills: int) -> dict[str, object]:
    with sandbox_process("off") as root:
        uow_factory, engine = database(folder, "throughput")
        company_id = approve_bills(uow_factory, bills, bills, "THR")
        clients = SandboxClients(root)
        worker = Worker(uow_factory, clients, config=WorkerConfig(name="bench"))
        cpu_start, started = time.process_time(), time.perf_counter()
        report = await worker.drain()
        cpu, real = time.process_time() - cpu_start, time.perf_counter() - started
        in_xero = await bills_in_xero(clients, company_id, "THR")
    engine.dispose()  # type: ignore[attr-defined]
    # Only bills found in Xero count, each once: a bill asked for and lost, or made twice,
    # is no throughput.
    found = len(in_xero)
    return {
        "run": "limits=off",
        "bills": bills,
        "documents_settled": report.documents,
        "bills_in_xero": found,
        "bills_in_xero_more_than_once": sum(1 for count in in_xero.values() if count > 1),
        "real_seconds": round(real, 2),
        "documents_per_second": round(found / real, 1),
        "cpu_ms_per_document": round(cpu * 1000 / bills, 2),
    }


async def latency(folder: Path, approvals: int) -> dict[str, object]:
    with serve_in_thread(SandboxConfig(seed="empty", limits="xero"), SandboxClock()) as sandbox:
        uow_factory, engine = database(folder, "latency")
        company_id = approve_bills(uow_factory, 1, 1, "LAT")  # links the supplier first
        with uow_factory() as uow:  # type: ignore[operator]
            supplier = uow.suppliers.list(company_id, limit=1)[0]
        worker = Worker(
            uow_factory, SandboxClients(sandbox.base_url), config=WorkerConfig(name="bench")
        )
        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop))
        await asyncio.sleep(1.0)
        waits: list[float] = []
        rng = random.Random(7)
        for n in range(approvals):
            await asyncio.sleep(rng.uniform(0.05, 0.6))  # approvals arrive at any moment
            bill = Bill(
                company_id=company_id,
                supplier_id=supplier.id,
                currency="NZD",
                invoice_number=f"LAT-{n:04d}",
                date=dt.date(2026, 3, 1),
                due_date=dt.date(2026, 3, 31),
                lines=[{"description": "One", "unit_price": "10", "account_code": "400"}],
            )
            bill.submit()
            bill.approve()
            with uow_factory() as uow:  # type: ignore[operator]
                uow.bills.add(bill)
                uow.commit()
            approved = time.perf_counter()
            while True:
                with uow_factory() as uow:  # type: ignore[operator]
                    state = SyncStateRepository(uow.session, lambda: START).get(
                        company_id, "bill", bill.id
                    )
                if state is not None and state.state == "sent":
                    break
                await asyncio.sleep(0.005)
            waits.append(time.perf_counter() - approved)
        stop.set()
        await running
    engine.dispose()  # type: ignore[attr-defined]
    ordered = sorted(waits)
    return {
        "run": "latency",
        "approvals": approvals,
        "poll_seconds": worker.config.poll_seconds,
        "p50_seconds": round(statistics.median(ordered), 3),
        "p95_seconds": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 3),
        "max_seconds": round(ordered[-1], 3),
    }


async def main(bills: int, approvals: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for run in (
            under_xero_limits(folder, bills),
            limits_off(folder, bills),
            latency(folder, approvals),
        ):
            figures = await run
            print(json.dumps({"benchmark": "export_bills", **figures}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--approvals", type=int, default=30)
    # `python -m bench export_bills` leaves the benchmark's name among the arguments.
    arguments, _ = parser.parse_known_args()
    asyncio.run(main(arguments.bills, arguments.approvals))
