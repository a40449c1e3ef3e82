"""The real sandbox, in-process (ASGI) or on a socket, and a client connected to it through
the consent page, as a person would connect it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from xero_client import (
    InMemoryRateLimiter,
    InMemoryTokenStore,
    OAuth2Client,
    OAuthTokenSource,
    TokenSet,
    XeroClient,
    XeroEndpoints,
)
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    create_app,
    serve_in_thread,
)

from .consent import read_form

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REDIRECT_URI = "http://localhost:8765/xero/callback"
CLIENT_ID = "sandbox-client"
CLIENT_SECRET = "sandbox-secret"
IN_PROCESS_ROOT = "http://sandbox.test"


class AdvancingSleep:
    """The client's sleep: moves the sandbox's manual clock instead of waiting."""

    def __init__(self, clock: SandboxClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)
        await asyncio.sleep(0)


@dataclass
class Connected:
    """A client connected to the sandbox, with what a test needs to look behind it."""

    http: httpx.AsyncClient
    endpoints: XeroEndpoints
    oauth: OAuth2Client
    store: InMemoryTokenStore
    tokens: OAuthTokenSource
    clock: SandboxClock
    sleep: AdvancingSleep
    limiter: InMemoryRateLimiter
    tenant_ids: list[str]
    sent: list[httpx.Request] = field(default_factory=list)

    def client(self, tenant_id: str = DEMO_TENANT_ID, **kwargs: Any) -> XeroClient:
        options: dict[str, Any] = {"limiter": self.limiter, "sleep": self.sleep, **kwargs}
        return XeroClient(
            tenant_id, self.tokens, http=self.http, api_url=self.endpoints.api_url, **options
        )

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        root = self.endpoints.api_url.removesuffix("/api.xro/2.0")
        response = await self.http.request(method, f"{root}/_sandbox{path}", json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def writes(self, path: str) -> list[httpx.Request]:
        return [r for r in self.sent if r.method in ("PUT", "POST") and r.url.path.endswith(path)]


async def authorize(
    http: httpx.AsyncClient, oauth: OAuth2Client, button: str = "allow"
) -> httpx.URL:
    """Opens the consent page, clicks a button, and returns where the sandbox redirected."""
    request = oauth.authorization_request()
    page = await http.get(request.url)
    assert page.status_code == 200, page.text
    form = read_form(page.text)
    action = httpx.URL(request.url).join(form.action)
    answer = await http.post(action, data=form.submission(button))
    assert answer.status_code == 302, answer.text
    location = httpx.URL(answer.headers["location"])
    assert location.params["state"] == request.state
    return location.copy_add_param("code_verifier", request.code_verifier)


async def connect(http: httpx.AsyncClient, root: str, clock: SandboxClock) -> Connected:
    endpoints = XeroEndpoints.at_root(root)
    oauth = OAuth2Client(
        CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, http, endpoints=endpoints, clock=clock
    )
    back = await authorize(http, oauth)
    query = parse_qs(urlsplit(str(back)).query)
    tokens = await oauth.exchange_code(query["code"][0], query["code_verifier"][0])
    connections = await oauth.connections(tokens.access_token)
    store = InMemoryTokenStore(tokens)
    source = OAuthTokenSource(store, oauth, clock=clock)
    sleep = AdvancingSleep(clock)
    limiter = InMemoryRateLimiter(clock=clock, sleep=sleep)
    return Connected(
        http,
        endpoints,
        oauth,
        store,
        source,
        clock,
        sleep,
        limiter,
        [c.tenant_id for c in connections],
    )


def recording_client(sent: list[httpx.Request], **kwargs: Any) -> httpx.AsyncClient:
    async def record(request: httpx.Request) -> None:
        sent.append(request)

    return httpx.AsyncClient(event_hooks={"request": [record]}, **kwargs)


@pytest.fixture
def sandbox_clock() -> SandboxClock:
    return SandboxClock.manual(START)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", multi_organisation_consent=True)


@pytest.fixture
async def in_process(
    sandbox_config: SandboxConfig, sandbox_clock: SandboxClock
) -> AsyncIterator[Connected]:
    """A connected client talking to the sandbox app in-process, with no socket."""
    app = create_app(sandbox_config, sandbox_clock)
    sent: list[httpx.Request] = []
    transport = httpx.ASGITransport(app=app)
    async with recording_client(sent, transport=transport) as http:
        connected = await connect(http, IN_PROCESS_ROOT, sandbox_clock)
        connected.sent = sent
        yield connected


@pytest.fixture
def running(sandbox_config: SandboxConfig, sandbox_clock: SandboxClock) -> Iterator[RunningSandbox]:
    """The sandbox serving on 127.0.0.1 and a free port."""
    with serve_in_thread(sandbox_config, sandbox_clock) as sandbox:
        yield sandbox


@pytest.fixture
async def over_socket(
    running: RunningSandbox, sandbox_clock: SandboxClock
) -> AsyncIterator[Connected]:
    """A connected client talking to the sandbox over a real socket (short read timeout)."""
    sent: list[httpx.Request] = []
    async with recording_client(sent, timeout=httpx.Timeout(5.0, read=0.5)) as http:
        connected = await connect(http, running.base_url, sandbox_clock)
        connected.sent = sent
        yield connected


def expired_later(tokens: TokenSet, seconds: float) -> TokenSet:
    """The same tokens, believed by the client to live ``seconds`` longer than they do."""
    from dataclasses import replace
    from datetime import timedelta

    return replace(tokens, expires_at=tokens.expires_at + timedelta(seconds=seconds))
