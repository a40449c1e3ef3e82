"""Schema migrations, run programmatically (no alembic.ini needed)."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from ledgerlink.store.engine import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Several processes may start at once and each upgrade: on PostgreSQL they take turns
# under this transaction-scoped advisory lock (SQLite's BEGIN IMMEDIATE does the same).
MIGRATION_LOCK_KEY = 0x6C65_6467_6572  # "ledger"


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
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database at `database_url` back to `revision` (`base` empties it)."""
    engine = make_engine(database_url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


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
