"""Tokens against the sandbox's identity service: lifetimes, rotation and 401s."""

import asyncio

import pytest

from xero_client import ConnectionRevoked

from .conftest import Connected, expired_later


async def test_the_token_is_refreshed_before_it_expires(in_process: Connected) -> None:
    client = in_process.client()
    before = await in_process.store.load()
    in_process.clock.advance(1800 - 60)  # within the refresh margin, not yet expired
    await client.get_organisation()
    after = await in_process.store.load()
    assert before is not None and after is not None
    assert in_process.tokens.refresh_count == 1
    assert after.refresh_token != before.refresh_token  # the sandbox rotated it
    assert after.expires_at > before.expires_at


async def test_a_401_refreshes_and_the_call_succeeds(in_process: Connected) -> None:
    stored = await in_process.store.load()
    assert stored is not None
    # The client believes the token lives on; the sandbox knows it has expired.
    await in_process.store.save(expired_later(stored, 3600))
    in_process.clock.advance(1801)
    organisation = await in_process.client().get_organisation()
    assert organisation.name == "Demo Company (Sandbox)"
    assert in_process.tokens.refresh_count == 1
    statuses = [r.url.path for r in in_process.sent if r.url.path.endswith("/Organisation")]
    assert len(statuses) == 2  # the 401, then the call with the fresh token


async def test_fifty_concurrent_calls_on_an_expired_token_refresh_once(
    in_process: Connected,
) -> None:
    client = in_process.client()
    in_process.clock.advance(1800)
    await asyncio.gather(*(client.get_organisation() for _ in range(50)))
    token_calls = [r for r in in_process.sent if r.url.path == "/connect/token"]
    assert len(token_calls) == 2  # the code exchange and one refresh
    assert in_process.tokens.refresh_count == 1


async def test_a_refresh_token_used_twice_after_grace_is_revoked(in_process: Connected) -> None:
    old = await in_process.store.load()
    assert old is not None
    in_process.clock.advance(1800)
    await in_process.client().get_organisation()  # rotates: old refresh token replaced
    in_process.clock.advance(31 * 60)  # past the sandbox's grace period for the old one
    await in_process.store.save(old)  # a stale copy, as a process without our lock would hold
    with pytest.raises(ConnectionRevoked):
        await in_process.client().get_organisation()


async def test_fifty_calls_overlapping_a_slow_refresh_send_one_refresh_to_the_sandbox(
    in_process: Connected,
) -> None:
    slow = {"kind": "delay", "delay_ms": 200, "method": "POST", "path": "/connect/token"}
    await in_process.control("POST", "/faults", {**slow, "times": 50})
    client = in_process.client()
    in_process.clock.advance(1800)
    async with asyncio.timeout(5):
        await asyncio.gather(*(client.get_organisation() for _ in range(50)))
    token_calls = [r for r in in_process.sent if r.url.path == "/connect/token"]
    assert len(token_calls) == 2  # the code exchange and one refresh
    assert in_process.tokens.refresh_count == 1
