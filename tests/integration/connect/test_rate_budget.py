"""The shared rate budget on a real database, with a clock that moves only when told."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.rate_budget import DatabaseRateLimiter
from tests.integration.conftest import FakeClock
from xero_client import LimitObservation, RateLimited, XeroLimits

TENANT = "6d5b3a5e-0000-4000-8000-000000000001"
OTHER = "6d5b3a5e-0000-4000-8000-000000000002"


class ClockSleep:
    """Waits by moving the fake clock."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)
        await asyncio.sleep(0)


def limiter(
    session_factory: sessionmaker[Session], clock: FakeClock, **options: object
) -> DatabaseRateLimiter:
    return DatabaseRateLimiter(
        session_factory,
        clock=clock,
        sleep=ClockSleep(clock),
        **options,  # type: ignore[arg-type]
    )


async def test_sixty_calls_a_minute_then_the_next_waits_for_the_window(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    shared = limiter(session_factory, clock)
    started = clock.now
    for _ in range(60):
        await shared.acquire(TENANT)
        await shared.release(TENANT, None)
        clock.advance(0.5)
    assert shared.budget(TENANT).minute_remaining == 0

    await shared.acquire(TENANT)

    assert (clock.now - started).total_seconds() == pytest.approx(60, abs=0.01)
    assert shared.budget(OTHER).minute_remaining == 60


async def test_two_limiters_share_one_budget(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    first = limiter(session_factory, clock, limits=XeroLimits(per_minute=10))
    second = limiter(session_factory, clock, limits=XeroLimits(per_minute=10))
    for n in range(10):
        await (first if n % 2 else second).acquire(TENANT)
        await (first if n % 2 else second).release(TENANT, None)

    with pytest.raises(RateLimited) as limited:
        await limiter(
            session_factory, clock, limits=XeroLimits(per_minute=10), max_inline_wait=1
        ).acquire(TENANT)

    assert limited.value.limit == "minute"


async def test_five_calls_never_released_free_their_slots_when_their_leases_run_out(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    """As a process killed mid-call leaves them; no process is killed here (see test_processes)."""
    killed = limiter(session_factory, clock)
    for _ in range(5):
        await killed.acquire(TENANT)  # never released: the process died
    assert killed.budget(TENANT).in_flight == 5
    alive = limiter(session_factory, clock, poll_seconds=5.0)

    await alive.acquire(TENANT)

    waited = sum(alive._sleep.waits)  # type: ignore[attr-defined]
    assert waited == pytest.approx(120, abs=0.1)  # the leases of the dead calls ran out
    assert alive.budget(TENANT).in_flight == 1


async def test_a_daily_429_parks_the_organisation_until_reset(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    shared = limiter(session_factory, clock)
    await shared.acquire(TENANT)
    until = clock.now + timedelta(hours=1)
    await shared.release(TENANT, LimitObservation(problem="day", retry_after=3600, day_remaining=0))

    with pytest.raises(RateLimited) as parked:
        await shared.acquire(TENANT)

    assert parked.value.limit == "day"
    assert parked.value.retry_after == pytest.approx(3600)
    budget = shared.budget(TENANT)
    assert (budget.day_remaining, budget.parked_until) == (0, until)
    clock.advance(3601)
    await shared.acquire(TENANT)
    assert shared.budget(TENANT).parked_until is None


async def test_answers_that_spend_the_minute_block_until_the_window_moves(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    shared = limiter(session_factory, clock)
    await shared.acquire(TENANT)
    await shared.release(TENANT, LimitObservation(minute_remaining=0, day_remaining=4321))
    assert shared.budget(TENANT).day_remaining == 4321
    clock.advance(10)

    await shared.acquire(TENANT)

    assert shared._sleep.waits == [pytest.approx(50)]  # type: ignore[attr-defined]


async def test_a_minute_429_waits_for_retry_after(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    shared = limiter(session_factory, clock)
    await shared.acquire(TENANT)
    await shared.release(TENANT, LimitObservation(problem="minute", retry_after=7))

    await shared.acquire(TENANT)

    assert shared._sleep.waits == [pytest.approx(7)]  # type: ignore[attr-defined]


async def test_the_app_minute_budget_spans_every_organisation(
    session_factory: sessionmaker[Session], clock: FakeClock
) -> None:
    shared = limiter(session_factory, clock, limits=XeroLimits(app_per_minute=3))
    for tenant in (TENANT, OTHER, TENANT):
        await shared.acquire(tenant)
        await shared.release(tenant, None)
    clock.advance(15)

    await shared.acquire("6d5b3a5e-0000-4000-8000-000000000003")

    assert shared._sleep.waits == [pytest.approx(45)]  # type: ignore[attr-defined]
