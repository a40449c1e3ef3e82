"""`DatabaseRateLimiter`: Xero's limits per organisation, shared by every process.

Xero allows each organisation 5 calls in flight, 60 a minute and 5,000 a day, and each app
10,000 a minute (https://developer.xero.com/documentation/guides/oauth2/limits/). The state
lives in the database so that all API and worker processes of one installation, on SQLite
or PostgreSQL, keep within them together:

- `xero_rate_budgets`: one row per organisation, locked while a call is admitted (`FOR
  UPDATE` on PostgreSQL; SQLite admits one writer at a time anyway). It counts the day and
  keeps what the answers said: remaining budgets, a block until a time (`Retry-After`), and
  `parked_until` after a daily 429 (work for the organisation waits, it is not lost).
- `xero_rate_calls`: one row per call. Rows not finished are the calls in flight, each a
  lease that runs out, so a killed process does not hold a slot forever. Xero counts a call
  when it arrives, some time between our start and our finish; so a call stays in the
  sliding minute window until a minute after it finished (or its lease ran out), which
  never undercounts whatever the network delay.

The clock and the sleep are injected.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.tables.xero_connections import xero_rate_budgets, xero_rate_calls
from xero_client import (
    MAX_INLINE_WAIT_SECONDS,
    LimitObservation,
    RateLimit,
    RateLimited,
    XeroLimits,
)

#: A call not finished within this long no longer counts as in flight.
CALL_LEASE = timedelta(minutes=2)
#: How often to look again while the organisation has 5 calls in flight.
IN_FLIGHT_POLL_SECONDS = 0.05
#: The budget row that holds the app-wide block (`X-Rate-Limit-Problem: appminute`).
APP_ROW = "*"

_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class RateBudget:
    """What is left of an organisation's budget now."""

    tenant_id: str
    in_flight: int
    minute_remaining: int
    day_remaining: int
    parked_until: datetime | None
    blocked_until: datetime | None


@dataclass(frozen=True)
class _Decision:
    call_id: str | None
    wait: float = 0.0
    limit: RateLimit = "minute"


async def _asyncio_sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


class DatabaseRateLimiter:
    """A `xero_client.RateLimiter` whose state is in the database.

    Args:
        session_factory: sessions on the installation's database.
        limits: the budgets (Xero's published limits by default).
        clock: the current time, aware UTC.
        sleep: waits a number of seconds (an async callable).
        max_inline_wait: longer waits are raised as `RateLimited` for the caller to park.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        limits: XeroLimits | None = None,
        clock: Clock = utc_now,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        max_inline_wait: float = MAX_INLINE_WAIT_SECONDS,
        lease: timedelta = CALL_LEASE,
        poll_seconds: float = IN_FLIGHT_POLL_SECONDS,
    ) -> None:
        self.limits = limits or XeroLimits()
        self._sessions = session_factory
        self._clock = clock
        self._sleep = sleep or _asyncio_sleep
        self._max_wait = max_inline_wait
        self._lease = lease
        self._poll = poll_seconds
        self._mine: defaultdict[str, list[str]] = defaultdict(list)

    def __repr__(self) -> str:
        return f"DatabaseRateLimiter(limits={self.limits!r})"

    async def acquire(self, tenant_id: str) -> None:
        while True:
            decision = await asyncio.to_thread(self._admit, tenant_id)
            if decision.call_id is not None:
                self._mine[tenant_id].append(decision.call_id)
                return
            if decision.limit == "day" or decision.wait > self._max_wait:
                raise RateLimited(
                    f"{decision.limit} rate limit spent for organisation {tenant_id}",
                    limit=decision.limit,
                    retry_after=decision.wait,
                )
            await self._sleep(decision.wait)

    async def release(self, tenant_id: str, observed: LimitObservation | None) -> None:
        held = self._mine.get(tenant_id)
        call_id = held.pop(0) if held else None
        await asyncio.to_thread(self._finish, tenant_id, call_id, observed)

    def budget(self, tenant_id: str) -> RateBudget:
        """The organisation's remaining budget (for status pages)."""
        now = self._clock()
        with self._sessions() as session:
            row = self._budget_row(session, tenant_id, lock=False)
            minute_used = _count(session, tenant_id, now - _MINUTE)
            in_flight = _in_flight(session, tenant_id, now)
        minute_left = self.limits.per_minute - minute_used
        day_left = self.limits.per_day
        parked = blocked = None
        if row is not None:
            if row["day_started_at"] is not None and row["day_started_at"] + _DAY > now:
                day_left -= row["day_count"]
            fresh = row["observed_at"] is not None and row["observed_at"] + _MINUTE > now
            if fresh and row["minute_remaining"] is not None:
                minute_left = min(minute_left, row["minute_remaining"])
            if row["day_remaining"] is not None:
                day_left = min(day_left, row["day_remaining"])
            parked = row["parked_until"] if _after(row["parked_until"], now) else None
            blocked = row["blocked_until"] if _after(row["blocked_until"], now) else None
        return RateBudget(
            tenant_id=tenant_id,
            in_flight=in_flight,
            minute_remaining=max(0, minute_left),
            day_remaining=0 if parked else max(0, day_left),
            parked_until=parked,
            blocked_until=blocked,
        )

    # -- in a worker thread ------------------------------------------------------------------
    def _admit(self, tenant_id: str) -> _Decision:
        with self._sessions() as session, session.begin():
            _relax_durability(session)
            _ensure_rows(session, tenant_id)
            row = self._budget_row(session, tenant_id, lock=True)
            assert row is not None
            now = self._clock()  # after the lock: others may have finished calls meanwhile
            app = self._budget_row(session, APP_ROW, lock=False)
            waits: list[tuple[float, RateLimit]] = []
            if _after(row["parked_until"], now):
                return _Decision(None, _seconds(row["parked_until"] - now), "day")
            if _after(row["blocked_until"], now):
                blocked_by: RateLimit = row["blocked_by"] or "minute"
                waits.append((_seconds(row["blocked_until"] - now), blocked_by))
            if app is not None and _after(app["blocked_until"], now):
                waits.append((_seconds(app["blocked_until"] - now), "appminute"))
            day_started, day_count = row["day_started_at"], row["day_count"]
            if day_started is None or day_started + _DAY <= now:
                day_started, day_count = now, 0
            if day_count >= self.limits.per_day:
                return _Decision(None, _seconds(day_started + _DAY - now), "day")
            windows: tuple[tuple[str | None, int, RateLimit], ...] = (
                (tenant_id, self.limits.per_minute, "minute"),
                (None, self.limits.app_per_minute, "appminute"),
            )
            for scope, most, name in windows:
                full = _full_until(session, scope, now - _MINUTE, most)
                if full is not None:
                    until, running = full
                    # Clocks of other machines may run a little ahead: a window never
                    # holds a call back for more than its own length.
                    ended = min(_seconds(until + _MINUTE - now), _MINUTE.total_seconds())
                    wait = self._poll if running else ended
                    waits.append((wait, name))
            if waits:
                wait, limit = max(waits, key=lambda w: w[0])
                return _Decision(None, wait, limit)
            if _in_flight(session, tenant_id, now) >= self.limits.in_flight:
                return _Decision(None, self._poll, "concurrent")
            call_id = uuid.uuid4().hex
            session.execute(
                xero_rate_calls.insert().values(
                    id=call_id, tenant_id=tenant_id, started_at=now, lease_until=now + self._lease
                )
            )
            session.execute(
                update(xero_rate_budgets)
                .where(xero_rate_budgets.c.tenant_id == tenant_id)
                .values(day_started_at=day_started, day_count=day_count + 1)
            )
            _prune(session, tenant_id, now)
            return _Decision(call_id)

    def _finish(
        self, tenant_id: str, call_id: str | None, observed: LimitObservation | None
    ) -> None:
        with self._sessions() as session, session.begin():
            _relax_durability(session)
            now = self._clock()
            if call_id is not None:
                session.execute(
                    update(xero_rate_calls)
                    .where(xero_rate_calls.c.id == call_id)
                    .values(finished_at=now)
                )
            if observed is None:
                return
            row = self._budget_row(session, tenant_id, lock=True)
            if row is None:
                return
            values: dict[str, object] = {"observed_at": now}
            if observed.minute_remaining is not None:
                values["minute_remaining"] = observed.minute_remaining
            if observed.day_remaining is not None:
                values["day_remaining"] = observed.day_remaining
            if observed.problem is not None:
                wait = observed.retry_after if observed.retry_after is not None else 60.0
                until = now + timedelta(seconds=wait)
                if observed.problem == "day":
                    values["parked_until"] = _later(row["parked_until"], until)
                elif observed.problem == "appminute":
                    session.execute(
                        update(xero_rate_budgets)
                        .where(xero_rate_budgets.c.tenant_id == APP_ROW)
                        .values(blocked_until=until, blocked_by="appminute")
                    )
                elif observed.problem != "concurrent" or wait > 0:
                    values["blocked_until"] = _later(row["blocked_until"], until)
                    values["blocked_by"] = observed.problem
            else:
                if observed.minute_remaining == 0:
                    first = _last_since(session, tenant_id, now - _MINUTE)
                    until = (first or now) + _MINUTE
                    values["blocked_until"] = _later(row["blocked_until"], until)
                    values["blocked_by"] = "minute"
                if observed.day_remaining == 0:
                    start = row["day_started_at"] or now
                    values["parked_until"] = _later(row["parked_until"], start + _DAY)
            session.execute(
                update(xero_rate_budgets)
                .where(xero_rate_budgets.c.tenant_id == tenant_id)
                .values(**values)
            )

    def _budget_row(self, session: Session, tenant_id: str, *, lock: bool) -> RowMapping | None:
        query = select(xero_rate_budgets).where(xero_rate_budgets.c.tenant_id == tenant_id)
        if lock:
            query = query.with_for_update()
        return session.execute(query).mappings().first()


def _relax_durability(session: Session) -> None:
    # A budget row lost in a crash only forgets a few calls the answers' headers will
    # report again; not waiting for the disk makes each admission several times cheaper.
    if session.get_bind().dialect.name == "postgresql":
        session.connection().exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


def _ensure_rows(session: Session, tenant_id: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"tenant_id": t, "day_count": 0} for t in (tenant_id, APP_ROW)]
    session.execute(insert(xero_rate_budgets).values(rows).on_conflict_do_nothing())


_COUNTED_UNTIL = func.coalesce(xero_rate_calls.c.finished_at, xero_rate_calls.c.lease_until)


def _count(session: Session, tenant_id: str, since: datetime) -> int:
    return session.execute(
        select(func.count())
        .select_from(xero_rate_calls)
        .where(xero_rate_calls.c.tenant_id == tenant_id, since < _COUNTED_UNTIL)
    ).scalar_one()


def _full_until(
    session: Session, tenant_id: str | None, since: datetime, limit: int
) -> tuple[datetime, bool] | None:
    """When the window is full: when the call whose leaving frees a slot leaves it, and
    whether that call is still running (then its end is not known yet)."""
    query = select(xero_rate_calls.c.finished_at, xero_rate_calls.c.lease_until).where(
        since < _COUNTED_UNTIL
    )
    if tenant_id is not None:
        query = query.where(xero_rate_calls.c.tenant_id == tenant_id)
    row = session.execute(query.order_by(_COUNTED_UNTIL.desc()).offset(limit - 1).limit(1)).first()
    if row is None:
        return None
    finished, lease_until = row
    return (finished, False) if finished is not None else (lease_until, True)


def _last_since(session: Session, tenant_id: str, since: datetime) -> datetime | None:
    """The earliest end among the calls still in the minute window."""
    first: datetime | None = session.execute(
        select(func.min(_COUNTED_UNTIL)).where(
            xero_rate_calls.c.tenant_id == tenant_id, since < _COUNTED_UNTIL
        )
    ).scalar_one_or_none()
    return first


def _in_flight(session: Session, tenant_id: str, now: datetime) -> int:
    return session.execute(
        select(func.count())
        .select_from(xero_rate_calls)
        .where(
            xero_rate_calls.c.tenant_id == tenant_id,
            xero_rate_calls.c.finished_at.is_(None),
            xero_rate_calls.c.lease_until > now,
        )
    ).scalar_one()


def _prune(session: Session, tenant_id: str, now: datetime) -> None:
    session.execute(
        delete(xero_rate_calls).where(
            xero_rate_calls.c.tenant_id == tenant_id,
            now - _MINUTE >= _COUNTED_UNTIL,
        )
    )


def _after(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment > now


def _later(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or candidate > current else current


def _seconds(delta: timedelta) -> float:
    return max(0.0, delta.total_seconds())
