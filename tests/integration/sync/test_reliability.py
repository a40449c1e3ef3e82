"""Exactly once under faults: 500 approved bills, injected 500s, 429s, responses dropped
after commit, and a worker process killed (SIGKILL) mid-batch and restarted.

Every bill must be in the sandbox exactly once (counted there), none lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Supplier
from ledgerlink.store.engine import make_engine
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.tables.sync import sync_leases, sync_states
from tests.integration.sync.conftest import ClientCredentials
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxConfig,
)

ROOT = Path(__file__).resolve().parents[3]
BILLS = 500
SUPPLIERS = 40


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", limits="off")


def approved(company_id: UUID, supplier: Supplier, number: str, line: dict[str, Any]) -> Bill:
    """An approved bill of one ``line`` (account 400, 15% GST) dated in March 2026."""
    tax = {"account_code": "400", "tax_type": "INPUT2", "tax_rate": Decimal(15)}
    bill = Bill(
        company_id=company_id,
        supplier_id=supplier.id,
        currency="NZD",
        invoice_number=number,
        date=dt.date(2026, 3, 1),
        due_date=dt.date(2026, 3, 31),
        lines=[{**line, **tax}],
    )
    bill.submit()
    bill.approve()
    return bill


def approved_bills(container: Container, company: str, prefix: str, count: int) -> list[UUID]:
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
        company_id = found.id if found else uow.companies.add(company).id
        suppliers = [
            Supplier.create(company_id=company_id, name=f"{prefix} supplier {n}")
            for n in range(SUPPLIERS)
        ]
        for supplier in suppliers:
            uow.suppliers.add(supplier)
        ids = []
        for n in range(count):
            bill = approved(
                company_id,
                suppliers[n % SUPPLIERS],
                f"{prefix}-{n:04d}",
                {
                    "description": f"Service {n}",
                    "quantity": Decimal(1 + n % 3),
                    "unit_price": Decimal("19.95") + n,
                },
            )
            uow.bills.add(bill)
            ids.append(bill.id)
        uow.commit()
    return ids


def control(sandbox: RunningSandbox, method: str, path: str, body: object = None) -> object:
    answer = httpx.request(method, f"{sandbox.base_url}/_sandbox{path}", json=body, timeout=10)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def arm_faults(sandbox: RunningSandbox) -> None:
    """In order, on bill creates: a 500, a dropped answer, a 429, then a slow call to kill."""
    for fault in (
        {"kind": "error", "status": 500, "method": "PUT", "path": "*/Invoices*"},
        {"kind": "drop", "method": "PUT", "path": "*/Invoices*"},
        {"kind": "error", "status": 429, "retry_after": 1, "method": "PUT", "path": "*/Invoices*"},
        {"kind": "error", "status": 503, "method": "PUT", "path": "*/Contacts*"},
        {"kind": "drop", "method": "PUT", "path": "*/Invoices*"},
        {"kind": "delay", "delay_ms": 3000, "method": "PUT", "path": "*/Invoices*"},
    ):
        control(sandbox, "POST", "/faults", fault)


def start_worker(
    database_url: str, sandbox: RunningSandbox, name: str, log: IO[bytes], *extra: str
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.sync.worker_process", "--database",
         database_url, "--sandbox", sandbox.base_url, "--name", name, *extra],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )  # fmt: skip


def wait_for(condition: object, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def xero_list(sandbox: RunningSandbox, path: str, collection: str) -> list[dict[str, Any]]:
    """Every record of ``collection`` the sandbox's demo organisation holds at ``path``, read
    page by page as another client would."""

    async def token() -> str:
        async with httpx.AsyncClient() as client:
            return await ClientCredentials(client, sandbox.base_url).access_token()

    headers = {
        "Authorization": f"Bearer {asyncio.run(token())}",
        "xero-tenant-id": DEMO_TENANT_ID,
        "Accept": "application/json",
    }
    found: list[dict[str, Any]] = []
    with httpx.Client(timeout=30) as http:
        page = 1
        while True:
            answer = http.get(
                f"{sandbox.base_url}/api.xro/2.0{path}",
                params={"page": page, "pageSize": 1000},
                headers=headers,
            )
            answer.raise_for_status()
            records = answer.json()[collection]
            found += records
            if len(records) < 1000:
                return found
            page += 1


def xero_bill_numbers(sandbox: RunningSandbox) -> Counter[str]:
    invoices = xero_list(sandbox, "/Invoices", "Invoices")
    return Counter(i["InvoiceNumber"] for i in invoices if i["Type"] == "ACCPAY")


def worker_holding_the_slow_create(database_url: str, workers: list[str]) -> str:
    """The worker whose company has a create in flight once the fast calls have answered.

    The slow create is held for 3 s and every other call answers at once; on a busy machine
    the fast ones may take a moment, so this looks again until one company alone is left
    with a create in flight (within the slow create's 3 s)."""
    engine = make_engine(database_url)
    holders: set[str] = set()
    try:
        deadline = time.monotonic() + 2.5
        while True:
            time.sleep(0.1)
            with engine.connect() as connection:
                companies = set(
                    connection.execute(
                        select(sync_states.c.company_id).where(
                            sync_states.c.in_flight_key.is_not(None)
                        )
                    ).scalars()
                )
                holders = set(
                    connection.execute(
                        select(sync_leases.c.worker).where(sync_leases.c.company_id.in_(companies))
                    ).scalars()
                )
            named = [name for name in workers if any(h.startswith(name) for h in holders)]
            if len(named) == 1 or time.monotonic() > deadline:
                break
    finally:
        engine.dispose()
    assert len(named) == 1, f"expected one worker holding the slow create, found {holders}"
    return named[0]


def run_with_a_kill(
    database_url: str, sandbox: RunningSandbox, workers: list[str], logs: Path, *, arm: bool = True
) -> None:
    """Start the workers, kill the one holding the slow create while it is in flight, restart it
    (with ``arm``, the faults of ``arm_faults`` first; without, the caller armed its own)."""
    if arm:
        arm_faults(sandbox)
    with ExitStack() as files:

        def log(name: str) -> IO[bytes]:
            return files.enter_context((logs / f"{name}.log").open("wb"))

        running = [start_worker(database_url, sandbox, name, log(name)) for name in workers]
        try:
            wait_for(lambda: control(sandbox, "GET", "/faults") == [], "the slow create", 120.0)
            holder = workers.index(worker_holding_the_slow_create(database_url, workers))
            running[holder].send_signal(signal.SIGKILL)
            running[holder].wait(timeout=10)
            running.insert(0, running.pop(holder))  # the others follow it
            again = f"{workers[holder]}-again"
            restarted = start_worker(database_url, sandbox, again, log(again), "--once")
            running.append(restarted)  # killed below if it outlives the test
            code = restarted.wait(timeout=60)
            assert code == 0, (logs / f"{again}.log").read_text()[-3000:]
            for process in running[1:-1]:
                process.send_signal(signal.SIGTERM)
                assert process.wait(timeout=30) == 0
        finally:
            for process in running:
                if process.poll() is None:
                    process.kill()
                    process.wait()


def check_exactly_once(container: Container, sandbox: RunningSandbox, prefixes: list[str]) -> None:
    numbers = xero_bill_numbers(sandbox)
    for prefix in prefixes:
        ours = {f"{prefix}-{n:04d}" for n in range(BILLS // len(prefixes))}
        assert {n: numbers[n] for n in ours if numbers[n] != 1} == {}
    with container.uow() as uow:
        rows = [r for r in uow.outbox.list(limit=5000) if r.reaches_xero]
    assert Counter(r.state for r in rows) == Counter({"done": len(rows)})


@pytest.mark.slow
def test_five_hundred_bills_reach_xero_exactly_once_through_faults_and_a_killed_worker(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url))
    approved_bills(container, "Acme Ltd", "ACME", BILLS)

    run_with_a_kill(database_url, sandbox, ["worker-1"], tmp_path)

    check_exactly_once(container, sandbox, ["ACME"])
    stats = control(sandbox, "GET", "/stats")
    assert isinstance(stats, dict)
    assert {"500", "503", "429"} <= set(stats["byStatus"])
    container.close()


@pytest.mark.slow
@pytest.mark.postgres
def test_two_workers_on_postgresql_send_every_bill_exactly_once(
    postgres_url: str, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    upgrade(postgres_url)
    container = Container(Settings(database_url=postgres_url))
    approved_bills(container, "Acme Ltd", "ACME", BILLS // 2)
    approved_bills(container, "Globex Corp", "GLBX", BILLS // 2)

    run_with_a_kill(postgres_url, sandbox, ["worker-1", "worker-2"], tmp_path)

    check_exactly_once(container, sandbox, ["ACME", "GLBX"])
    container.close()
