"""The real sandbox over HTTP, a client connected to it through the consent page, and an
import runner writing to a freshly migrated database, and the REST API of an app whose
company is connected to the sandbox through the gateway."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.records import Role
from ledgerlink.store.repositories.import_jobs import ImportJob
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from ledgerlink.sync.imports import ImportRunner
from tests.client.sandbox.conftest import START, Connected, connect
from tests.integration.api.conftest import Tenant, make_tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.connect.conftest import connect as connect_company
from tests.integration.connect.conftest import sandbox_settings
from xero_client import XeroClient
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    serve_in_thread,
)


class SandboxClients:
    """Hands out clients of the connected sandbox organisation, as the gateway would."""

    def __init__(self, xero: Connected, tenant_id: str = DEMO_TENANT_ID) -> None:
        self.xero = xero
        self.tenant_id = tenant_id
        self.handed_out = 0

    @asynccontextmanager
    async def client(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        self.handed_out += 1
        yield self.xero.client(self.tenant_id)


@pytest.fixture
def sandbox_clock() -> SandboxClock:
    return SandboxClock.manual(START)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="demo")


@pytest.fixture
def sandbox(sandbox_config: SandboxConfig, sandbox_clock: SandboxClock) -> Iterator[RunningSandbox]:
    with serve_in_thread(sandbox_config, sandbox_clock) as running:
        yield running


@pytest.fixture
async def xero(sandbox: RunningSandbox, sandbox_clock: SandboxClock) -> AsyncIterator[Connected]:
    """A client connected to the demo organisation over a real socket."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0)) as http:
        connected = await connect(http, sandbox.base_url, sandbox_clock)
        assert DEMO_TENANT_ID in connected.tenant_ids
        yield connected


@pytest.fixture
def clients(xero: Connected) -> SandboxClients:
    return SandboxClients(xero)


@pytest.fixture
def runner(uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock) -> ImportRunner:
    return ImportRunner(uow_factory, clients, clock=clock, sleep=clients.xero.sleep)


@pytest.fixture
def demo(xero: Connected) -> XeroClient:
    """A client for arranging data in the demo organisation through Xero's API."""
    return xero.client(DEMO_TENANT_ID)


async def run_import(
    runner: ImportRunner, company_id: UUID, kind: str, **options: Any
) -> ImportJob:
    job = runner.start(company_id, kind, **options)
    return await runner.run(job.id)


def outbox_rows(uow_factory: UowFactory, company_id: UUID) -> list[OutboxMessage]:
    with uow_factory() as uow:
        return uow.outbox.list(company_id, limit=1000)


async def seed(xero: Connected, **counts: int) -> None:
    await xero.control("POST", "/seed", {"tenant": DEMO_TENANT_ID, **counts})


def counts(job: ImportJob) -> tuple[int, int, int, int]:
    return (job.created, job.updated, job.unchanged, job.skipped)


# -- the REST API, with a company connected through the gateway --------------------


@pytest.fixture
def settings(sandbox: RunningSandbox, database_url: str, tmp_path: Path) -> Settings:
    return sandbox_settings(sandbox, database_url, tmp_path)


@pytest.fixture
def container(settings: Settings, sandbox_clock: SandboxClock) -> Iterator[Container]:
    upgrade(settings.database_url)
    built = Container(settings, clock=sandbox_clock.now)
    yield built
    built.close()


@pytest.fixture
def app(container: Container) -> FastAPI:
    return container.api()


@pytest.fixture
def admin(container: Container) -> Tenant:
    return make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)


@pytest.fixture
async def connected(container: Container, admin: Tenant, sandbox_clock: SandboxClock) -> Tenant:
    gateway = XeroGateway(container.session_factory, container.settings, clock=sandbox_clock.now)
    with container.uow() as uow:
        user = uow.users.get_by_email("admin@acme.test")
    assert user is not None
    await connect_company(XeroConnector(gateway), UUID(admin.company_id), user.id)
    return admin


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ledgerlink.test") as client:
        yield client


async def seed_over_http(sandbox: RunningSandbox, **counts: int) -> None:
    """Add generated records to the demo organisation through the sandbox's control API."""
    async with httpx.AsyncClient(base_url=sandbox.base_url) as control:
        answer = await control.post("/_sandbox/seed", json={"tenant": DEMO_TENANT_ID, **counts})
    assert answer.status_code == 200, answer.text
