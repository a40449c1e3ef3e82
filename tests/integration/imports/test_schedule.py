"""The worker's timer: scheduled refreshes run, and a failing round does not stop the next."""

import asyncio
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from ledgerlink.sync.imports import REFRESH_SETTING, ImportRunner
from ledgerlink.sync.schedule import run_import_schedule
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.imports.conftest import run_import


async def test_the_schedule_refreshes_what_is_due_each_round_until_stopped(
    uow_factory: UowFactory, runner: ImportRunner, clock: FakeClock, company_id: UUID
) -> None:
    with uow_factory() as uow:
        company = uow.companies.get(company_id)
        assert company is not None
        settings = replace(company.settings, options={REFRESH_SETTING: 60})
        uow.companies.update_settings(company_id, settings)
        uow.commit()
    await run_import(runner, company_id, "tax-rates")
    stop = asyncio.Event()
    rounds: list[datetime] = []

    def ticking_clock() -> datetime:
        # Each round happens an hour after the previous one; stop after the third.
        clock.advance(61 * 60)
        rounds.append(clock())
        if len(rounds) == 3:
            stop.set()
        return clock()

    ran = await run_import_schedule(runner, stop, clock=ticking_clock, every_seconds=0)

    assert ran == 3  # one refresh of tax rates per round


async def test_a_failing_round_is_logged_and_the_next_round_goes_on(
    runner: ImportRunner, clock: FakeClock
) -> None:
    stop = asyncio.Event()
    calls = 0

    def clock_that_fails_once() -> datetime:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the database went away")
        stop.set()
        return clock()

    assert (
        await run_import_schedule(runner, stop, clock=clock_that_fails_once, every_seconds=0) == 0
    )
    assert calls == 2
