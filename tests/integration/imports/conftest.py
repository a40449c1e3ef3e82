"""The real sandbox over HTTP, a client connected to it through the consent page, and an
import runner writing to a freshly migrated database."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import httpx
import pytest

from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories.import_jobs import ImportJob
from ledgerlink.sync.imports import ImportRunner
from tests.client.sandbox.conftest import START, Connected, connect
from tests.integration.conftest import FakeClock, UowFactory
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
