"""Delivers ledger events to the webhook URL: batched, signed, retried until a 200.

Backoff doubles from 1 second up to 5 minutes; a batch nobody accepts for 24 hours of
backoff is given up, as Xero does. Waits go through the sandbox clock, so with a manual clock
retries take no real time.
"""

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx

from xero_sandbox.accounting import Event
from xero_sandbox.clock import SandboxClock
from xero_sandbox.webhooks.payloads import (
    QueuedEvent,
    batch_body,
    queued_from_dict,
    queued_to_dict,
)
from xero_sandbox.webhooks.signing import sign

FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 300.0
GIVE_UP_AFTER_SECONDS = 86_400.0
RECEIVER_TIMEOUT_SECONDS = 5.0

log = logging.getLogger(__name__)


@dataclass
class DeliveryLog:
    """What the dispatcher has done so far (`GET /_sandbox/webhooks`)."""

    attempts: int = 0
    delivered_batches: int = 0
    delivered_events: int = 0
    failed_batches: int = 0
    last_status: int | None = None
    last_error: str | None = None
    backoffs: list[float] = field(default_factory=list)


class WebhookDispatcher:
    """Queues events and posts them to one receiver."""

    def __init__(
        self,
        url: str | None,
        key: str,
        clock: SandboxClock,
        batch_size: int = 100,
    ) -> None:
        self.url = url
        self.key = key
        self.clock = clock
        self.batch_size = batch_size
        self.api_root = "https://api.xero.com"
        self.log = DeliveryLog()
        self._queue: deque[QueuedEvent] = deque()
        self._sequence = 0
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._in_delivery = 0

    @property
    def enabled(self) -> bool:
        """True when a webhook URL is configured."""
        return self.url is not None

    def enqueue(self, tenant_id: str, events: list[Event]) -> None:
        """Queue a ledger's drained events (dropped when no URL is configured)."""
        if not self.enabled or not events:
            return
        for event in events:
            self._sequence += 1
            self._queue.append(QueuedEvent(self._sequence, tenant_id, event))
        if self._wake is not None:
            self._wake.set()

    def start(self) -> None:
        """Start delivering in the running event loop."""
        if self.enabled and self._task is None:
            self._wake = asyncio.Event()
            if self._queue:
                self._wake.set()
            self._task = asyncio.create_task(self._run(), name="xero-sandbox-webhooks")

    async def configure(self, url: str | None, key: str | None = None) -> None:
        """Change the receiver (None stops delivery and drops the queue) or the key."""
        if key is not None:
            self.key = key
        self.url = url
        if url is None:
            await self.stop()
            self._queue.clear()
        else:
            self.start()

    async def stop(self) -> None:
        """Stop delivering (undelivered events stay queued)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def to_dict(self) -> dict[str, Any]:
        """The sequence counter and undelivered events, for `--data`."""
        return {
            "sequence": self._sequence,
            "pending": [queued_to_dict(queued) for queued in self._queue],
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Continue from `to_dict`: sequences keep rising across restarts, as Xero's do."""
        self._sequence = int(data.get("sequence", 0))
        self._queue.extend(queued_from_dict(item) for item in data.get("pending", []))

    def status(self) -> dict[str, Any]:
        """Queue and delivery counters."""
        return {
            "url": self.url,
            "pending": len(self._queue) + self._in_delivery,
            "lastSequence": self._sequence,
            "attempts": self.log.attempts,
            "deliveredBatches": self.log.delivered_batches,
            "deliveredEvents": self.log.delivered_events,
            "failedBatches": self.log.failed_batches,
            "lastStatus": self.log.last_status,
            "lastError": self.log.last_error,
            "backoffs": list(self.log.backoffs),
        }

    async def intent_to_receive(self, url: str | None = None) -> dict[str, Any]:
        """Xero's probe: one well-signed and one badly-signed empty batch.

        The receiver passes ("OK") only when it answers 200 to the first and 401 to the second.
        """
        target = url or self.url
        if target is None:
            return {"status": "FAILED", "detail": "No webhook URL is configured"}
        body = batch_body([], self.api_root)
        good = sign(body, self.key)
        bad = sign(body, self.key + "-wrong")
        async with httpx.AsyncClient(timeout=RECEIVER_TIMEOUT_SECONDS) as client:
            first = await self._post(client, target, body, good)
            second = await self._post(client, target, body, bad)
        ok = first == 200 and second == 401
        detail = (
            "The receiver accepted the signed post and refused the badly signed one"
            if ok
            else "The receiver must answer 200 to a correctly signed post and 401 to a "
            f"badly signed one; it answered {first} and {second}"
        )
        return {
            "status": "OK" if ok else "FAILED",
            "correctlySignedStatus": first,
            "incorrectlySignedStatus": second,
            "detail": detail,
        }

    async def _run(self) -> None:
        assert self._wake is not None
        async with httpx.AsyncClient(timeout=RECEIVER_TIMEOUT_SECONDS) as client:
            while self.url is not None:
                if not self._queue:
                    self._wake.clear()
                    await self._wake.wait()
                batch = [
                    self._queue.popleft() for _ in range(min(self.batch_size, len(self._queue)))
                ]
                self._in_delivery = len(batch)
                try:
                    await self._deliver(client, batch)
                finally:
                    self._in_delivery = 0

    async def _deliver(self, client: httpx.AsyncClient, batch: list[QueuedEvent]) -> None:
        body = batch_body(batch, self.api_root)
        backoff = FIRST_BACKOFF_SECONDS
        waited = 0.0
        while self.url is not None:
            # Read on every attempt: the receiver or key may be reconfigured during retries.
            status = await self._post(client, self.url, body, sign(body, self.key))
            if status == 200:
                self.log.delivered_batches += 1
                self.log.delivered_events += len(batch)
                return
            if waited >= GIVE_UP_AFTER_SECONDS:
                self.log.failed_batches += 1
                log.warning("webhook batch %s given up after 24 hours", batch[0].sequence)
                return
            self.log.backoffs.append(backoff)
            await self.clock.sleep(backoff)
            waited += backoff
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _post(self, client: httpx.AsyncClient, url: str, body: bytes, signature: str) -> int:
        self.log.attempts += 1
        headers = {"content-type": "application/json", "x-xero-signature": signature}
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as error:
            self.log.last_status = None
            self.log.last_error = f"{type(error).__name__}: {error}"
            return 0
        self.log.last_status = response.status_code
        self.log.last_error = None
        return response.status_code
