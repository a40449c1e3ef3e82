"""What comes back from Xero: calls to apply webhook events, and the webhook endpoint under load.

Two runs, one JSON line each, against a sandbox in its own process (limits off):

- ``inbound_calls``: 1,000 bills sent to Xero and paid there, 1,000 INVOICE events stored;
  the worker applies them all. The figure is the API calls it made to do so (target: 25
  at most: invoices fetched 100 to a call, the payments read 1,000 to a page), with the
  bills paid here and the seconds it took.
- ``webhook_endpoint``, on SQLite and on PostgreSQL (``LEDGERLINK_BENCH_POSTGRES_URL``,
  ``LEDGERLINK_TEST_POSTGRES_URL``, else the local default, when one answers):
  `ledgerlink serve` in its own process takes signed posts of one INVOICE event each from
  4 clients while a worker in a third process exports 1,000 bills and applies the events
  as they come; answers per second and the p50/p95/p99 of an answer (target: p99 under
  50 ms) and the server's CPU time per answer, beside the same figures with the worker
  idle (on SQLite, posts that arrive while the worker holds the write lock are answered
  from the spool beside the database; those the worker had not moved in when it stopped
  are counted). With ``--before REF`` the same run is made first with the code at git ``REF``
  (its ``src`` taken with ``git archive``; server and worker both run it), so that both
  lines come from one run on one machine.

    python -m bench.inbound [--bills 1000] [--posts 2000] [--before REF] [--webhooks-only]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
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

from bench._common import postgres_admin_url, postgres_schema
from bench.export_bills import approve_bills, database, free_port, sandbox_process
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.repositories.webhook_events import IncomingEvent, WebhookEventRepository
from ledgerlink.store.tables import bills, webhook_events, xero_connections
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import Worker, WorkerConfig
from xero_client import Account, Invoice, Payment
from xero_sandbox import DEMO_TENANT_ID

PAYMENTS_PER_CALL = 50
#: Clients posting to the webhook endpoint at the same time.
CLIENTS = 4
#: How long a process started for a run may take to answer (a loaded machine is slow).
START_SECONDS = 120
ROOT = Path(__file__).resolve().parent.parent


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


def post_events(root: str, posts: int, clients: int = CLIENTS) -> list[float]:
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


def open_database(url: str) -> tuple[Any, Any]:
    """Units of work on ``url`` (migrated by the caller), and its engine."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    return (lambda: SqlUnitOfWork(sessions)), engine


def busy_worker(url: str, root: str) -> None:
    """A worker sending and applying until its standard input closes; prints ``ready`` once
    running, then the documents it sent (run in its own process, on the code measured)."""
    uow_factory, engine = open_database(url)
    worker = Worker(uow_factory, SandboxClients(root), config=WorkerConfig(name="busy"))

    async def run() -> None:
        done = asyncio.Event()
        task = asyncio.create_task(worker.run(done))
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.read)  # until the parent closes it
        done.set()
        await task

    asyncio.run(run())
    engine.dispose()
    print(json.dumps({"documents": worker.total.documents}), flush=True)


def _environment(code: Path, **variables: str) -> dict[str, str]:
    """This process's environment, with ``code`` (a ``src`` folder) first on the path."""
    path = os.pathsep.join([str(code), str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path.rstrip(os.pathsep), **variables}


def _wait_for(root: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            httpx.get(f"{root}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def api_process(url: str, folder: Path, code: Path) -> Iterator[tuple[str, int]]:
    """`ledgerlink serve` on ``url`` from the ``code`` measured, in its own process; its
    root URL and process id."""
    port = free_port()
    environment = _environment(code, LEDGERLINK_DATABASE_URL=url,
                               LEDGERLINK_VAR_DIR=str(folder / "var"))  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "ledgerlink"), "serve", "--port", str(port)],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    root = f"http://127.0.0.1:{port}"
    try:
        _wait_for(root, server)
        yield root, server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


@contextmanager
def worker_process(url: str, root: str, code: Path) -> Iterator[dict[str, int]]:
    """`busy_worker` from the ``code`` measured, running (and sending) when this yields;
    what it sent once the block ends."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "bench.inbound", "--busy-worker", url, root],
        env=_environment(code), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, cwd=ROOT,
    )  # fmt: skip
    assert worker.stdout is not None
    report: dict[str, int] = {}
    try:
        assert worker.stdout.readline().strip() == b"ready", "the busy worker did not start"
        time.sleep(1.0)  # the worker is sending before the first post
        yield report
    finally:
        output, _ = worker.communicate(timeout=120)  # closes its input: it stops
        report.update(json.loads(output.splitlines()[-1]))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux), else 0."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spooled_events(uow_factory: Any) -> int:
    """Events answered from the SQLite spool that the worker, stopped, had not moved in."""
    # Here, not at the top: the busy worker runs this module with the code measured, which
    # (at ``--before REF``) may predate the spool.
    from ledgerlink.store.webhook_spool import WebhookSpool, spool_of

    path = spool_of(uow_factory)
    if path is None or not path.exists():
        return 0
    spool = WebhookSpool(path)
    try:
        return spool.waiting()
    finally:
        spool.close()


def figures(prefix: str, latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        f"{prefix}answers_per_second": round(len(ordered) / seconds, 1),
        f"{prefix}p50_ms": _ms(_percentile(ordered, 0.50)),
        f"{prefix}p95_ms": _ms(_percentile(ordered, 0.95)),
        f"{prefix}p99_ms": _ms(_percentile(ordered, 0.99)),
    }


def webhook_endpoint(
    backend: str, url: str, folder: Path, code: Path, label: str, bills_count: int, posts: int
) -> dict[str, object]:
    """Webhook answers with the worker idle, then while it exports ``bills_count`` bills and
    applies the events as they come, on ``url``, with the ``code`` labelled ``label``."""
    with sandbox_process("off") as root:
        uow_factory, engine = open_database(url)
        upgrade_engine(engine)
        company_id = approve_bills(uow_factory, bills_count, max(1, bills_count // 100), "WH")
        connect(uow_factory, company_id)
        with api_process(url, folder, code) as (api, pid):
            idle_posts = max(100, posts // 4)
            started = time.perf_counter()
            idle = post_events(api, idle_posts)
            idle_seconds = time.perf_counter() - started
            with worker_process(url, root, code) as sent:
                cpu, started = cpu_seconds(pid), time.perf_counter()
                latencies = post_events(api, posts)
                seconds, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu
        left, _ = Worker(uow_factory, SandboxClients(root)).pending()
        applied = count(uow_factory, select(func.count()).where(
            webhook_events.c.processed_at.is_not(None)))  # fmt: skip
        stored = count(uow_factory, select(func.count()).select_from(webhook_events))
        spooled = spooled_events(uow_factory)
        engine.dispose()
    return {
        "benchmark": "webhook_endpoint",
        "backend": backend,
        "code": label,
        "posts": posts,
        "clients": CLIENTS,
        **figures("", latencies, seconds),
        "p99_target_ms": 50,
        "api_cpu_ms_per_answer": round(cpu * 1000 / posts, 2),
        **figures("worker_idle_", idle, idle_seconds),
        "documents_sent_meanwhile": sent.get("documents", 0),
        "events_stored": stored,
        "events_applied": applied,
        "events_left_in_spool": spooled,
        "outbox_rows_left_after": left,
    }


@contextmanager
def fresh_database(backend: str, admin_url: str | None) -> Iterator[tuple[str, Path]]:
    """An empty database of ``backend`` (a SQLite file, or a throw-away PostgreSQL schema)
    and a temporary folder beside it."""
    with tempfile.TemporaryDirectory() as folder:
        if backend == "sqlite":
            yield f"sqlite:///{Path(folder) / 'webhooks.db'}", Path(folder)
            return
        assert admin_url is not None
        with postgres_schema(admin_url) as url:
            yield url, Path(folder)


@contextmanager
def code_at(ref: str | None) -> Iterator[list[tuple[str, Path]]]:
    """The code to measure: this tree, and the tree at git ``ref`` when one is given."""
    here = [("this tree", ROOT / "src")]
    if ref is None:
        yield here
        return
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(["git", "archive", ref, "src"], cwd=ROOT, check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield [(ref, Path(folder) / "src"), *here]


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


async def main(bills_count: int, posts: int, before: str | None, calls: bool) -> None:
    if calls:
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(await inbound_calls(Path(folder), bills_count)), flush=True)
    admin_url = postgres_admin_url()
    chosen = ["sqlite", "postgresql"] if admin_url else ["sqlite"]
    if admin_url is None:
        print(json.dumps({"benchmark": "webhook_endpoint", "backend": "postgresql",
                          "skipped": "no PostgreSQL answers"}), flush=True)  # fmt: skip
    with code_at(before) as codes:
        for backend in chosen:
            for label, code in codes:  # the code before beside this tree's, on each backend
                with fresh_database(backend, admin_url) as (url, folder):
                    run = webhook_endpoint(backend, url, folder, code, label, bills_count, posts)
                print(json.dumps(run), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument(
        "--before",
        metavar="GIT_REF",
        help="also measure the webhook endpoint with the code at this commit",
    )
    parser.add_argument(
        "--webhooks-only",
        action="store_true",
        help="measure the webhook endpoint only, not the calls to apply events",
    )
    parser.add_argument("--busy-worker", nargs=2, metavar=("URL", "SANDBOX"),
                        help=argparse.SUPPRESS)  # fmt: skip
    arguments = parser.parse_args()
    if arguments.busy_worker:
        busy_worker(*arguments.busy_worker)
    else:
        calls = not arguments.webhooks_only
        asyncio.run(main(arguments.bills, arguments.posts, arguments.before, calls))
