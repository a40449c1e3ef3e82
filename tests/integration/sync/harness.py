"""End-to-end harness: the REST API and the sandbox each on 127.0.0.1, a worker between.

``export_setup`` serves the API (uvicorn in a thread) on a freshly migrated database,
serves the sandbox with its demo organisation, imports the organisation's accounts and
tax rates into the store as the import step would, and gives an admin's API client.
"""

from __future__ import annotations

import datetime as dt
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
import uvicorn

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain.catalogue import Account, AccountClass, ReferenceStatus, TaxRate
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.sync.engine import PassReport, Worker, WorkerConfig
from ledgerlink.sync.export.results import ExportPolicy
from tests.integration.sync.conftest import SandboxClients, sandbox_control, sandbox_get
from xero_sandbox import RunningSandbox, SandboxClock, SandboxConfig, serve_in_thread

CLASS_OF_TYPE = {
    "REVENUE": AccountClass.REVENUE,
    "EXPENSE": AccountClass.EXPENSE,
    "ASSET": AccountClass.ASSET,
    "LIABILITY": AccountClass.LIABILITY,
    "EQUITY": AccountClass.EQUITY,
}


#: Seconds an API call may take: generous, as two test processes share the machine's cores.
API_TIMEOUT = 30


def thread_stacks() -> str:
    """Where each thread of this process is now."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    return "\n".join(
        f"--- {names.get(ident, ident)}\n{''.join(traceback.format_stack(frame))}"
        for ident, frame in sys._current_frames().items()
    )


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test process keeps its own handlers
        pass


@dataclass
class ExportSetup:
    """The API, the sandbox, one company with an admin, and a worker to run."""

    api: httpx.Client
    sandbox: RunningSandbox
    container: Container
    company_id: UUID
    clients: SandboxClients

    def url(self, path: str) -> str:
        return f"/api/v1/companies/{self.company_id}{path}"

    def send(self, method: str, path: str, **options: Any) -> httpx.Response:
        """One call to the API. One that gets no answer in time prints every thread's
        stack first: the API runs in this process, so they show where it waits."""
        try:
            return self.api.request(method, self.url(path), **options)
        except httpx.TimeoutException as error:
            raise AssertionError(
                f"{method} {path}: no answer in {API_TIMEOUT} s; the threads:\n{thread_stacks()}"
            ) from error

    def post(self, path: str, body: Any = None, status: int = 200) -> Any:
        answer = self.send("POST", path, json=body)
        assert answer.status_code == status, answer.text
        return answer.json()

    def put(self, path: str, body: Any, status: int = 200) -> Any:
        answer = self.send("PUT", path, json=body)
        assert answer.status_code == status, answer.text
        return answer.json()

    def patch(self, path: str, body: Any, status: int = 200) -> Any:
        answer = self.send("PATCH", path, json=body)
        assert answer.status_code == status, answer.text
        return answer.json()

    def get(self, path: str, status: int = 200, **params: Any) -> Any:
        answer = self.send("GET", path, params=params)
        assert answer.status_code == status, answer.text
        return answer.json()

    def approve(self, path: str) -> dict[str, Any]:
        self.post(f"{path}/submit")
        approved: dict[str, Any] = self.post(f"{path}/approve")
        assert approved["status"] == "approved", approved
        return approved

    async def run_worker(self) -> PassReport:
        worker = Worker(
            self.container.uow,
            self.clients,
            config=WorkerConfig(name="e2e-worker", policy=ExportPolicy(backoff_base_seconds=0.05)),
        )
        return await worker.drain(max_seconds=30)

    async def xero(self, path: str, **params: Any) -> Any:
        return await sandbox_get(self.sandbox, path, **params)

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        return await sandbox_control(self.sandbox, method, path, body)


def bound_socket() -> socket.socket:
    """A socket on 127.0.0.1 and a free port, to serve the API on."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def serve_api(container: Container, sock: socket.socket | None = None) -> Iterator[str]:
    """Serve the container's API (uvicorn in a thread); yields its root URL."""
    sock = sock or bound_socket()
    host, port = sock.getsockname()
    config = uvicorn.Config(
        container.api(), log_level="warning", access_log=False, lifespan="off", ws="none"
    )
    server = _Server(config)
    failures: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as error:  # SystemExit included: uvicorn exits on a bad start
            failures.append(error)
            raise

    thread = threading.Thread(target=run, name="ledgerlink-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + API_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the API stopped while starting: {failures!r}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"the API did not start in {API_TIMEOUT} s; the threads:\n{thread_stacks()}"
            )
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def import_reference_data(setup: ExportSetup) -> None:
    """Accounts and tax rates of the demo organisation into the store (the import step)."""
    accounts = (await setup.xero("/Accounts"))["Accounts"]
    rates = (await setup.xero("/TaxRates"))["TaxRates"]
    with setup.container.uow() as uow:
        for raw in accounts:
            uow.accounts.add(
                setup.company_id,
                Account(
                    code=raw["Code"],
                    name=raw["Name"],
                    type=raw["Type"],
                    account_class=CLASS_OF_TYPE[raw["Class"]],
                    status=ReferenceStatus(raw["Status"]),
                    tax_type=raw.get("TaxType"),
                ),
            )
        for raw in rates:
            applies = {
                AccountClass.REVENUE: raw.get("CanApplyToRevenue", True),
                AccountClass.EXPENSE: raw.get("CanApplyToExpenses", True),
                AccountClass.ASSET: raw.get("CanApplyToAssets", True),
                AccountClass.LIABILITY: raw.get("CanApplyToLiabilities", True),
                AccountClass.EQUITY: raw.get("CanApplyToEquity", True),
            }
            uow.tax_rates.add(
                setup.company_id,
                TaxRate(
                    name=raw["Name"],
                    tax_type=raw["TaxType"],
                    rate=raw["EffectiveRate"] if "EffectiveRate" in raw else raw["DisplayTaxRate"],
                    applies_to=frozenset(c for c, ok in applies.items() if ok),
                    status=ReferenceStatus(raw["Status"]),
                ),
            )
        uow.commit()


@pytest.fixture
def export_setup(tmp_path: Path) -> Iterator[ExportSetup]:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url))
    with container.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        user = uow.users.add("admin@acme.test")
        uow.users.grant(user.id, company.id, Role.ADMIN)
        issued = uow.tokens.issue(user.id, "e2e")
        uow.commit()
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    sandbox_config = SandboxConfig(seed="demo", limits="off")
    with serve_in_thread(sandbox_config, SandboxClock.manual(start)) as sandbox:
        for base_url in serve_api(container):
            headers = {"Authorization": f"Bearer {issued.secret}"}
            with httpx.Client(base_url=base_url, headers=headers, timeout=API_TIMEOUT) as api:
                yield ExportSetup(
                    api, sandbox, container, company.id, SandboxClients(sandbox.base_url)
                )
    container.close()
