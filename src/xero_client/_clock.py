"""Time and randomness, injected so that nothing here waits or guesses for real in tests."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Tells the current time, timezone-aware, in UTC."""

    def now(self) -> datetime: ...


class Sleep(Protocol):
    """Waits for a number of seconds."""

    async def __call__(self, seconds: float) -> None: ...


class Jitter(Protocol):
    """Draws a uniformly random float in ``[low, high]`` (``random.Random.uniform``)."""

    def uniform(self, a: float, b: float) -> float: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


async def asyncio_sleep(seconds: float) -> None:
    """Sleeps for real (the default :class:`Sleep`)."""
    await asyncio.sleep(seconds)


def system_jitter() -> Jitter:
    """A random source for backoff jitter (not for secrets)."""
    return random.Random()  # noqa: S311 - jitter, not cryptography
