"""Faults on the identity endpoints (`/connect/token`, `/connections`, ...).

API calls meet their faults inside the gateway, after the token, tenant and rate-limit checks;
the identity endpoints have none of those, so this thin layer applies the same fault book
to them: `error` answers at once, `delay` waits and then runs, `drop` runs the endpoint and
then drops the connection, `error_after_commit` runs the endpoint and then answers the error,
`late` runs the endpoint and holds its answer before sending it.
"""

import asyncio

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xero_sandbox import problems
from xero_sandbox.asgi_body import read_body, replay_body
from xero_sandbox.faults import Fault, FaultBook

_NOT_HERE = ("/api.xro/", "/_sandbox")


class ConnectionDropped(Exception):
    """Raised after a call has run, to drop its connection (the `drop` fault)."""


def fault_response(fault: Fault) -> Response:
    """What an `error` fault answers."""
    if fault.status == 429:
        return problems.too_many_requests("minute", fault.retry_after)
    return problems.server_error(fault.status)


async def run_then_drop(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run `app`, send only the start of its answer, then fail so the connection drops."""
    held: list[Message] = []

    async def hold(message: Message) -> None:
        held.append(message)

    await app(scope, receive, hold)
    if held:
        await send(held[0])
    raise ConnectionDropped(f"{scope['method']} {scope['path']}: dropped after commit")


async def wait_with_body(receive: Receive, delay_ms: int) -> Receive:
    """Take in the request's body, then wait (real time: the call stays in flight).

    The body has arrived before the wait, so a client that gives up meanwhile does not stop
    the call: it runs afterwards, as a slow server's does.
    """
    arrived = replay_body(await read_body(receive), receive)
    await asyncio.sleep(delay_ms / 1000)
    return arrived


class HeldAnswer:
    """An answer kept back (the `late` fault): `hold` is the send to give the app."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._held: list[Message] = []

    async def hold(self, message: Message) -> None:
        self._held.append(message)

    async def release_after(self, seconds: float) -> None:
        """Wait (real time: the client is waiting too), then send what was held."""
        await asyncio.sleep(seconds)
        for message in self._held:
            await self._send(message)


async def _discard(message: Message) -> None:
    return None


class IdentityFaults:
    """ASGI middleware applying armed faults to every path but the API and `/_sandbox`."""

    def __init__(self, app: ASGIApp, faults: FaultBook) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NOT_HERE):
            await self.app(scope, receive, send)
            return
        fault = self.faults.take(scope["method"], scope["path"])
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.kind == "error":
            await fault_response(fault)(scope, receive, send)
        elif fault.kind == "delay":
            await self.app(scope, await wait_with_body(receive, fault.delay_ms), send)
        elif fault.kind == "late":
            held = HeldAnswer(send)
            await self.app(scope, receive, held.hold)
            await held.release_after(fault.delay_ms / 1000)
        elif fault.kind == "error_after_commit":
            await self.app(scope, receive, _discard)
            await fault_response(fault)(scope, receive, send)
        else:
            await run_then_drop(self.app, scope, receive, send)
