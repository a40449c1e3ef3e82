"""The shared rate budget and token store: what one Xero call costs in database work.

Figures: admissions per second of `DatabaseRateLimiter` (acquire + release, limits lifted
so nothing waits) from one process with 1 and 8 concurrent callers; and token loads per
second of `DatabaseTokenStore` (what every call does before it is signed). Runs on a SQLite
file, and on PostgreSQL too when `LEDGERLINK_BENCH_POSTGRES_URL` (or
`LEDGERLINK_TEST_POSTGRES_URL`) is set (in a throw-away schema). One JSON line per figure.
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bench._common import emit, run_on_each_backend
from ledgerlink.store.crypto import SecretBox
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.rate_budget import DatabaseRateLimiter
from ledgerlink.store.repositories.xero_connections import (
    Organisation,
    XeroConnectionRepository,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.store.xero_tokens import DatabaseTokenStore
from xero_client import TokenSet, XeroLimits

BENCH = "rate_budget"
CALLS = 400
LOADS = 400
UNLIMITED = XeroLimits(in_flight=1000, per_minute=10**9, per_day=10**9, app_per_minute=10**9)
TENANT = "bench-tenant"


async def admissions(sessions: sessionmaker[Session], callers: int) -> float:
    limiter = DatabaseRateLimiter(sessions, limits=UNLIMITED)
    slots = asyncio.Semaphore(callers)

    async def one() -> None:
        async with slots:
            await limiter.acquire(TENANT)
            await limiter.release(TENANT, None)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(CALLS)))
    return CALLS / (time.perf_counter() - started)


async def token_loads(store: DatabaseTokenStore) -> float:
    started = time.perf_counter()
    for _ in range(LOADS):
        await store.load()
    return LOADS / (time.perf_counter() - started)


def connected_company(sessions: sessionmaker[Session], box: SecretBox) -> uuid.UUID:
    now = datetime.now(UTC)
    with SqlUnitOfWork(sessions) as uow:
        company = uow.companies.add(f"Bench {uuid.uuid4().hex[:8]}")
        uow.commit()
    tokens = TokenSet("access", "refresh", now + timedelta(minutes=30), ("offline_access",))
    with sessions() as session:
        repo = XeroConnectionRepository(session, lambda: now, box)
        organisation = Organisation(TENANT, "Bench", "connection")
        repo.save_grant(
            company.id, tokens, auth_event_id=None, choices=[organisation], user_id=None
        )
        repo.bind(company.id, organisation)
        session.commit()
    return company.id


def run(backend: str, database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade_engine(engine)
    sessions = make_session_factory(engine)
    box = SecretBox("bench-secret-key-0123456789abcdefghijkl")
    for callers in (1, 8):
        rate = asyncio.run(admissions(sessions, callers))
        emit(BENCH, backend, "limiter_admissions_per_second", rate, "calls/s", callers=callers)
    store = DatabaseTokenStore(sessions, connected_company(sessions, box), box)
    emit(BENCH, backend, "token_loads_per_second", asyncio.run(token_loads(store)), "loads/s")
    engine.dispose()


def main() -> None:
    run_on_each_backend(run)


if __name__ == "__main__":
    main()
