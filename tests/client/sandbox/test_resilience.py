"""Rate limits, server errors, timeouts and dropped connections, against the sandbox."""

import asyncio

import httpx
import pytest

from xero_client import Contact, InMemoryRateLimiter, RateLimited, RetryPolicy, ServerError
from xero_sandbox import SandboxConfig

from .conftest import Connected


async def contact_names(connected: Connected) -> list[str]:
    return [c.name or "" async for c in connected.client().iter_contacts(page_size=1000)]


def keys_of(requests: list[httpx.Request]) -> list[str | None]:
    return [r.headers.get("Idempotency-Key") for r in requests]


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", minute_limit=3)


async def test_the_remaining_budget_xero_reports_is_kept_to(in_process: Connected) -> None:
    # The client's own limiter allows 60 a minute; the sandbox allows 3 and says so.
    client = in_process.client()
    for _ in range(4):
        await client.get_organisation()
    assert len(in_process.sleep.waits) == 1
    assert 0 < in_process.sleep.waits[0] <= 60
    stats = await in_process.control("GET", "/stats")
    assert stats["rateLimited"] == 0


async def test_a_minute_429_is_obeyed_and_the_call_succeeds(in_process: Connected) -> None:
    # Another worker, with its own limiter, spends the organisation's minute first.
    other = in_process.client(
        limiter=InMemoryRateLimiter(clock=in_process.clock, sleep=in_process.sleep)
    )
    for _ in range(3):
        await other.get_organisation()
    organisation = await in_process.client().get_organisation()
    assert organisation.name == "Demo Company (Sandbox)"
    stats = await in_process.control("GET", "/stats")
    assert stats["rateLimitedByProblem"] == {"minute": 1}
    assert len(in_process.sleep.waits) == 1 and 0 < in_process.sleep.waits[0] <= 60


async def test_an_injected_429_waits_its_retry_after(in_process: Connected) -> None:
    await in_process.control(
        "POST",
        "/faults",
        {"kind": "error", "status": 429, "retry_after": 7, "path": "/api.xro/2.0/Organisation"},
    )
    await in_process.client().get_organisation()
    assert in_process.sleep.waits == [7]


async def test_a_429_longer_than_the_inline_bound_is_raised(in_process: Connected) -> None:
    await in_process.control(
        "POST",
        "/faults",
        {"kind": "error", "status": 429, "retry_after": 3600, "path": "/api.xro/2.0/Organisation"},
    )
    with pytest.raises(RateLimited) as caught:
        await in_process.client().get_organisation()
    assert caught.value.retry_after == 3600
    assert in_process.sleep.waits == []


async def test_a_create_answered_500_after_saving_is_raised_not_sent_again(
    in_process: Connected,
) -> None:
    await in_process.control(
        "POST",
        "/faults",
        {"kind": "error_after_commit", "method": "PUT", "path": "/api.xro/2.0/Contacts"},
    )
    with pytest.raises(ServerError):
        await in_process.client().create_contacts([Contact(name="Once Ltd")])
    assert len(in_process.writes("/Contacts")) == 1
    assert await contact_names(in_process) == ["Once Ltd"]


async def test_a_connection_dropped_after_commit_is_retried_without_a_duplicate(
    over_socket: Connected,
) -> None:
    await over_socket.control(
        "POST", "/faults", {"kind": "drop", "method": "PUT", "path": "/api.xro/2.0/Contacts"}
    )
    (result,) = await over_socket.client().create_contacts([Contact(name="Dropped Pty")])
    assert result.ok and result.id
    puts = over_socket.writes("/Contacts")
    assert len(puts) == 2 and len(set(keys_of(puts))) == 1
    assert await contact_names(over_socket) == ["Dropped Pty"]


async def test_a_timeout_is_retried_without_a_duplicate(over_socket: Connected) -> None:
    # The sandbox holds the first attempt past the client's 0.5 s read timeout.
    await over_socket.control(
        "POST",
        "/faults",
        {"kind": "delay", "delay_ms": 900, "method": "PUT", "path": "/api.xro/2.0/Contacts"},
    )
    client = over_socket.client(retry=RetryPolicy(max_attempts=6))
    (result,) = await client.create_contacts([Contact(name="Slow & Co")], idempotency_key="slow-1")
    assert result.ok
    puts = over_socket.writes("/Contacts")
    assert len(puts) >= 2 and set(keys_of(puts)) == {"slow-1:0"}
    # Wait (bounded) for the held first attempt to finish on the server, then count.
    for _ in range(100):
        stats = await over_socket.control("GET", "/stats")
        answered = sum(
            c["count"]
            for o in stats["organisations"]
            for c in o.get("calls", [])
            if c["method"] == "PUT"
        )
        if answered >= len(puts):
            break
        await asyncio.sleep(0.05)
    assert await contact_names(over_socket) == ["Slow & Co"]
