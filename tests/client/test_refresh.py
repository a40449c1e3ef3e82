import asyncio
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from xero_client import (
    ConnectionRevoked,
    InMemoryTokenStore,
    NotConnected,
    OAuthTokenSource,
    TokenSet,
    Unauthorized,
    XeroAuth,
)

from .conftest import FakeClock, Rig, xero_json


def organisation(request: httpx.Request) -> httpx.Response:
    return xero_json({"Organisations": [{"Name": "Demo", "OrganisationID": "o-1"}]})


class StaticTokens:
    """A token source that records what the auth flow asks of it."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def access_token(self) -> str:
        self.calls.append("access")
        return "at-old"

    async def refreshed_after(self, rejected: str) -> str:
        self.calls.append(f"refresh-after:{rejected}")
        return "at-new"


async def test_auth_flow_sends_a_bearer_and_stops_on_success() -> None:
    tokens = StaticTokens()
    flow = XeroAuth(tokens).async_auth_flow(httpx.Request("GET", "https://x.test/api"))
    request = await flow.__anext__()
    assert request.headers["Authorization"] == "Bearer at-old"
    with pytest.raises(StopAsyncIteration):
        await flow.asend(httpx.Response(200))
    assert tokens.calls == ["access"]


async def test_auth_flow_refreshes_once_on_401_and_resends() -> None:
    tokens = StaticTokens()
    flow = XeroAuth(tokens).async_auth_flow(httpx.Request("GET", "https://x.test/api"))
    await flow.__anext__()
    again = await flow.asend(httpx.Response(401))
    assert again.headers["Authorization"] == "Bearer at-new"
    with pytest.raises(StopAsyncIteration):
        await flow.asend(httpx.Response(401))  # a second 401 is the caller's to see
    assert tokens.calls == ["access", "refresh-after:at-old"]


async def test_token_is_refreshed_before_it_expires(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(organisation)
    rig.clock.advance(1800 - 60)  # inside the two-minute margin
    await rig.client.get_organisation()
    assert rig.identity.refresh_calls == 1
    assert rig.api_requests()[0].headers["Authorization"] == "Bearer at-1"
    stored = await rig.store.load()
    assert stored is not None and stored.refresh_token == "rt-1"


async def test_a_fresh_token_is_not_refreshed(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(organisation)
    await rig.client.get_organisation()
    await rig.client.get_organisation()
    assert rig.identity.refresh_calls == 0


async def test_a_401_refreshes_once_and_the_call_succeeds(rig_factory: Callable[..., Rig]) -> None:
    bearers: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        bearers.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "Bearer at-0":  # revoked early by Xero
            return xero_json({"Title": "Unauthorized", "Detail": "TokenExpired"}, 401)
        return organisation(request)

    rig = rig_factory(api)
    org = await rig.client.get_organisation()
    assert org.name == "Demo"
    assert rig.identity.refresh_calls == 1
    assert bearers == ["Bearer at-0", "Bearer at-1"]


async def test_a_401_after_refresh_is_raised(rig_factory: Callable[..., Rig]) -> None:
    rig = rig_factory(
        lambda r: xero_json({"Title": "Unauthorized", "Detail": "AuthenticationUnsuccessful"}, 401)
    )
    with pytest.raises(Unauthorized, match="AuthenticationUnsuccessful"):
        await rig.client.get_organisation()
    assert rig.identity.refresh_calls == 1
    assert len(rig.api_requests()) == 2


async def test_fifty_concurrent_callers_cause_exactly_one_refresh(
    rig_factory: Callable[..., Rig],
) -> None:
    async def slow_identity_api(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)
        return organisation(request)

    rig = rig_factory(slow_identity_api)
    rig.client._limiter = rig.limiter  # the real limiter: at most 5 in flight
    rig.clock.advance(1800)  # every caller finds the token expired
    results = await asyncio.gather(*(rig.tokens.access_token() for _ in range(50)))
    assert rig.identity.refresh_calls == 1
    assert set(results) == {"at-1"}
    assert rig.tokens.refresh_count == 1


async def test_fifty_concurrent_calls_after_a_401_cause_exactly_one_refresh(
    rig_factory: Callable[..., Rig],
) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer at-0":
            return xero_json({"Detail": "TokenExpired"}, 401)
        return organisation(request)

    rig = rig_factory(api)
    await asyncio.gather(*(rig.client.get_organisation() for _ in range(50)))
    assert rig.identity.refresh_calls == 1


async def test_invalid_grant_rereads_the_store_once_before_giving_up(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(organisation)
    rig.clock.advance(1800)

    def another_process_rotates_first() -> None:
        # Another process, holding its own lock, refreshed a moment earlier and saved.
        if rig.identity.refresh_calls == 1:
            rig.identity.generation += 1
            rig.store._tokens = rig.identity.tokens()

    rig.identity.on_refresh = another_process_rotates_first
    assert await rig.tokens.access_token() == "at-1"
    assert rig.identity.refresh_calls == 1


async def test_invalid_grant_with_nothing_newer_means_revoked(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(organisation)
    rig.clock.advance(1800)
    rig.identity.generation = 7  # Xero no longer knows rt-0
    with pytest.raises(ConnectionRevoked):
        await rig.client.get_organisation()
    assert rig.api_requests() == []


async def test_no_stored_tokens_means_not_connected(clock: FakeClock) -> None:
    source = OAuthTokenSource(InMemoryTokenStore(), oauth=None, clock=clock)  # type: ignore[arg-type]
    with pytest.raises(NotConnected, match="connect first"):
        await source.access_token()


def test_token_set_keeps_the_old_refresh_token_when_none_is_issued(clock: FakeClock) -> None:
    old = TokenSet("a1", "r1", clock.now())
    new = TokenSet("a2", "", clock.now() + timedelta(minutes=30))
    assert old.rotated(new).refresh_token == "r1"


SLOW_REFRESH_SECONDS = 0.2


async def test_fifty_callers_overlapping_a_slow_refresh_send_one_refresh_to_xero(
    rig_factory: Callable[..., Rig],
) -> None:
    rig = rig_factory(organisation)
    rig.identity.hold_seconds = SLOW_REFRESH_SECONDS  # every caller arrives while it runs
    rig.clock.advance(1800)  # every caller finds the token expired
    async with asyncio.timeout(5):
        await asyncio.gather(*(rig.client.get_organisation() for _ in range(50)))
    assert rig.identity.refresh_calls == 1
    assert {r.headers["Authorization"] for r in rig.api_requests()} == {"Bearer at-1"}


async def test_fifty_401s_overlapping_a_slow_refresh_send_one_refresh_to_xero(
    rig_factory: Callable[..., Rig],
) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] == "Bearer at-0":  # revoked early by Xero
            return xero_json({"Detail": "TokenExpired"}, 401)
        return organisation(request)

    rig = rig_factory(api)
    rig.identity.hold_seconds = SLOW_REFRESH_SECONDS
    async with asyncio.timeout(5):
        await asyncio.gather(*(rig.client.get_organisation() for _ in range(50)))
    assert rig.identity.refresh_calls == 1
    assert rig.tokens.refresh_count == 1
