"""One runner per import job: a lease that its runner renews, taken over once it runs out;
an error that stops a runner is recorded on its job."""

import asyncio
from datetime import datetime
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text

from ledgerlink.bootstrap import Container
from ledgerlink.store.repositories.import_jobs import RUNNING, ImportJob, ImportJobRepository
from ledgerlink.sync.imports import ImportRunner
from ledgerlink.sync.imports.steps import LEASE_SECONDS
from ledgerlink.sync.schedule import run_import_schedule
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.imports.conftest import SandboxClients, seed
from tests.integration.imports.leases import left_running_by, stored
from xero_sandbox import SandboxConfig


async def test_a_job_left_running_is_taken_over_by_the_worker_once_its_lease_runs_out(
    uow_factory: UowFactory, runner: ImportRunner, clock: FakeClock, company_id: UUID
) -> None:
    job = runner.start(company_id, "tax-rates")
    left_running_by(ImportJobRepository, uow_factory, job.id, "runner-that-died", clock)

    while_held = await runner.resume_due(clock())
    clock.advance(LEASE_SECONDS + 1)
    stop = asyncio.Event()

    def one_round() -> datetime:
        stop.set()
        return clock()

    ran = await run_import_schedule(runner, stop, clock=one_round, every_seconds=0)

    assert while_held == []
    assert ran >= 1
    taken_over = stored(ImportJobRepository, uow_factory, job.id)
    assert (taken_over.state, taken_over.lease_until) == ("done", None)
    assert taken_over.created > 0


async def test_a_runner_that_lost_its_lease_writes_nothing_more_to_the_job(
    uow_factory: UowFactory, runner: ImportRunner, clock: FakeClock, company_id: UUID
) -> None:
    job = runner.start(company_id, "tax-rates")
    left_running_by(ImportJobRepository, uow_factory, job.id, "stalled-runner", clock)
    clock.advance(LEASE_SECONDS + 1)
    finished = await runner.run(job.id)

    stale = stored(ImportJobRepository, uow_factory, job.id)
    stale.state, stale.message = RUNNING, "still going"
    with uow_factory() as uow:
        written = ImportJobRepository(uow.session).save(stale, clock(), owner="stalled-runner")
        uow.commit()

    assert finished.state == "done"
    assert written is False
    assert stored(ImportJobRepository, uow_factory, job.id).state == "done"


def _refuse_finishing_jobs(engine: Engine) -> None:
    """The database refuses, for real, to record any import job as done."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_done BEFORE UPDATE ON import_jobs "
                "WHEN NEW.state = 'done' BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END"
            )
        )


@pytest.mark.parametrize(
    "sandbox_config", [SandboxConfig(seed="demo", daily_limit=3)], ids=["three-calls-a-day"]
)
async def test_a_runner_waiting_past_its_lease_keeps_its_job_by_renewing_the_lease(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, company_id: UUID
) -> None:
    await seed(clients.xero, contacts=450)
    other = ImportRunner(uow_factory, clients, clock=clock, sleep=clients.xero.sleep)
    taken_over: list[list[ImportJob]] = []

    async def wait_out_the_day(seconds: float) -> None:
        clock.advance(seconds + 2 * LEASE_SECONDS)  # long past the lease taken at the pause
        await asyncio.sleep(0.3)  # the runner's heartbeat ticks meanwhile
        taken_over.append(await other.resume_due(clock()))
        await clients.xero.sleep(seconds)

    runner = ImportRunner(
        uow_factory,
        clients,
        clock=clock,
        sleep=wait_out_the_day,
        page_size=100,
        heartbeat_seconds=0.05,
    )
    job = runner.start(company_id, "suppliers", import_all=True)
    job = await runner.run(job.id)

    assert taken_over and all(found == [] for found in taken_over)
    assert job.state == "done", job.message
    assert job.created == job.total


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_runner_whose_last_write_fails_records_the_job_failed_with_the_error(
    uow_factory: UowFactory,
    runner: ImportRunner,
    clock: FakeClock,
    company_id: UUID,
    engine: Engine,
) -> None:
    _refuse_finishing_jobs(engine)
    job = runner.start(company_id, "tax-rates")

    await runner.run_or_record(job.id)

    failed = stored(ImportJobRepository, uow_factory, job.id)
    assert failed.state == "failed"
    assert failed.message is not None and "disk refused the write" in failed.message
    assert (failed.lease_until, failed.lease_owner) == (None, None)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_an_import_started_over_rest_whose_runner_fails_is_recorded_failed(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant, container: Container
) -> None:
    _refuse_finishing_jobs(container.engine)

    started = await api.post(
        connected.url("/xero/imports"), json={"kind": "tax-rates"}, headers=connected.headers
    )
    await asyncio.gather(*getattr(app.state, "import_tasks", set()))
    job = await api.get(started.json()["url"], headers=connected.headers)

    assert started.status_code == 202, started.text
    assert job.json()["state"] == "failed"
    assert "disk refused the write" in job.json()["message"]
