"""A worker held mid-pass until released, for the tests of one worker taken over by another.

A ``Stall`` holds the first call that reaches it: ``stalled`` is set once it waits, and
``wake`` lets it go. ``StallingClients`` hold there the first request (just before it
leaves) or the first answer (before its body is read) that a test picks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from tests.integration.sync.conftest import SandboxClients
from xero_client import LimitObservation


class Stall:
    """Holds the first call that reaches it until released."""

    def __init__(self) -> None:
        self.stalled = asyncio.Event()
        self.wake = asyncio.Event()

    async def hold(self) -> None:
        if not self.stalled.is_set():
            self.stalled.set()
            await self.wake.wait()


class StallingClients(SandboxClients):
    """Clients whose first request, or first answer, that the test picks waits until released."""

    def __init__(
        self,
        root: str,
        *,
        request: Callable[[httpx.Request], bool] | None = None,
        answer: Callable[[httpx.Response], bool] | None = None,
    ) -> None:
        super().__init__(root)
        self.stall = Stall()
        self.stalled, self.wake = self.stall.stalled, self.stall.wake
        self._request, self._answer = request, answer

    async def _record(self, request: httpx.Request) -> None:
        await super()._record(request)
        if self._request is not None and self._request(request):
            await self.stall.hold()

    async def _answered(self, response: httpx.Response) -> None:
        await super()._answered(response)
        if self._answer is not None and self._answer(response):
            await self.stall.hold()


class WaitingTurn(Stall):
    """A rate limiter whose first call waits its turn until released."""

    async def acquire(self, tenant_id: str) -> None:
        await self.hold()

    async def release(self, tenant_id: str, observed: LimitObservation | None) -> None:
        return None
