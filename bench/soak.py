"""Soak: many approved bills across many organisations, several `ledgerlink worker`
processes on PostgreSQL, Xero misbehaving, and one worker killed (SIGKILL) and restarted.

- A fresh PostgreSQL schema (dropped afterwards), migrated; the sandbox in its own process
  with one organisation per company; each company connected through the consent page as a
  person would.
- ``--docs`` approved bills spread over ``--orgs`` companies (one supplier per five bills).
- ``--workers`` real `ledgerlink worker` processes (the CLI, its Xero gateway, tokens and
  rate budget in the database).
- While they run, faults are armed as calls arrive so that about 10% of Xero's answers are
  5xx (500 and 503), 5% are 429 (Retry-After 1 s) and 5% of writes are committed and then
  dropped before the answer.
- The last worker is killed with SIGKILL at 20%, 45% and 70% of the bills sent (at least
  3 s after its last start), and restarted under its name each time.

Afterwards the faults are disarmed and every organisation is read back through its own
connection: each bill must be in Xero exactly once. JSON lines: progress marks (with each
worker's resident memory at 10% and 100% of the bills), then the result: bills and
suppliers in Xero once, more than once, missing, given up (failed, shown to the operator),
API calls per document, faults injected, wall time.

    python -m bench.soak [--docs 200] [--orgs 4] [--workers 2] [--concurrency 4]

PostgreSQL: ``LEDGERLINK_BENCH_POSTGRES_URL`` or ``LEDGERLINK_TEST_POSTGRES_URL``, else
``postgresql://postgres@127.0.0.1:5432/test``. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx
from sqlalchemy import func, select
from tests.integration.connect.conftest import REDIRECT_URI, connect

from bench._common import postgres_admin_url, postgres_schema
from bench.export_bills import add_approved_bills, sandbox_process
from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.store.tables.parties import suppliers as supplier_table
from ledgerlink.store.tables.sync import sync_states
from ledgerlink.sync.connect import XeroConnector

SECRET_KEY = "soak-secret-key-0123456789abcdefghijklmnop"  # noqa: S105 - a throw-away schema
#: Of every 20 answers: two 5xx, one 429, one write dropped after commit.
FAULTS_PER_20 = (
    {"kind": "error", "status": 500},
    {"kind": "error", "status": 503},
    {"kind": "error", "status": 429, "retry_after": 1},
    {"kind": "drop", "method": "PUT"},
)
API_PATHS = "/api.xro/2.0/*"
KILL_AT = (0.20, 0.45, 0.70)
#: A restarted worker runs this long (seconds) before it is killed again.
MIN_UPTIME_BEFORE_KILL = 3.0
RSS_AT = (0.10, 1.00)


def emit(**figures: Any) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    print(json.dumps({"benchmark": "soak", **figures, "measured_at": stamp}), flush=True)


def rss_mib(pid: int) -> float | None:
    """A process's resident memory in MiB (Linux), or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@dataclass
class WorkerProcess:
    """One `ledgerlink worker` process, restartable under its name."""

    name: str
    command: list[str]
    env: dict[str, str]
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    log: IO[bytes] | None = None
    started_at: float = 0.0

    def start(self) -> None:
        self.starts += 1
        self.started_at = time.perf_counter()
        if self.log is None:
            self.log = (self.folder / f"{self.name}.log").open("ab")
        self.process = subprocess.Popen(
            [*self.command, "--name", self.name],
            env=self.env,
            cwd=self.folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()
            self.log = None

    @property
    def uptime(self) -> float:
        return time.perf_counter() - self.started_at

    @property
    def rss(self) -> float | None:
        alive = self.process is not None and self.process.poll() is None
        return rss_mib(self.process.pid) if alive and self.process else None


@dataclass
class FaultFeeder:
    """Arms faults as Xero's calls arrive, keeping to ``FAULTS_PER_20``."""

    control: httpx.AsyncClient
    armed: Counter[str] = field(default_factory=Counter)
    rounds: int = 0

    async def calls(self) -> int:
        answer = await self.control.get("/_sandbox/stats")
        answer.raise_for_status()
        return int(answer.json()["total"])

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            due = await self.calls() // 20 + 1  # one round ahead, so the next calls meet one
            while self.rounds < due:
                for spec in FAULTS_PER_20:
                    body = {"path": API_PATHS, "times": 1, **spec}
                    (await self.control.post("/_sandbox/faults", json=body)).raise_for_status()
                    self.armed[f"{spec['kind']}_{spec.get('status', spec.get('method'))}"] += 1
                self.rounds += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.05)
        (await self.control.delete("/_sandbox/faults")).raise_for_status()

    async def unused(self) -> Counter[str]:
        """Faults armed but never met (still armed when the run ended)."""
        answer = await self.control.get("/_sandbox/faults")
        left: Counter[str] = Counter()
        for fault in answer.json():
            left[f"{fault['kind']}_{fault.get('status', fault.get('method'))}"] += 1
        return left


def settings_for(url: str, root: str, folder: Path) -> Settings:
    return Settings(
        database_url=url,
        secret_key=SECRET_KEY,
        var_dir=folder / "var",
        xero_login_url=root,
        xero_identity_url=root,
        xero_api_url=root,
        xero_redirect_uri=REDIRECT_URI,
    )


def worker_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERLINK_")}
    env.update({
        "LEDGERLINK_DATABASE_URL": settings.database_url,
        "LEDGERLINK_SECRET_KEY": SECRET_KEY,
        "LEDGERLINK_VAR_DIR": str(settings.var_dir),
        "LEDGERLINK_XERO_LOGIN_URL": settings.xero_login_url,
        "LEDGERLINK_XERO_IDENTITY_URL": settings.xero_identity_url,
        "LEDGERLINK_XERO_API_URL": settings.xero_api_url,
        "LEDGERLINK_XERO_REDIRECT_URI": settings.xero_redirect_uri,
    })  # fmt: skip
    return env


async def connect_companies(container: Container, root: str, orgs: int) -> list[UUID]:
    """``orgs`` companies, each connected to a new organisation of the sandbox."""
    with container.uow() as uow:
        admin = uow.users.add("soak-admin@example.test")
        companies = [uow.companies.add(f"Soak company {n:04d}").id for n in range(orgs)]
        for company in companies:
            uow.users.grant(admin.id, company, Role.ADMIN)
        uow.commit()
    connector = XeroConnector(container.xero_gateway)
    async with httpx.AsyncClient(base_url=root, timeout=30) as control:
        for n, company in enumerate(companies):
            added = await control.post("/_sandbox/tenants", json={"name": f"Soak org {n:04d}"})
            added.raise_for_status()
            await connect(connector, company, admin.id, [added.json()["tenantId"]])
    return companies


def approve_bills_for(container: Container, companies: list[UUID], bills: int) -> None:
    """``bills`` approved bills spread evenly over ``companies``, one supplier per five."""
    for n, company in enumerate(companies):
        count = bills // len(companies) + (1 if n < bills % len(companies) else 0)
        with container.uow() as uow:
            add_approved_bills(uow, company, count, max(1, count // 5), f"SOAK{n:04d}")
            uow.commit()


def suppliers_of(container: Container) -> int:
    with container.uow() as uow:
        return int(
            uow.session.execute(select(func.count()).select_from(supplier_table)).scalar_one()
        )


def given_up_reasons(container: Container) -> dict[str, int]:
    """Why bills were given up (failed), by the start of their last error."""
    with container.uow() as uow:
        rows = uow.session.execute(
            select(sync_states.c.last_error, func.count())
            .where(sync_states.c.kind == "bill", sync_states.c.state == "failed")
            .group_by(sync_states.c.last_error)
        ).all()
    reasons: Counter[str] = Counter()
    for error, count in rows:
        reasons[(error or "")[:160]] += int(count)
    return dict(reasons)


def bills_settled(container: Container) -> Counter[str]:
    """Bills by sync state (sent, failed, pending...)."""
    with container.uow() as uow:
        rows = uow.session.execute(
            select(sync_states.c.state, func.count())
            .where(sync_states.c.kind == "bill")
            .group_by(sync_states.c.state)
        ).all()
    return Counter({state: int(count) for state, count in rows})


async def read_back(container: Container, companies: list[UUID]) -> dict[str, Counter[str]]:
    """Bill numbers and supplier names each organisation holds, read through its own
    connection (faults disarmed)."""
    bills: Counter[str] = Counter()
    contacts: Counter[str] = Counter()
    for company in companies:
        async with container.xero_gateway.client(company) as client:
            async for invoice in client.iter_invoices(page_size=1000):
                bills[f"{company}:{invoice.invoice_number}"] += 1
            async for contact in client.iter_contacts(page_size=1000):
                contacts[f"{company}:{contact.name}"] += 1
    return {"bills": bills, "contacts": contacts}


@dataclass
class Run:
    docs: int
    orgs: int
    workers: int
    concurrency: int
    timeout: float
    keep_logs: bool


async def watch(
    run: Run, container: Container, workers: list[WorkerProcess], started: float
) -> tuple[Counter[str], int]:
    """Kill and restart the last worker at ``KILL_AT``, note memory at ``RSS_AT``; once
    every bill is sent or given up (or the time is up), the bills' states and the kills."""
    kills, marks = list(KILL_AT), list(RSS_AT)
    victim = workers[-1]
    while True:
        states = await asyncio.to_thread(bills_settled, container)
        done = states["sent"] / run.docs
        if marks and done >= marks[0]:
            emit(
                figure="worker_rss_mib",
                at_fraction=marks.pop(0),
                bills_sent=states["sent"],
                seconds=round(time.perf_counter() - started, 1),
                workers={w.name: {"rss_mib": w.rss, "starts": w.starts} for w in workers},
            )
        if kills and done >= kills[0] and victim.uptime >= MIN_UPTIME_BEFORE_KILL:
            kills.pop(0)
            victim.kill()
            emit(figure="worker_killed", worker=victim.name, bills_sent=states["sent"])
            await asyncio.sleep(1.0)
            victim.start()
        settled = states["sent"] + states["failed"]
        if settled >= run.docs or time.perf_counter() - started > run.timeout:
            if marks:  # some bills were given up: the last figure is at the end
                emit(
                    figure="worker_rss_mib",
                    at_fraction=round(settled / run.docs, 3),
                    bills_sent=states["sent"],
                    seconds=round(time.perf_counter() - started, 1),
                    workers={w.name: {"rss_mib": w.rss, "starts": w.starts} for w in workers},
                )
            return states, len(KILL_AT) - len(kills)
        await asyncio.sleep(0.25)


async def soak(run: Run, url: str, folder: Path) -> None:
    upgrade(url)
    with sandbox_process("off") as root:
        settings = settings_for(url, root, folder)
        container = Container(settings)
        companies = await connect_companies(container, root, run.orgs)
        await asyncio.to_thread(approve_bills_for, container, companies, run.docs)
        suppliers = suppliers_of(container)
        ledgerlink = str(Path(sys.executable).parent / "ledgerlink")
        command = [ledgerlink, "worker", "--poll", "0.1", "--lease", "10"]
        command += ["--concurrency", str(run.concurrency)]
        workers = [
            WorkerProcess(f"soak-{n}", command, worker_env(settings), folder)
            for n in range(run.workers)
        ]
        async with httpx.AsyncClient(base_url=root, timeout=30) as control:
            (await control.delete("/_sandbox/stats")).raise_for_status()
            feeder = FaultFeeder(control)
            stop = asyncio.Event()
            feeding = asyncio.create_task(feeder.run(stop))
            started = time.perf_counter()
            for worker in workers:
                worker.start()
            try:
                states, kills = await watch(run, container, workers, started)
                wall = time.perf_counter() - started
            finally:
                unused = await feeder.unused()
                stop.set()
                await feeding
                for worker in workers:
                    worker.stop()
            stats = (await control.get("/_sandbox/stats")).json()
        found = await read_back(container, companies)
        reasons = given_up_reasons(container)
        container.close()
    bills, contacts = found["bills"], found["contacts"]
    calls = int(stats["total"])
    emit(
        figure="result",
        bills=run.docs,
        suppliers=suppliers,
        organisations=run.orgs,
        workers=run.workers,
        concurrency=run.concurrency,
        worker_kills=kills,
        bills_in_xero_once=sum(1 for c in bills.values() if c == 1),
        bills_in_xero_more_than_once=sum(1 for c in bills.values() if c > 1),
        bills_missing=run.docs - len(bills),
        bills_given_up=states["failed"],
        given_up_reasons=reasons,
        bills_still_pending=run.docs - states["sent"] - states["failed"],
        suppliers_in_xero_once=sum(1 for c in contacts.values() if c == 1),
        suppliers_in_xero_more_than_once=sum(1 for c in contacts.values() if c > 1),
        api_calls=calls,
        api_calls_by_status=stats["byStatus"],
        api_calls_per_bill=round(calls / run.docs, 3),
        api_calls_per_document=round(calls / (run.docs + suppliers), 3),
        faults_met=dict(feeder.armed - unused),
        wall_seconds=round(wall, 1),
        bills_per_second=round(states["sent"] / wall, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="approved bills (200)")
    parser.add_argument("--orgs", type=int, default=4, help="companies/organisations (4)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--concurrency", type=int, default=4, help="per worker (4)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds (3600)")
    parser.add_argument("--keep-logs", action="store_true", help="keep the workers' logs")
    arguments, _ = parser.parse_known_args()
    run = Run(
        arguments.docs,
        arguments.orgs,
        arguments.workers,
        arguments.concurrency,
        arguments.timeout,
        arguments.keep_logs,
    )
    admin = postgres_admin_url()
    if admin is None:
        emit(figure="skipped", reason="no PostgreSQL answers (LEDGERLINK_BENCH_POSTGRES_URL)")
        return
    folder = Path(tempfile.mkdtemp(prefix="ledgerlink-soak-"))
    with postgres_schema(admin) as url:
        asyncio.run(soak(run, url, folder))
    if run.keep_logs:
        print(f"# worker logs in {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
