"""`WebhookSpool`: Xero's events kept in a small SQLite file beside the database until the
worker moves them into `webhook_events`.

SQLite has one write lock per database, and the worker holds it for tens of milliseconds
at a time while it exports. The webhook endpoint therefore stores a delivery in the
database only when the lock is free at once; otherwise it commits the events here, in a
file of its own (``<database>-webhook-spool.db``, WAL, synced as the database is) that only webhook
receivers write, and answers. The worker moves spooled events in short steps
(`move_spooled`): it copies a batch into `webhook_events` (one commit there), then
deletes the copied rows here (one commit here). A worker stopped between the two leaves
the rows in the spool; copying them again stores none twice, since `webhook_events` keeps
each (organisation, record, category, type, time) once. Row ids are never reused
(``AUTOINCREMENT``), so rows deleted by one mover are never new rows received meanwhile.
PostgreSQL needs no spool: its inserts do not wait for other transactions.
"""

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ledgerlink.store.engine import SQLITE_BUSY_TIMEOUT_MS, create_private
from ledgerlink.store.repositories.webhook_events import (
    IncomingEvent,
    StoreOutcome,
    WebhookEventRepository,
)
from ledgerlink.store.uow import SqlUnitOfWork

log = logging.getLogger("ledgerlink.webhooks")
#: Spooled events copied into the database per transaction.
MOVE_BATCH = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS spooled_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    category TEXT NOT NULL,
    event_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    event_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    UNIQUE (tenant_id, resource_id, category, event_type, event_at)
)
"""
_INSERT = (
    "INSERT OR IGNORE INTO spooled_events"
    " (tenant_id, category, event_type, resource_id, event_at, received_at)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
_SELECT = (
    "SELECT id, tenant_id, category, event_type, resource_id, event_at, received_at"
    " FROM spooled_events ORDER BY id LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class SpooledEvent:
    """An event waiting in the spool, with when it was received."""

    id: int
    event: IncomingEvent
    received_at: datetime


def spool_path(database_file: Path) -> Path:
    """Where the spool of the SQLite database at ``database_file`` lives."""
    return database_file.with_name(f"{database_file.stem}-webhook-spool.db")


def spool_of(uow_factory: Callable[[], SqlUnitOfWork]) -> Path | None:
    """The spool file of the database ``uow_factory`` writes to; None unless that is a
    SQLite file (PostgreSQL and in-memory SQLite have none)."""
    with uow_factory() as uow:
        url = uow.session.get_bind().engine.url
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return spool_path(Path(url.database))


class WebhookSpool:
    """The spool file at ``path``: one connection, used by one thread at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            create_private(self.path)
            connection = sqlite3.connect(
                self.path,
                timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            connection.execute("PRAGMA journal_mode=WAL")
            # As durable as the database's own commits (WAL, synchronous=NORMAL): a process
            # killed, even by SIGKILL, loses nothing committed.
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            self._connection = connection
        return self._connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            connection = self._open()
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def add(self, deliveries: Sequence[tuple[Sequence[IncomingEvent], datetime]]) -> list[int]:
        """Commit the deliveries' events in one transaction; how many of each were new
        (an event already waiting here is kept once)."""
        added: list[int] = []
        with self._transaction() as connection:
            for events, received_at in deliveries:
                before = connection.total_changes
                connection.executemany(_INSERT, [_row(event, received_at) for event in events])
                added.append(connection.total_changes - before)
        return added

    def take(self, limit: int = MOVE_BATCH) -> list[SpooledEvent]:
        """The oldest ``limit`` events waiting (they stay until `forget`)."""
        with self._lock:
            rows = self._open().execute(_SELECT, (limit,)).fetchall()
        return [
            SpooledEvent(
                id=row[0],
                event=IncomingEvent(row[1], row[2], row[3], row[4], datetime.fromisoformat(row[5])),
                received_at=datetime.fromisoformat(row[6]),
            )
            for row in rows
        ]

    def forget(self, ids: Sequence[int]) -> None:
        """Delete the events ``ids`` (moved into the database)."""
        with self._transaction() as connection:
            connection.executemany("DELETE FROM spooled_events WHERE id = ?", [(i,) for i in ids])

    def waiting(self) -> int:
        """How many events wait here."""
        with self._lock:
            (count,) = self._open().execute("SELECT count(*) FROM spooled_events").fetchone()
        return int(count)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def _row(event: IncomingEvent, received_at: datetime) -> tuple[str, ...]:
    return (
        event.tenant_id.lower(),
        event.category,
        event.event_type,
        event.resource_id.lower(),
        event.event_at.isoformat(),
        received_at.isoformat(),
    )


def copy_spooled(
    uow_factory: Callable[[], SqlUnitOfWork], taken: Sequence[SpooledEvent]
) -> StoreOutcome:
    """Store ``taken`` in `webhook_events` and commit (the first half of a move)."""
    with uow_factory() as uow:
        received = [(spooled.event, spooled.received_at) for spooled in taken]
        outcome = WebhookEventRepository(uow.session).store_received(received)
        uow.commit()
    return outcome


def move_spooled(uow_factory: Callable[[], SqlUnitOfWork]) -> StoreOutcome:
    """Move every event waiting in the spool of ``uow_factory``'s database into it, a batch
    per transaction; what became of them. Does nothing when there is no spool file."""
    path = spool_of(uow_factory)
    if path is None or not path.exists():
        return StoreOutcome()
    spool = WebhookSpool(path)
    stored = duplicates = dropped = 0
    try:
        while taken := spool.take(MOVE_BATCH):
            outcome = copy_spooled(uow_factory, taken)
            spool.forget([spooled.id for spooled in taken])
            stored += outcome.stored
            duplicates += outcome.duplicates
            dropped += outcome.dropped
            if len(taken) < MOVE_BATCH:  # the rest arrived meanwhile: the next pass's
                break
    finally:
        spool.close()
    if stored or duplicates or dropped:
        log.info("webhook spool: %d event(s) moved in, %d already stored, %d for no company here",
                 stored, duplicates, dropped)  # fmt: skip
    return StoreOutcome(stored, duplicates, dropped)
