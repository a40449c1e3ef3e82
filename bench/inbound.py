"""What comes back from Xero: calls to apply webhook events, and the webhook endpoint under load.

Two runs, one JSON line each, against a sandbox in its own process (limits off):

- ``inbound_calls``: 1,000 bills sent to Xero and paid there, 1,000 INVOICE events stored;
  the worker applies them all. The figure is the API calls it made to do so (target: 25
  at most: invoices fetched 100 to a call, the payments read 1,000 to a page), with the
  bills paid here and the seconds it took.
- ``webhook_endpoint``: `ledgerlink serve` in its own process takes signed posts of one
  INVOICE event each from 4 clients while a worker in a third process exports 1,000
  bills and applies the events as they come; answers per second and the p50/p99 of an
  answer (target: p99 under 50 ms), beside the same figures with the worker idle.

    python -m bench.inbound [--bills 1000] [--posts 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import func, select
from tests.integration.inbound.conftest import batch, sign
from tests.integration.sync.conftest import SandboxClients

from bench.export_bills import approve_bills, database, free_port, sandbox_process
from ledgerlink.store.repositories.webhook_events import IncomingEvent, WebhookEventRepository
from ledgerlink.store.tables import bills, webhook_events, xero_connections
from ledgerlink.sync.engine import Worker, WorkerConfig
from xero_client import Account, Invoice, Payment
from xero_sandbox import DEMO_TENANT_ID

PAYMENTS_PER_CALL = 50


def connect(uow_factory: object, company_id: UUID) -> None:
    """Bind the company to the sandbox's organisation, as a finished connection does."""
    now = datetime.now(UTC)
    with uow_factory() as uow:  # type: ignore[operator]
        uow.session.execute(
            xero_connections.insert().values(
                company_id=company_id, status="connected", tenant_id=DEMO_TENANT_ID,
                tenant_name="Demo Company", scopes="accounting.transactions", tokens="-",
                expires_at=now, choices=[], created_at=now, updated_at=now,
            )
        )  # fmt: skip
        uow.commit()


async def pay_all(clients: SandboxClients, company_id: UUID) -> list[str]:
    """Pay every bill of the organisation in full, in Xero; their ids."""
    async with clients(company_id) as client:
        invoices = [i async for i in client.iter_invoices(page_size=1000) if i.type == "ACCPAY"]
        for start in range(0, len(invoices), PAYMENTS_PER_CALL):
            chunk = invoices[start : start + PAYMENTS_PER_CALL]
            payments = [
                Payment(
                    invoice=Invoice(invoice_id=i.invoice_id),
                    account=Account(code="090"),
                    amount=i.amount_due,
                    date=dt.date(2026, 3, 10),
                )
                for i in chunk
            ]
            await client.create_payments(payments)
    return [str(i.invoice_id) for i in invoices if isinstance(i, Invoice)]


def store_events(uow_factory: object, invoice_ids: list[str]) -> None:
    now = datetime.now(UTC)
    events = [IncomingEvent(DEMO_TENANT_ID, "INVOICE", "UPDATE", i, now) for i in invoice_ids]
    with uow_factory() as uow:  # type: ignore[operator]
        WebhookEventRepository(uow.session).store(events, now)
        uow.commit()


def count(uow_factory: object, query: object) -> int:
    with uow_factory() as uow:  # type: ignore[operator]
        return int(uow.session.execute(query).scalar_one())


async def inbound_calls(folder: Path, bills_count: int) -> dict[str, object]:
    with sandbox_process("off") as root:
        uow_factory, engine = database(folder, "inbound")
        company_id = approve_bills(uow_factory, bills_count, max(1, bills_count // 100), "IN")
        clients = SandboxClients(root)
        await Worker(uow_factory, clients, config=WorkerConfig(name="bench-export")).drain()
        connect(uow_factory, company_id)
        invoice_ids = await pay_all(clients, company_id)
        store_events(uow_factory, invoice_ids)
        clients.sent.clear()
        worker = Worker(uow_factory, clients, config=WorkerConfig(name="bench-inbound"))
        started = time.perf_counter()
        pending = select(func.count()).where(webhook_events.c.processed_at.is_(None))
        while count(uow_factory, pending):
            await worker.run_pass()
        seconds = time.perf_counter() - started
        paid = count(uow_factory, select(func.count()).where(bills.c.status == "paid"))
        engine.dispose()  # type: ignore[attr-defined]
    return {
        "benchmark": "inbound_calls",
        "events": len(invoice_ids),
        "bills_paid_here": paid,
        "api_calls": len(clients.sent),
        "api_calls_target": 25,
        "seconds": round(seconds, 2),
    }


def post_events(root: str, posts: int, clients: int = 4) -> list[float]:
    """Signed posts of one event each, over one kept-alive connection per client thread;
    the seconds each answer took."""
    local = threading.local()

    def one(n: int) -> float:
        body = batch(
            {
                "resourceUrl": "",
                "resourceId": str(uuid.uuid4()),
                "eventType": "UPDATE",
                "eventDateUtc": "2026-03-02T09:00:00.000",
                "eventCategory": "INVOICE",
                "tenantId": DEMO_TENANT_ID,
                "tenantType": "ORGANISATION",
            },
            entropy=f"{n:020d}",
        )
        if not hasattr(local, "http"):
            local.http = httpx.Client(timeout=30)
        began = time.perf_counter()
        answer = local.http.post(f"{root}/xero/webhooks", content=body,
                                 headers={"x-xero-signature": sign(body)})  # fmt: skip
        took = time.perf_counter() - began
        assert answer.status_code == 200, answer.text
        return took

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(posts)))


def busy_worker(path: str, root: str, stop: Any, sent: Any) -> None:
    """A worker in its own process, sending and applying until ``stop`` is set."""
    uow_factory, engine = database(Path(path).parent, Path(path).stem)
    worker = Worker(uow_factory, SandboxClients(root), config=WorkerConfig(name="busy"))

    async def run() -> None:
        done = asyncio.Event()
        task = asyncio.create_task(worker.run(done))
        while not stop.is_set():
            await asyncio.sleep(0.05)
            sent.value = worker.total.documents
        done.set()
        await task
        sent.value = worker.total.documents

    asyncio.run(run())
    engine.dispose()  # type: ignore[attr-defined]


@contextmanager
def api_process(folder: Path) -> Iterator[str]:
    """`ledgerlink serve` on the folder's database, in its own process; its root URL."""
    port = free_port()
    environment = {**os.environ, "LEDGERLINK_DATABASE_URL": f"sqlite:///{folder / 'webhooks.db'}",
                   "LEDGERLINK_VAR_DIR": str(folder / "var")}  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "ledgerlink"), "serve", "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{root}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield root
    finally:
        server.terminate()
        server.wait(timeout=10)


async def webhook_endpoint(folder: Path, bills_count: int, posts: int) -> dict[str, object]:
    with sandbox_process("off") as root:
        uow_factory, engine = database(folder, "webhooks")
        company_id = approve_bills(uow_factory, bills_count, max(1, bills_count // 100), "WH")
        connect(uow_factory, company_id)
        with api_process(folder) as api:
            idle = sorted(await asyncio.to_thread(post_events, api, max(100, posts // 4)))
            stop = multiprocessing.Event()
            sent = multiprocessing.Value("i", 0)
            busy = multiprocessing.Process(
                target=busy_worker, args=(str(folder / "webhooks.db"), root, stop, sent)
            )
            busy.start()
            await asyncio.sleep(1.0)  # the worker is sending before the first post
            started = time.perf_counter()
            latencies = await asyncio.to_thread(post_events, api, posts)
            seconds = time.perf_counter() - started
            stop.set()
            await asyncio.to_thread(busy.join, 60)
            left, _ = Worker(uow_factory, SandboxClients(root)).pending()
        engine.dispose()  # type: ignore[attr-defined]
    ordered = sorted(latencies)
    return {
        "benchmark": "webhook_endpoint",
        "posts": posts,
        "answers_per_second": round(posts / seconds, 1),
        "p50_ms": _ms(statistics.median(ordered)),
        "p99_ms": _ms(_p99(ordered)),
        "p99_target_ms": 50,
        "worker_idle_p50_ms": _ms(statistics.median(idle)),
        "worker_idle_p99_ms": _ms(_p99(idle)),
        "documents_sent_meanwhile": sent.value,
        "outbox_rows_left_after": left,
    }


def _p99(ordered: list[float]) -> float:
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def main(bills_count: int, posts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(await inbound_calls(Path(folder), bills_count)), flush=True)
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(await webhook_endpoint(Path(folder), bills_count, posts)), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=2000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.bills, arguments.posts))
