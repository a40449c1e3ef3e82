"""Engines and sessions for SQLite (the default) and PostgreSQL."""

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.urls import normalise_url, sqlite_path

SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Execution option of a transaction that only reads (see `make_engine`).
READ_ONLY = "ledgerlink_read_only"
#: Execution option of a SQLite transaction that takes the write lock only if it is free at
#: once, failing with "database is locked" instead of waiting (see `make_engine`).
NO_WAIT = "ledgerlink_no_wait"


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    """Build an engine for `database_url`.

    SQLite gets its folder (0700) and file (0600) created private to the owner, WAL
    journalling, `foreign_keys=ON`, a busy timeout,
    and real transactions issued by SQLAlchemy rather than guessed by the driver, so
    savepoints and rollbacks behave as on PostgreSQL. Each transaction starts with
    `BEGIN IMMEDIATE`: SQLite has one writer at a time, and a transaction that read
    before another process committed could otherwise never write (SQLITE_BUSY_SNAPSHOT,
    reported at once, not after the busy timeout). Units of work therefore run one at a
    time on SQLite, waiting up to the busy timeout for each other; keep them short and
    never hold one open across a call to Xero. A transaction begun with the execution
    option `READ_ONLY` (`SqlUnitOfWork.read_only`) starts with a plain `BEGIN` instead: a
    WAL reader, which sees one snapshot, takes no write lock, waits for no writer and makes
    none wait. One begun with `NO_WAIT` does not wait for the write lock at all: it fails
    at once with "database is locked" when another transaction holds it (the webhook
    endpoint then spools its events instead). PostgreSQL URLs are pinned to psycopg 3.
    """
    url = normalise_url(database_url)
    path = sqlite_path(url)
    if path is not None:
        create_private(path)
    if url.drivername.startswith("sqlite"):
        engine = create_engine(url, echo=echo)
        _apply_sqlite_settings(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def create_private(path: Path) -> None:
    """Create a SQLite file's folder 0700 and the file 0600 when they do not exist yet.

    SQLite gives its -wal and -shm files the database file's mode, so they stay private too.
    """
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)  # an empty file is an empty SQLite database


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (repositories return domain objects)."""
    return sessionmaker(engine, expire_on_commit=False)


def _apply_sqlite_settings(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy own BEGIN/COMMIT; pysqlite would otherwise defer BEGIN until
        # the first write and commit around DDL on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(READ_ONLY, False):
            connection.exec_driver_sql("BEGIN")
        elif options.get(NO_WAIT, False):
            raw = connection.connection.driver_connection
            raw.execute("PRAGMA busy_timeout=0")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            finally:
                raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS:d}")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_was_busy(error: BaseException) -> bool:
    """Whether ``error`` is SQLite's "database is locked": another transaction holds the
    write lock (at once with `NO_WAIT`, after the busy timeout otherwise)."""
    cause = getattr(error, "orig", error)
    return isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause)
