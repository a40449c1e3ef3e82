"""Xero's rate limits: per organisation 5 in flight, 60 a minute and a daily cap; 10,000 a
minute for the whole app. Windows slide on the sandbox clock, so tests advance time instead of
sleeping. See https://developer.xero.com/documentation/guides/oauth2/limits/.
"""

import math
from collections import deque
from dataclasses import dataclass, field

from xero_sandbox.config import SandboxConfig

MINUTE_SECONDS = 60.0
DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class Refusal:
    """Why a call was refused: `X-Rate-Limit-Problem` and `Retry-After` (seconds)."""

    problem: str
    retry_after: int


@dataclass
class _TenantWindow:
    in_flight: int = 0
    minute: deque[float] = field(default_factory=deque)
    day: deque[float] = field(default_factory=deque)


def _prune(window: deque[float], now: float, span: float) -> None:
    edge = now - span
    while window and window[0] <= edge:
        window.popleft()


def _retry_after(window: deque[float], now: float, span: float) -> int:
    return max(1, math.ceil(window[0] + span - now)) if window else 1


class RateLimiter:
    """Counts calls per organisation and per app; refuses what Xero would refuse."""

    def __init__(self, config: SandboxConfig) -> None:
        self.enforced = config.limits_enforced
        self.minute_limit = config.minute_limit
        self.daily_limit = config.daily_limit
        self.concurrent_limit = config.concurrent_limit
        self.app_minute_limit = config.app_minute_limit
        self._tenants: dict[str, _TenantWindow] = {}
        self._app_minute: deque[float] = deque()

    def admit(self, tenant_id: str, now: float) -> Refusal | None:
        """Count a call that starts now, or say why it is refused (then it is not counted)."""
        window = self._tenants.get(tenant_id)
        if window is None:
            window = self._tenants[tenant_id] = _TenantWindow()
        _prune(window.minute, now, MINUTE_SECONDS)
        _prune(window.day, now, DAY_SECONDS)
        _prune(self._app_minute, now, MINUTE_SECONDS)
        if self.enforced:
            if window.in_flight >= self.concurrent_limit:
                return Refusal("concurrent", 1)
            if len(window.minute) >= self.minute_limit:
                return Refusal("minute", _retry_after(window.minute, now, MINUTE_SECONDS))
            if len(window.day) >= self.daily_limit:
                return Refusal("day", _retry_after(window.day, now, DAY_SECONDS))
            if len(self._app_minute) >= self.app_minute_limit:
                return Refusal("appminute", _retry_after(self._app_minute, now, MINUTE_SECONDS))
        window.in_flight += 1
        window.minute.append(now)
        window.day.append(now)
        self._app_minute.append(now)
        return None

    def release(self, tenant_id: str) -> None:
        """A call admitted by `admit` has finished."""
        window = self._tenants.get(tenant_id)
        if window is not None and window.in_flight > 0:
            window.in_flight -= 1

    def headers(self, tenant_id: str) -> list[tuple[bytes, bytes]]:
        """`X-DayLimit-Remaining`, `X-MinLimit-Remaining`, `X-AppMinLimit-Remaining`.

        With limits off the whole budget is always left: a client that paces itself by
        these headers, as it should against Xero, must not slow down against limits that
        are not there.
        """
        window = self._tenants.get(tenant_id) if self.enforced else None
        minute = len(window.minute) if window else 0
        day = len(window.day) if window else 0
        return [
            (b"x-daylimit-remaining", str(max(0, self.daily_limit - day)).encode()),
            (b"x-minlimit-remaining", str(max(0, self.minute_limit - minute)).encode()),
            (
                b"x-appminlimit-remaining",
                str(max(0, self.app_minute_limit - self._app_used())).encode(),
            ),
        ]

    def _app_used(self) -> int:
        return len(self._app_minute) if self.enforced else 0

    def reset(self) -> None:
        """Forget every call (in-flight counts stay, those calls are still running)."""
        for window in self._tenants.values():
            window.minute.clear()
            window.day.clear()
        self._app_minute.clear()
