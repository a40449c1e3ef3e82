"""Imports under trouble: Xero's daily limit, a revoked connection, a crash, a schedule."""

from dataclasses import replace
from uuid import UUID

import pytest

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.repositories.import_jobs import ImportJob, ImportJobRepository
from ledgerlink.sync.imports import REFRESH_SETTING, ImportRunner
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.imports.conftest import SandboxClients, counts, run_import, seed
from xero_sandbox import SandboxConfig

DAILY_LIMIT = 3


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """Xero's limits, with a day of only a few calls."""
    return SandboxConfig(seed="demo", daily_limit=DAILY_LIMIT)


async def test_the_daily_limit_pauses_the_job_until_it_resets_then_it_finishes(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, company_id: UUID
) -> None:
    await seed(clients.xero, contacts=450)
    seen_while_waiting: list[ImportJob | None] = []

    async def sleep(seconds: float) -> None:
        with uow_factory() as uow:
            seen_while_waiting.append(ImportJobRepository(uow.session).get_any(job.id))
        await clients.xero.sleep(seconds)

    runner = ImportRunner(uow_factory, clients, clock=clock, sleep=sleep, page_size=100)
    job = runner.start(company_id, "suppliers", import_all=True)
    job = await runner.run(job.id)

    assert job.state == "done", job.message
    assert job.created == job.total and job.total > 450
    waiting = seen_while_waiting[0]
    assert waiting is not None and waiting.state == "waiting"
    assert waiting.message is not None
    assert waiting.message.startswith("waiting for Xero's rate limit (day), resumes at 2026-03-0")
    assert waiting.processed == DAILY_LIMIT * 100
    assert sum(clients.xero.sleep.waits) >= 3600  # the sandbox's clock moved, not ours


async def test_a_refused_connection_stops_the_job_asking_for_a_reconnect(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, company_id: UUID
) -> None:
    told: list[tuple[UUID, str]] = []
    runner = ImportRunner(
        uow_factory,
        clients,
        clock=clock,
        sleep=clients.xero.sleep,
        on_reconnect_needed=lambda company, message: told.append((company, message)),
    )
    tokens = await clients.xero.store.load()
    assert tokens is not None
    await clients.xero.oauth.revoke(tokens.refresh_token)
    clients.xero.clock.advance(3600)  # the access token has expired too

    job = await run_import(runner, company_id, "accounts")

    assert job.state == "needs_reconnect"
    assert job.message is not None and "connect the company to Xero again" in job.message
    assert [company for company, _ in told] == [company_id]


class Crash(BaseException):
    """The process dies (a kill, a deploy) in the middle of an import."""


async def test_a_job_cut_off_by_a_crash_is_resumed_by_the_worker_from_its_cursor(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, company_id: UUID
) -> None:
    await seed(clients.xero, contacts=150)

    def crash_after_first_page(job: ImportJob) -> None:
        raise Crash

    crashing = ImportRunner(
        uow_factory, clients, clock=clock, on_progress=crash_after_first_page, page_size=100
    )
    job = crashing.start(company_id, "suppliers", import_all=True)
    with pytest.raises(Crash):
        await crashing.run(job.id)
    worker = ImportRunner(uow_factory, clients, clock=clock, page_size=100)

    too_early = await worker.resume_due(clock())
    clock.advance(301)  # the crashed process's lease runs out
    resumed = await worker.resume_due(clock())

    assert too_early == []
    assert [r.id for r in resumed] == [job.id]
    assert resumed[0].state == "done"
    assert resumed[0].api_calls == 2  # page 2 only: page 1 was committed before the crash
    with uow_factory() as uow:
        assert uow.suppliers.count(company_id) == resumed[0].created == resumed[0].total


async def test_scheduled_refreshes_run_when_the_interval_has_passed(
    uow_factory: UowFactory, runner: ImportRunner, clock: FakeClock, company_id: UUID
) -> None:
    with uow_factory() as uow:
        company = uow.companies.get(company_id)
        assert company is not None
        options = {REFRESH_SETTING: 60}
        uow.companies.update_settings(company_id, replace(company.settings, options=options))
        uow.commit()
    await run_import(runner, company_id, "tax-rates")
    await run_import(runner, company_id, "suppliers", import_all=True)

    clock.advance(30 * 60)
    not_yet = await runner.run_due_refreshes(clock())
    clock.advance(31 * 60)
    due = await runner.run_due_refreshes(clock())

    assert not_yet == []
    assert sorted((job.kind, job.mode, job.state) for job in due) == [
        ("suppliers", "refresh", "done"),
        ("tax-rates", "refresh", "done"),
    ]
    assert all(counts(job)[:2] == (0, 0) for job in due)


def test_bad_requests_name_the_field_and_the_fix(runner: ImportRunner, company_id: UUID) -> None:
    with pytest.raises(InvalidValue, match="kind: use one of accounts"):
        runner.start(company_id, "widgets")
    with pytest.raises(InvalidValue, match=r'xero_ids: pick the suppliers .* "all": true'):
        runner.start(company_id, "suppliers")
    with pytest.raises(InvalidValue, match=r"xero_ids\[1\]"):
        runner.start(company_id, "customers", xero_ids=["abc", ""])
