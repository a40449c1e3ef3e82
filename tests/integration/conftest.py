"""Fixtures for tests against real databases: SQLite files and PostgreSQL schemas.

`database_url` runs each test once on a fresh SQLite file and once on a fresh
PostgreSQL schema (when LEDGERLINK_TEST_POSTGRES_URL is set; skipped otherwise).
"""

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.uow import SqlUnitOfWork

POSTGRES_URL_VARIABLE = "LEDGERLINK_TEST_POSTGRES_URL"


def _fresh_postgres_schema(admin_url: str) -> Iterator[str]:
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(admin_url)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        separator = "&" if "?" in admin_url else "?"
        # A lock wait in a single-threaded test is a bug: fail fast instead of hanging.
        options = quote(f"-csearch_path={schema} -clock_timeout=5s")
        yield f"{admin_url}{separator}options={options}"
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'ledgerlink.db'}"
        return
    admin_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not admin_url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set")
    yield from _fresh_postgres_schema(admin_url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a database migrated to the latest revision."""
    engine = make_engine(database_url)
    upgrade_engine(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


class FakeClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))


UowFactory = Callable[[], SqlUnitOfWork]


@pytest.fixture
def uow_factory(session_factory: sessionmaker[Session], clock: FakeClock) -> UowFactory:
    """Makes units of work on the migrated test database, stamped by the fake clock."""
    return lambda: SqlUnitOfWork(session_factory, clock=clock)


@pytest.fixture
def company_id(uow_factory: UowFactory) -> uuid.UUID:
    """A company named Acme."""
    with uow_factory() as uow:
        company = uow.companies.add("Acme Ltd")
        uow.commit()
    return company.id


@pytest.fixture
def other_company_id(uow_factory: UowFactory) -> uuid.UUID:
    """A second company, to check that one never sees the other's records."""
    with uow_factory() as uow:
        company = uow.companies.add("Globex Corp")
        uow.commit()
    return company.id
