"""Fixtures for tests against real databases: SQLite files and PostgreSQL schemas.

Every test that uses them runs once on SQLite and once on PostgreSQL (when
LEDGERLINK_TEST_POSTGRES_URL is set; skipped with that reason otherwise).

- `database_url`: an empty database (a SQLite file in tmp_path, or a fresh schema).
- `engine`, `session_factory`, `uow_factory`: a migrated database. When the test also
  asks for `database_url` it is that database, migrated; otherwise it is a copy of a
  SQLite file migrated once per session, or a PostgreSQL schema migrated once per session
  and emptied (TRUNCATE) after each test, which keeps the suite fast.
"""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade, upgrade_engine
from ledgerlink.store.tables import metadata
from ledgerlink.store.uow import SqlUnitOfWork

POSTGRES_URL_VARIABLE = "LEDGERLINK_TEST_POSTGRES_URL"


def _postgres_admin_url() -> str:
    admin_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not admin_url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set")
    return admin_url


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
def backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgres` (skipped when LEDGERLINK_TEST_POSTGRES_URL is not set)."""
    if request.param == "postgres":
        _postgres_admin_url()
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file in tmp_path, or a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'ledgerlink.db'}"
        return
    yield from _fresh_postgres_schema(_postgres_admin_url())


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session, copied by each test that needs one."""
    path = tmp_path_factory.mktemp("template") / "ledgerlink.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres_url() -> Iterator[str]:
    """A PostgreSQL schema migrated once per session; tests empty it after use."""
    for url in _fresh_postgres_schema(_postgres_admin_url()):
        upgrade(url)
        yield url


def _empty_every_table(engine: Engine) -> None:
    # DELETE, children first: on a few rows it is far faster than TRUNCATE, which
    # rewrites every table's files.
    present = set(inspect(engine).get_table_names()) - {"alembic_version"}
    known = [table.name for table in reversed(metadata.sorted_tables) if table.name in present]
    with engine.begin() as connection:
        for name in [*sorted(present - set(known)), *known]:
            connection.exec_driver_sql(f'DELETE FROM "{name}"')


@pytest.fixture
def engine(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a migrated database (see the module docstring for which one)."""
    if "database_url" in request.fixturenames:
        engine = make_engine(request.getfixturevalue("database_url"))
        upgrade_engine(engine)
        yield engine
        engine.dispose()
        return
    if backend == "sqlite":
        path = tmp_path / "var" / "ledgerlink.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("migrated_sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    engine = make_engine(request.getfixturevalue("migrated_postgres_url"))
    try:
        yield engine
    finally:
        engine.dispose()
        _empty_every_table(engine)
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
