"""`WebhookWriter`: Xero's deliveries stored one transaction at a time, together when they
arrive together.

Each delivery is answered only once its events are committed. The deliveries that arrive
while one transaction is being written wait for it inside the process (a lock that lets
the next one in as soon as it is free) and are then all written in the next transaction:
one `BEGIN`, one commit, one `INSERT` per delivery. On SQLite, where a writer waits for the
database's only write lock in steps of up to 100 ms, the process's posts no longer queue
for that lock one by one, and a burst costs one wait instead of one each.

With ``at_once=True`` (the app's), nothing waits for the worker. On SQLite a transaction
does not wait for the database's write lock: when another transaction holds it (the
worker exporting), the deliveries are committed to the spool beside the database instead
(``store.webhook_spool``), which the worker moves in later. On PostgreSQL, whose inserts
wait for no lock, each delivery is stored by one autocommitted statement
(`store_at_once`) on a pooled connection, beside the others, without the queue.
"""

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from ledgerlink.store.engine import NO_WAIT, lock_was_busy
from ledgerlink.store.repositories.webhook_events import (
    IncomingEvent,
    StoreOutcome,
    WebhookEventRepository,
    store_at_once,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.store.webhook_spool import WebhookSpool, spool_of

log = logging.getLogger("ledgerlink.webhooks")


@dataclass(eq=False)
class _Delivery:
    events: Sequence[IncomingEvent]
    received_at: datetime
    outcome: StoreOutcome | None = None
    error: Exception | None = None
    done: bool = False


class WebhookWriter:
    """Stores deliveries for the webhook endpoint; see the module docstring."""

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], *, at_once: bool = False) -> None:
        self._uow_factory = uow_factory
        self._at_once = at_once
        self._writing = threading.Lock()  # held while a transaction is written
        self._queue = threading.Lock()  # guards ``_waiting``
        self._waiting: list[_Delivery] = []
        self._engine: Engine | None = None  # known once the first delivery comes
        self._spool: WebhookSpool | None = None  # opened when first needed

    def _postgres(self) -> Engine | None:
        """The engine when deliveries are stored at once on PostgreSQL, else None."""
        if not self._at_once:
            return None
        if self._engine is None:
            with self._uow_factory() as uow:
                self._engine = uow.session.get_bind().engine
        return self._engine if self._engine.dialect.name == "postgresql" else None

    def store(self, events: Sequence[IncomingEvent], received_at: datetime) -> StoreOutcome:
        """Store one delivery's events, with any others waiting; blocks until committed.

        Raises:
            Exception: whatever stopped this delivery's events from being committed.
        """
        if (postgres := self._postgres()) is not None:
            with postgres.connect() as connection:
                autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
                return store_at_once(autocommit, events, received_at)
        delivery = _Delivery(events, received_at)
        with self._queue:
            self._waiting.append(delivery)
        with self._writing:
            if not delivery.done:  # no transaction took it while this one waited
                with self._queue:
                    batch, self._waiting = self._waiting, []
                self._write(batch)
        if delivery.error is not None:
            raise delivery.error
        assert delivery.outcome is not None
        return delivery.outcome

    def close(self) -> None:
        """Close the spool's connection, if one was opened (at the app's shutdown)."""
        with self._writing:
            if self._spool is not None:
                self._spool.close()
                self._spool = None

    def _write(self, batch: list[_Delivery]) -> None:
        try:
            outcomes = self._store(batch)
        except Exception as error:
            if len(batch) > 1:  # one delivery the database refuses fails alone
                log.warning("webhook: %d deliveries stored together failed; one by one now",
                            len(batch))  # fmt: skip
                for delivery in batch:
                    self._write([delivery])
                return
            batch[0].error, batch[0].done = error, True
            return
        for delivery, outcome in zip(batch, outcomes, strict=True):
            delivery.outcome, delivery.done = outcome, True

    def _store(self, batch: list[_Delivery]) -> list[StoreOutcome]:
        if not self._at_once:
            return self._commit(batch, wait=True)
        try:
            return self._commit(batch, wait=False)
        except Exception as error:
            if not lock_was_busy(error):
                raise
            if self._spool is None:
                path = spool_of(self._uow_factory)
                if path is None:  # in-memory SQLite: nowhere else to put them
                    return self._commit(batch, wait=True)
                self._spool = WebhookSpool(path)
        added = self._spool.add([(d.events, d.received_at) for d in batch])
        return [
            StoreOutcome(duplicates=len(d.events) - new, spooled=new)
            for d, new in zip(batch, added, strict=True)
        ]

    def _commit(self, batch: list[_Delivery], *, wait: bool) -> list[StoreOutcome]:
        with self._uow_factory() as uow:
            if not wait:
                uow.session.connection(execution_options={NO_WAIT: True})
            events = WebhookEventRepository(uow.session)
            outcomes = [events.store(d.events, d.received_at) for d in batch]
            uow.commit()
        return outcomes
