"""Schema migrations, run programmatically (no alembic.ini needed)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from ledgerlink.store.engine import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Several processes may start at once and each upgrade: on PostgreSQL they take turns
# under a transaction-scoped advisory lock (SQLite's BEGIN IMMEDIATE does the same).
# Advisory locks belong to the whole database, so the lock is keyed by this key and the
# schema migrated: deployments in different schemas of one database never wait for each
# other.
MIGRATION_LOCK_KEY = 0x6C65_6467  # "ledg"


def alembic_config() -> Config:
    """An Alembic config pointing at the migrations inside this package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at `database_url` up to `revision` (the latest by default)."""
    engine = make_engine(database_url)
    try:
        upgrade_engine(engine, revision)
    finally:
        engine.dispose()


def upgrade_engine(engine: Engine, revision: str = "head") -> None:
    """Like `upgrade`, on an engine the caller owns."""
    config = alembic_config()
    with _migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database at `database_url` back to `revision` (`base` empties it)."""
    engine = make_engine(database_url)
    try:
        config = alembic_config()
        with _migrating(engine) as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


def lock_migrations(connection: Connection) -> None:
    """On PostgreSQL, wait for the migration lock of the connection's schema (held until
    the transaction ends); nothing on SQLite."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(coalesce(current_schema(), '')))"),
            {"key": MIGRATION_LOCK_KEY},
        )


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the whole migration, taken in turn with other processes.

    On SQLite, batch mode changes a table by copying it to a new one, dropping the old and
    renaming the copy: with foreign keys enforced, dropping ``users`` would cascade-delete
    every row that references it (API tokens, memberships). As Alembic documents, foreign
    keys are off while the migration runs (SQLite ignores the pragma inside a transaction,
    so it is set before), and every reference is checked before the commit instead.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_pragma(connection, "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                lock_migrations(connection)
                yield connection
                if sqlite:
                    _check_references(connection)
        finally:
            if sqlite:
                _sqlite_pragma(connection, "PRAGMA foreign_keys=ON")


def _sqlite_pragma(connection: Connection, pragma: str) -> None:
    """Run ``pragma`` on the driver's connection, outside any transaction."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(pragma)
    finally:
        cursor.close()


def _check_references(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise RuntimeError(
            f"the migration left {len(broken)} row(s) pointing at missing rows "
            f"(first: {table} row {rowid} -> {parent}); nothing was changed"
        )


def current_revision(database_url: str) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str | None:
    """The newest revision this version of ledgerlink ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
