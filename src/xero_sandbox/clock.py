"""The sandbox clock: real time by default, or a manual clock that tests advance."""

import asyncio
import threading
from datetime import UTC, datetime, timedelta

# What one wait on a manual clock costs in real time: enough that a receiver which is down
# is not hammered, little enough that tests of retries stay fast.
MANUAL_SLEEP_REAL_SECONDS = 0.02


class SandboxClock:
    """Aware UTC time for token lifetimes, rate-limit windows and webhook backoff.

    A clock made with `start` stands still until `advance` moves it, so a test can jump past a
    token's expiry or a rate-limit window instead of sleeping. Without `start` it follows the
    wall clock, shifted by whatever `advance` added.
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("SandboxClock start must be timezone-aware (use tzinfo=UTC)")
        self._start = start.astimezone(UTC) if start is not None else None
        self._offset = timedelta()
        self._lock = threading.Lock()
        self.slept: list[float] = []

    @classmethod
    def manual(cls, start: datetime) -> "SandboxClock":
        """A clock that moves only when told to."""
        return cls(start)

    @property
    def is_manual(self) -> bool:
        """True when the clock moves only by `advance`."""
        return self._start is not None

    def now(self) -> datetime:
        """The current sandbox time, timezone-aware UTC."""
        base = self._start if self._start is not None else datetime.now(UTC)
        return base + self._offset

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by `seconds` and return the new time."""
        if seconds < 0:
            raise ValueError("advance_seconds must be zero or more: the clock never goes back")
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of sandbox time.

        A manual clock records the wait in `slept` and pauses only briefly in real time, so a
        day of retry backoff passes in seconds without spinning, and the time other checks see
        does not move.
        """
        if self._start is None:
            await asyncio.sleep(seconds)
            return
        self.slept.append(seconds)
        await asyncio.sleep(min(seconds, MANUAL_SLEEP_REAL_SECONDS))
