import asyncio

import pytest

from xero_client import InMemoryRateLimiter, LimitObservation, RateLimited, XeroLimits

from .conftest import FakeClock

ORG = "org-a"


def limiter(clock: FakeClock, **limits: int) -> InMemoryRateLimiter:
    return InMemoryRateLimiter(limits=XeroLimits(**limits), clock=clock, sleep=clock.sleep)


async def test_at_most_five_calls_are_in_flight(clock: FakeClock) -> None:
    limits = limiter(clock)
    for _ in range(5):
        await limits.acquire(ORG)
    sixth = asyncio.create_task(limits.acquire(ORG))
    await asyncio.sleep(0)
    assert not sixth.done()
    await limits.release(ORG, None)
    await asyncio.wait_for(sixth, timeout=1)
    assert limits.in_flight(ORG) == 5
    assert clock.sleeps == []


async def test_the_sixty_first_call_in_a_minute_waits_for_the_window(clock: FakeClock) -> None:
    limits = limiter(clock)
    for second in range(60):
        await limits.acquire(ORG)
        await limits.release(ORG, None)
        clock.advance(0.5 if second < 59 else 0)
    await limits.acquire(ORG)
    assert clock.sleeps == [pytest.approx(60 - 29.5)]


async def test_organisations_have_separate_budgets(clock: FakeClock) -> None:
    limits = limiter(clock, per_minute=2)
    for org in ("a", "a", "b", "b"):
        await limits.acquire(org)
        await limits.release(org, None)
    assert clock.sleeps == []


async def test_a_spent_minute_reported_by_xero_blocks_until_the_window_turns(
    clock: FakeClock,
) -> None:
    limits = limiter(clock)
    await limits.acquire(ORG)
    clock.advance(10)
    await limits.release(ORG, LimitObservation(minute_remaining=0, day_remaining=4000))
    await limits.acquire(ORG)
    assert clock.sleeps == [pytest.approx(50)]


async def test_a_spent_day_is_raised_without_waiting(clock: FakeClock) -> None:
    limits = limiter(clock)
    await limits.acquire(ORG)
    await limits.release(ORG, LimitObservation(day_remaining=0))
    with pytest.raises(RateLimited) as caught:
        await limits.acquire(ORG)
    assert caught.value.limit == "day"
    assert caught.value.retry_after == pytest.approx(86400)
    assert clock.sleeps == []


async def test_the_local_daily_budget_is_enforced(clock: FakeClock) -> None:
    limits = limiter(clock, per_day=3, per_minute=100)
    for _ in range(3):
        await limits.acquire(ORG)
        await limits.release(ORG, None)
    with pytest.raises(RateLimited, match="day rate limit"):
        await limits.acquire(ORG)


async def test_a_429_blocks_the_organisation_for_retry_after(clock: FakeClock) -> None:
    limits = limiter(clock)
    await limits.acquire(ORG)
    await limits.release(ORG, LimitObservation(problem="minute", retry_after=7))
    await limits.acquire("other-org")
    assert clock.sleeps == []
    await limits.acquire(ORG)
    assert clock.sleeps == [7]


async def test_the_app_minute_limit_blocks_every_organisation(clock: FakeClock) -> None:
    limits = limiter(clock)
    await limits.acquire(ORG)
    await limits.release(ORG, LimitObservation(problem="appminute", retry_after=3))
    await limits.acquire("other-org")
    assert clock.sleeps == [3]


async def test_the_app_minute_budget_counts_every_organisation(clock: FakeClock) -> None:
    limits = limiter(clock, app_per_minute=3)
    for org in ("a", "b", "c"):
        await limits.acquire(org)
        await limits.release(org, None)
    await limits.acquire("d")
    assert clock.sleeps == [60]


async def test_a_wait_longer_than_the_inline_bound_is_raised(clock: FakeClock) -> None:
    limits = InMemoryRateLimiter(clock=clock, sleep=clock.sleep, max_inline_wait=5)
    await limits.acquire(ORG)
    await limits.release(ORG, LimitObservation(problem="minute", retry_after=30))
    with pytest.raises(RateLimited) as caught:
        await limits.acquire(ORG)
    assert (caught.value.limit, caught.value.retry_after) == ("minute", 30)
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            {
                "X-MinLimit-Remaining": "59",
                "X-DayLimit-Remaining": "4999",
                "X-AppMinLimit-Remaining": "9999",
            },
            LimitObservation(minute_remaining=59, day_remaining=4999, app_minute_remaining=9999),
        ),
        (
            {"Retry-After": "12", "X-Rate-Limit-Problem": "Minute"},
            LimitObservation(problem="minute", retry_after=12),
        ),
        (
            {
                "retry-after": "soon",
                "x-rate-limit-problem": "weekly",
                "x-minlimit-remaining": "n/a",
            },
            LimitObservation(),
        ),
    ],
    ids=["remaining", "429", "garbage-ignored"],
)
def test_limit_headers_are_read(headers: dict[str, str], expected: LimitObservation) -> None:
    assert LimitObservation.from_headers(headers) == expected
