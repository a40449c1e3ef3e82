import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from ledgerlink.store import migrate
from ledgerlink.store.engine import make_engine
from ledgerlink.store.errors import InvalidDatabaseUrl
from ledgerlink.store.tables import metadata
from ledgerlink.store.urls import normalise_url


def test_upgrade_from_empty_creates_every_table(database_url: str) -> None:
    assert migrate.current_revision(database_url) is None

    migrate.upgrade(database_url)

    assert migrate.current_revision(database_url) == migrate.head_revision()
    engine = make_engine(database_url)
    try:
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_match_the_tables_the_code_uses(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_upgrade_twice_is_harmless_and_downgrade_empties(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)

    migrate.downgrade(database_url, "base")

    engine = make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()


def test_sqlite_database_folder_is_created_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'var' / 'ledgerlink.db'}"

    migrate.upgrade(url)

    assert (tmp_path / "deep" / "var" / "ledgerlink.db").is_file()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("given", "driver"),
    [
        ("postgresql://u@h:5432/db", "postgresql+psycopg"),
        ("postgres://u@h/db", "postgresql+psycopg"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg"),
        ("sqlite:///var/ledgerlink.db", "sqlite"),
    ],
    ids=["postgresql", "postgres-alias", "psycopg", "sqlite"],
)
def test_urls_are_normalised_to_psycopg_3(given: str, driver: str) -> None:
    assert normalise_url(given).drivername == driver


@pytest.mark.parametrize(
    "given",
    ["mysql://u@h/db", "postgresql+psycopg2://u@h/db", "not a url"],
    ids=["mysql", "psycopg2", "garbage"],
)
def test_unsupported_urls_are_refused_with_the_fix(given: str) -> None:
    with pytest.raises(InvalidDatabaseUrl, match="postgresql://user@host:5432/dbname"):
        make_engine(given)


def test_processes_starting_together_upgrade_one_after_the_other(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite serialises upgrades with BEGIN IMMEDIATE; see the PostgreSQL case")
    errors: list[BaseException] = []

    def upgrade() -> None:
        try:
            migrate.upgrade(database_url)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=upgrade) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert migrate.current_revision(database_url) == migrate.head_revision()
