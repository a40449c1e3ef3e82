"""Fixtures for the client's protocol tests: a fake clock, a fake identity service and a
client wired to an ``httpx.MockTransport`` handler."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import pytest

from xero_client import (
    InMemoryRateLimiter,
    InMemoryTokenStore,
    OAuth2Client,
    OAuthTokenSource,
    RetryPolicy,
    TokenSet,
    XeroClient,
    XeroEndpoints,
    dump_json,
)

ROOT = "https://xero.test"
ENDPOINTS = XeroEndpoints.at_root(ROOT)
TENANT = "11111111-2222-3333-4444-555555555555"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

Handler = Callable[[httpx.Request], Awaitable[httpx.Response] | httpx.Response]


class FakeClock:
    """A clock that moves only when something sleeps on it (or a test advances it)."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)
        await asyncio.sleep(0)


class TopJitter:
    """Always draws the top of the range, so backoff waits are their ceilings."""

    def uniform(self, a: float, b: float) -> float:
        return b


@dataclass
class FakeIdentity:
    """Xero's token endpoint: rotates the refresh token on every use, refuses a used one."""

    clock: FakeClock
    lifetime_seconds: int = 1800
    generation: int = 0
    refresh_calls: int = 0
    forms: list[dict[str, str]] = field(default_factory=list)
    on_refresh: Callable[[], None] | None = None
    prefix: str = ""
    #: Real seconds each token request takes, so that concurrent callers overlap.
    hold_seconds: float = 0.0

    def tokens(self) -> TokenSet:
        return TokenSet(
            access_token=f"{self.prefix}at-{self.generation}",
            refresh_token=f"{self.prefix}rt-{self.generation}",
            expires_at=self.clock.now() + timedelta(seconds=self.lifetime_seconds),
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        self.forms.append(form)
        if form.get("grant_type") == "refresh_token":
            self.refresh_calls += 1
            if self.on_refresh is not None:
                self.on_refresh()
            if form.get("refresh_token") != f"{self.prefix}rt-{self.generation}":
                return httpx.Response(400, json={"error": "invalid_grant"})
        self.generation += 1
        return httpx.Response(
            200,
            json={
                "access_token": f"{self.prefix}at-{self.generation}",
                "refresh_token": f"{self.prefix}rt-{self.generation}",
                "expires_in": self.lifetime_seconds,
                "token_type": "Bearer",
                "scope": "offline_access accounting.invoices",
            },
        )


def xero_json(
    body: object, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A response carrying exact decimals, as Xero's are."""
    return httpx.Response(
        status,
        content=dump_json(body),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Rig:
    client: XeroClient
    tokens: OAuthTokenSource
    store: InMemoryTokenStore
    identity: FakeIdentity
    clock: FakeClock
    limiter: InMemoryRateLimiter
    requests: list[httpx.Request]
    http: httpx.AsyncClient

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if "/api.xro/2.0" in r.url.path]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def rig_factory(clock: FakeClock) -> AsyncIterator[Callable[..., Rig]]:
    opened: list[httpx.AsyncClient] = []

    def build(
        api: Handler,
        *,
        retry: RetryPolicy | None = None,
        token_lifetime: int = 1800,
        keys: list[str] | None = None,
        token_prefix: str = "",
    ) -> Rig:
        identity = FakeIdentity(clock, lifetime_seconds=token_lifetime, prefix=token_prefix)
        requests: list[httpx.Request] = []

        async def handler(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            if request.url.path == "/connect/token":
                await asyncio.sleep(identity.hold_seconds)
                return identity.handle(request)
            result = api(request)
            return await result if isinstance(result, Awaitable) else result

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        opened.append(http)
        store = InMemoryTokenStore(identity.tokens())
        oauth = OAuth2Client(
            "client-1", "secret-1", "http://localhost/cb", http, endpoints=ENDPOINTS, clock=clock
        )
        tokens = OAuthTokenSource(store, oauth, clock=clock)
        limiter = InMemoryRateLimiter(clock=clock, sleep=clock.sleep)
        key_source = iter(keys) if keys else None
        client = XeroClient(
            TENANT,
            tokens,
            limiter,
            http,
            api_url=ENDPOINTS.api_url,
            retry=retry,
            sleep=clock.sleep,
            jitter=TopJitter(),
            **({"new_key": lambda: next(key_source)} if key_source else {}),
        )
        return Rig(client, tokens, store, identity, clock, limiter, requests, http)

    yield build
    for http in opened:
        await http.aclose()
