"""Xero's four rate limits, held per organisation, fed by the limit headers of each answer.

Xero allows, per organisation (tenant): 5 calls in flight, 60 calls a minute and 5,000 a
day; and per app: 10,000 calls a minute. Each answer reports what is left in
``X-MinLimit-Remaining``, ``X-DayLimit-Remaining`` and ``X-AppMinLimit-Remaining``; a 429
names the spent limit in ``X-Rate-Limit-Problem`` and the wait in ``Retry-After``.
https://developer.xero.com/documentation/guides/oauth2/limits/
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from ._clock import Clock, Sleep, SystemClock, asyncio_sleep
from ._errors import RateLimit, RateLimited

#: Never wait longer than this inside a call; a longer wait is raised for the caller.
MAX_INLINE_WAIT_SECONDS = 60.0

_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)
_LIMITS: tuple[RateLimit, ...] = ("minute", "day", "concurrent", "appminute")


@dataclass(frozen=True)
class LimitObservation:
    """What one answer said about the remaining budget."""

    minute_remaining: int | None = None
    day_remaining: int | None = None
    app_minute_remaining: int | None = None
    problem: RateLimit | None = None
    retry_after: float | None = None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> LimitObservation:
        lowered = {k.lower(): v for k, v in headers.items()}

        def number(name: str) -> int | None:
            raw = lowered.get(name)
            try:
                return int(raw) if raw is not None else None
            except ValueError:
                return None

        problem_raw = (lowered.get("x-rate-limit-problem") or "").strip().lower()
        problem: RateLimit | None = None
        for known in _LIMITS:
            if problem_raw == known:
                problem = known
        retry_raw = lowered.get("retry-after")
        try:
            retry_after = float(retry_raw) if retry_raw is not None else None
        except ValueError:
            retry_after = None
        return cls(
            minute_remaining=number("x-minlimit-remaining"),
            day_remaining=number("x-daylimit-remaining"),
            app_minute_remaining=number("x-appminlimit-remaining"),
            problem=problem,
            retry_after=retry_after,
        )


class RateLimiter(Protocol):
    """Decides when a call to one organisation may start.

    ``acquire`` waits (at most ``MAX_INLINE_WAIT_SECONDS``) for every limit to allow one
    more call and raises :class:`RateLimited` when the wait would be longer; ``release``
    ends the call and feeds back what the answer said (``None`` when there was no answer).
    """

    async def acquire(self, tenant_id: str) -> None: ...

    async def release(self, tenant_id: str, observed: LimitObservation | None) -> None: ...


@dataclass(frozen=True)
class XeroLimits:
    """The budgets to respect (Xero's published limits by default)."""

    in_flight: int = 5
    per_minute: int = 60
    per_day: int = 5000
    app_per_minute: int = 10_000


class _Tenant:
    def __init__(self) -> None:
        self.in_flight = 0
        self.freed = asyncio.Event()
        self.minute: deque[datetime] = deque()
        self.day: deque[datetime] = deque()
        self.blocked_until: datetime | None = None
        self.blocked_by: RateLimit = "minute"


class InMemoryRateLimiter:
    """A :class:`RateLimiter` for one process. Clock and sleep are injected.

    Calls are counted in sliding windows (a minute, a day); answers that report a spent
    budget, and 429s with ``Retry-After``, block the organisation (or, for the app limit,
    every organisation) until the reported time.
    """

    def __init__(
        self,
        *,
        limits: XeroLimits | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        max_inline_wait: float = MAX_INLINE_WAIT_SECONDS,
    ) -> None:
        self.limits = limits or XeroLimits()
        self._clock = clock or SystemClock()
        self._sleep = sleep or asyncio_sleep
        self._max_wait = max_inline_wait
        self._tenants: dict[str, _Tenant] = {}
        self._app_minute: deque[datetime] = deque()
        self._app_blocked_until: datetime | None = None

    def __repr__(self) -> str:
        return f"InMemoryRateLimiter(limits={self.limits!r})"

    def in_flight(self, tenant_id: str) -> int:
        """How many calls to the organisation are running now."""
        return self._tenant(tenant_id).in_flight

    async def acquire(self, tenant_id: str) -> None:
        tenant = self._tenant(tenant_id)
        while True:
            wait, limit = self._wait_needed(tenant)
            if wait > self._max_wait or (limit == "day" and wait > 0):
                raise RateLimited(
                    f"{limit} rate limit spent for organisation {tenant_id}",
                    limit=limit,
                    retry_after=wait,
                )
            if wait > 0:
                await self._sleep(wait)
                continue
            if tenant.in_flight >= self.limits.in_flight:
                tenant.freed.clear()
                await tenant.freed.wait()
                continue
            break
        now = self._clock.now()
        tenant.in_flight += 1
        tenant.minute.append(now)
        tenant.day.append(now)
        self._app_minute.append(now)

    async def release(self, tenant_id: str, observed: LimitObservation | None) -> None:
        tenant = self._tenant(tenant_id)
        tenant.in_flight = max(0, tenant.in_flight - 1)
        tenant.freed.set()
        if observed is None:
            return
        now = self._clock.now()
        if observed.problem is not None:
            wait = observed.retry_after if observed.retry_after is not None else 60.0
            until = now + timedelta(seconds=wait)
            if observed.problem == "appminute":
                self._app_blocked_until = _later(self._app_blocked_until, until)
            elif observed.problem != "concurrent" or wait > 0:
                tenant.blocked_until = _later(tenant.blocked_until, until)
                tenant.blocked_by = observed.problem
            return
        if observed.minute_remaining == 0 and tenant.minute:
            tenant.blocked_until = _later(tenant.blocked_until, tenant.minute[0] + _MINUTE)
            tenant.blocked_by = "minute"
        if observed.day_remaining == 0 and tenant.day:
            tenant.blocked_until = _later(tenant.blocked_until, tenant.day[0] + _DAY)
            tenant.blocked_by = "day"
        if observed.app_minute_remaining == 0:
            self._app_blocked_until = _later(self._app_blocked_until, now + _MINUTE)

    def _tenant(self, tenant_id: str) -> _Tenant:
        tenant = self._tenants.get(tenant_id)
        if tenant is None:
            tenant = self._tenants[tenant_id] = _Tenant()
        return tenant

    def _wait_needed(self, tenant: _Tenant) -> tuple[float, RateLimit]:
        now = self._clock.now()
        _trim(tenant.minute, now - _MINUTE)
        _trim(tenant.day, now - _DAY)
        _trim(self._app_minute, now - _MINUTE)
        waits: list[tuple[float, RateLimit]] = [(0.0, "minute")]
        if tenant.blocked_until is not None and tenant.blocked_until > now:
            waits.append(((tenant.blocked_until - now).total_seconds(), tenant.blocked_by))
        if self._app_blocked_until is not None and self._app_blocked_until > now:
            waits.append(((self._app_blocked_until - now).total_seconds(), "appminute"))
        if len(tenant.day) >= self.limits.per_day:
            waits.append(((tenant.day[0] + _DAY - now).total_seconds(), "day"))
        if len(tenant.minute) >= self.limits.per_minute:
            waits.append(((tenant.minute[0] + _MINUTE - now).total_seconds(), "minute"))
        if len(self._app_minute) >= self.limits.app_per_minute:
            waits.append(((self._app_minute[0] + _MINUTE - now).total_seconds(), "appminute"))
        day = [w for w in waits if w[1] == "day" and w[0] > 0]
        return day[0] if day else max(waits, key=lambda w: w[0])


class NoRateLimiter:
    """A limiter that never waits (for benchmarks of the client's own overhead)."""

    async def acquire(self, tenant_id: str) -> None:
        return None

    async def release(self, tenant_id: str, observed: LimitObservation | None) -> None:
        return None


def _trim(window: deque[datetime], before: datetime) -> None:
    while window and window[0] <= before:
        window.popleft()


def _later(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate > current else current
