"""One runner per export job: a job whose runner died is taken over by the worker once its
lease runs out and finished from its cursor; a runner that cannot record its end leaves
the job failed with the error, never running."""

import asyncio
from datetime import datetime
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text

from ledgerlink.bootstrap import Container
from ledgerlink.domain.parties import Customer
from ledgerlink.store.repositories.export_jobs import ExportJobRepository
from ledgerlink.sync.exports import ExportRunner
from ledgerlink.sync.imports import ImportRunner
from ledgerlink.sync.imports.steps import LEASE_SECONDS
from ledgerlink.sync.schedule import run_import_schedule
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.exports.conftest import post
from tests.integration.imports.conftest import SandboxClients
from tests.integration.imports.leases import left_running_by, stored


def _customers(uow_factory: UowFactory, company_id: UUID, count: int) -> None:
    with uow_factory() as uow:
        for n in range(count):
            uow.customers.add(Customer.create(company_id=company_id, name=f"Leased {n}"))
        uow.commit()


async def test_a_job_whose_runner_died_is_taken_over_once_its_lease_runs_out(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, company_id: UUID
) -> None:
    _customers(uow_factory, company_id, 3)
    runner = ExportRunner(uow_factory, clients, clock=clock, batch_size=2)
    job = runner.start(company_id, "customers")
    left_running_by(ExportJobRepository, uow_factory, job.id, "runner-that-died", clock)

    while_held = await runner.resume_due(clock())
    clock.advance(LEASE_SECONDS + 1)
    stop = asyncio.Event()

    def one_round() -> datetime:
        stop.set()
        return clock()

    imports = ImportRunner(uow_factory, clients, clock=clock)
    await run_import_schedule(imports, stop, clock=one_round, every_seconds=0, exports=runner)

    assert while_held == []
    taken_over = stored(ExportJobRepository, uow_factory, job.id)
    assert (taken_over.state, taken_over.lease_until) == ("done", None), taken_over.message
    assert (taken_over.done, taken_over.created) == (3, 3)


def _refuse_finishing_jobs(engine: Engine) -> None:
    """The database refuses, for real, to record any export job as done."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_done BEFORE UPDATE ON export_jobs "
                "WHEN NEW.state = 'done' BEGIN SELECT RAISE(ABORT, 'disk refused the write'); END"
            )
        )


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_an_export_whose_runner_cannot_record_its_end_is_failed_with_the_error(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant, container: Container
) -> None:
    await post(api, connected, "/customers", {"name": "Harbour Cafe"})
    _refuse_finishing_jobs(container.engine)

    started = await api.post(
        connected.url("/xero/exports"), json={"kind": "customers"}, headers=connected.headers
    )
    await asyncio.gather(*app.state.export_tasks)
    job = (await api.get(started.json()["url"], headers=connected.headers)).json()

    assert job["state"] == "failed"
    assert "disk refused the write" in job["message"]
