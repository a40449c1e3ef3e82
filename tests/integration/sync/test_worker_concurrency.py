"""One worker process sends for several organisations at once (`--concurrency N`).

Two companies, each connected (through the consent page) to its own organisation of the
sandbox (Demo and Empty), each with one approved bill, sent through the real gateway. A
company's client is handed out only while the other company is being sent too: with room
for two companies at a time both bills reach Xero in one pass; with one at a time neither
is (the pass runs them one after the other).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from ledgerlink.cli import app
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.gateway import XeroGateway
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.connect.conftest import connect, sandbox_settings
from tests.integration.sync.conftest import add_supplier, approved_bill
from xero_client import XeroClient
from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, RunningSandbox, SandboxConfig

TENANTS = (DEMO_TENANT_ID, EMPTY_TENANT_ID)

#: How long the first company's client waits for the second company's to be in use.
OVERLAP_WAIT_SECONDS = 5.0


class OverlapNeeded(Exception):
    """The first company's export ran while the second's was not running."""


class TwoOrganisations:
    """A ``ClientFactory`` over the real gateway whose clients are handed out only once both
    companies are being sent at the same moment; a company in ``broken`` fails as a fault of
    ours would."""

    def __init__(self, gateway: XeroGateway) -> None:
        self.gateway = gateway
        self.in_use: set[UUID] = set()
        self.together = asyncio.Event()
        self.broken: set[UUID] = set()

    @asynccontextmanager
    async def __call__(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        if company_id in self.broken:
            raise RuntimeError("the client could not be built")
        self.in_use.add(company_id)
        try:
            if len(self.in_use) == len(TENANTS):
                self.together.set()
            try:
                await asyncio.wait_for(self.together.wait(), OVERLAP_WAIT_SECONDS)
            except TimeoutError:
                raise OverlapNeeded("the other company was not being sent meanwhile") from None
            async with self.gateway.client(company_id) as client:
                yield client
        finally:
            self.in_use.discard(company_id)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", limits="off")


@pytest.fixture
def settings(sandbox: RunningSandbox, tmp_path: Path) -> Settings:
    return sandbox_settings(sandbox, "sqlite://", tmp_path)


async def setup_two(
    uow_factory: UowFactory,
    session_factory: sessionmaker[Session],
    sandbox: RunningSandbox,
    settings: Settings,
    companies: tuple[UUID, UUID],
) -> tuple[TwoOrganisations, dict[UUID, str]]:
    """Each company connected to its own organisation (through the consent page) with one
    approved bill; the client factory and each company's bill number."""
    gateway = XeroGateway(session_factory, settings, clock=sandbox.clock.now)
    connector = XeroConnector(gateway)
    with uow_factory() as uow:
        user = uow.users.add("admin@two.test")
        for company in companies:
            uow.users.grant(user.id, company, Role.ADMIN)
        uow.commit()
    numbers = {}
    for company, tenant, number in zip(companies, TENANTS, ("CON-A-1", "CON-B-1"), strict=True):
        await connect(connector, company, user.id, [tenant])
        supplier = add_supplier(uow_factory, company, f"Supplier of {number}")
        approved_bill(uow_factory, company, supplier, number)
        numbers[company] = number
    return TwoOrganisations(gateway), numbers


async def numbers_in(clients: TwoOrganisations, company_id: UUID) -> list[str]:
    """The bill numbers the company's organisation holds, read back through its connection."""
    async with clients.gateway.client(company_id) as client:
        return sorted([invoice.invoice_number or "" async for invoice in client.iter_invoices()])


def worker_of(
    uow_factory: UowFactory, clients: TwoOrganisations, clock: FakeClock, n: int
) -> Worker:
    return Worker(uow_factory, clients, config=WorkerConfig(name="w", concurrency=n), clock=clock)


async def test_two_organisations_progress_in_one_pass_with_concurrency_two(
    uow_factory: UowFactory,
    company_id: UUID,
    other_company_id: UUID,
    session_factory: sessionmaker[Session],
    sandbox: RunningSandbox,
    settings: Settings,
    clock: FakeClock,
) -> None:
    clients, numbers = await setup_two(
        uow_factory, session_factory, sandbox, settings, (company_id, other_company_id)
    )
    report = await worker_of(uow_factory, clients, clock, 2).run_pass()

    assert (report.companies, report.documents) == (2, 4)  # a supplier and a bill each
    assert await numbers_in(clients, company_id) == [numbers[company_id]]
    assert await numbers_in(clients, other_company_id) == [numbers[other_company_id]]


async def test_with_concurrency_one_the_companies_are_sent_one_after_the_other(
    uow_factory: UowFactory,
    company_id: UUID,
    other_company_id: UUID,
    session_factory: sessionmaker[Session],
    sandbox: RunningSandbox,
    settings: Settings,
    clock: FakeClock,
) -> None:
    """The counterpart that shows the test above needs both at once: one company at a time,
    neither ever sees the other in flight, and nothing is sent."""
    clients, _ = await setup_two(
        uow_factory, session_factory, sandbox, settings, (company_id, other_company_id)
    )
    report = await worker_of(uow_factory, clients, clock, 1).run_pass()

    assert report.documents == 0
    assert not clients.together.is_set()
    for company in (company_id, other_company_id):
        assert await numbers_in(clients, company) == []


async def test_a_failure_in_one_organisation_does_not_stop_the_other(
    uow_factory: UowFactory,
    company_id: UUID,
    other_company_id: UUID,
    session_factory: sessionmaker[Session],
    sandbox: RunningSandbox,
    settings: Settings,
    clock: FakeClock,
) -> None:
    clients, numbers = await setup_two(
        uow_factory, session_factory, sandbox, settings, (company_id, other_company_id)
    )
    clients.together.set()  # no waiting: only the failure matters here
    clients.broken.add(company_id)
    report = await worker_of(uow_factory, clients, clock, 2).run_pass()

    assert (report.companies, report.documents) == (2, 2)  # the other's supplier and bill
    assert await numbers_in(clients, other_company_id) == [numbers[other_company_id]]
    assert await numbers_in(clients, company_id) == []
    with uow_factory() as uow:
        rows = [r for r in uow.outbox.list(company_id, limit=100) if r.reaches_xero]
    assert rows and {r.state for r in rows} == {"pending"}
    assert all("the client could not be built" in (r.last_error or "") for r in rows)


def test_the_worker_command_takes_concurrency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", url)
    upgrade(url)
    runner = CliRunner()
    result = runner.invoke(app, ["worker", "--once", "--name", "c", "--concurrency", "3"])
    assert result.exit_code == 0, result.output
    assert "worker c: sending to Xero for up to 3 companies at once" in result.output
    refused = runner.invoke(app, ["worker", "--once", "--concurrency", "0"])
    assert refused.exit_code == 2
    assert "--concurrency" in refused.output
