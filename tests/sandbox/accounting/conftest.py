"""A tiny app serving the accounting routes over one demo ledger, and a client for it."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from xero_sandbox.accounting import Ledger, routes

from .spec import validate_against_spec

START = datetime(2026, 3, 2, 9, 30, 0, tzinfo=UTC)
API = "/api.xro/2.0"


class Clock:
    """The sandbox clock for tests: starts at `START`, moves only when told."""

    def __init__(self) -> None:
        self.now = START

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def build_app(ledger: Ledger, clock: Clock) -> ASGIApp:
    """The accounting routes under `/api.xro/2.0`, with the ledger and clock in the state
    (what the platform's layer does for real)."""
    inner = Starlette(routes=[Mount(API, routes=routes())])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})
            scope["state"]["ledger"] = ledger
            scope["state"]["now"] = clock.now
        await inner(scope, receive, send)

    return app


class XeroApi:
    """Calls the accounting routes and checks every JSON answer against Xero's spec."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.client.request(method, API + path, **kwargs)
        if response.headers.get("content-type", "").startswith("application/json"):
            validate_against_spec(response)
        return response

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.call("GET", path, **kwargs)

    async def put(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        return await self.call("PUT", path, json=body, **kwargs)

    async def post(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        return await self.call("POST", path, json=body, **kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ledger(clock: Clock) -> Ledger:
    return Ledger.demo(clock.now, tenant_id="8a7c5b1e-2f3d-4c6a-9b8e-1d2c3b4a5f60")


@pytest.fixture
async def api(ledger: Ledger, clock: Clock) -> AsyncIterator[XeroApi]:
    transport = httpx.ASGITransport(app=build_app(ledger, clock))
    async with httpx.AsyncClient(transport=transport, base_url="https://api.xero.com") as client:
        yield XeroApi(client)
