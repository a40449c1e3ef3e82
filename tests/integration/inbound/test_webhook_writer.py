"""`WebhookWriter`: deliveries that arrive while one is being stored are stored together,
in one transaction, and a delivery the database refuses fails alone."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import IntegrityError

from ledgerlink.api.webhook_writer import WebhookWriter
from ledgerlink.store.repositories.webhook_events import (
    IncomingEvent,
    StoreOutcome,
    WebhookEventRepository,
)
from tests.integration.inbound.conftest import NOW, connect, stored

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory

TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


def invoice_event(n: int) -> IncomingEvent:
    return IncomingEvent(TENANT, "INVOICE", "UPDATE", f"9b2e6f7a-0000-4000-8000-{n:012d}", NOW)


@pytest.fixture
def connected(uow_factory: UowFactory, company_id: UUID) -> UUID:
    with uow_factory() as uow:
        connect(uow, company_id, TENANT)
    return company_id


def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.005)


class Deliveries:
    """Deliveries stored from their own threads, as the endpoint's posts are."""

    def __init__(self, writer: WebhookWriter) -> None:
        self.writer = writer
        self.results: dict[int, StoreOutcome | Exception] = {}
        self.threads: list[threading.Thread] = []

    def post(self, n: int, events: list[IncomingEvent]) -> None:
        def run() -> None:
            try:
                self.results[n] = self.writer.store(events, NOW)
            except Exception as error:
                self.results[n] = error

        thread = threading.Thread(target=run)
        thread.start()
        self.threads.append(thread)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)


@contextmanager
def first_delivery_held(uow_factory: UowFactory, deliveries: Deliveries) -> Iterator[None]:
    """Delivery 0 waits inside its transaction for another one writing the same event (on
    SQLite: holding the write lock) until the block ends."""
    with uow_factory() as blocker:
        WebhookEventRepository(blocker.session).store([invoice_event(0)], NOW)
        deliveries.post(0, [invoice_event(0)])
        until(lambda: deliveries.writer._writing.locked())
        yield
        blocker.rollback()


@contextmanager
def commits(engine: Engine) -> Iterator[list[Any]]:
    seen: list[Any] = []

    def count(connection: Any) -> None:
        seen.append(connection)

    event.listen(engine, "commit", count)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", count)


def test_deliveries_arriving_while_one_is_stored_are_stored_together(
    uow_factory: UowFactory, engine: Engine, connected: UUID
) -> None:
    deliveries = Deliveries(WebhookWriter(uow_factory))
    with commits(engine) as committed:
        with first_delivery_held(uow_factory, deliveries):
            for n in (1, 2, 3):
                deliveries.post(n, [invoice_event(n), invoice_event(n + 10)])
            until(lambda: len(deliveries.writer._waiting) == 3)
        deliveries.join()
    assert deliveries.results == {
        0: StoreOutcome(stored=1),
        1: StoreOutcome(stored=2),
        2: StoreOutcome(stored=2),
        3: StoreOutcome(stored=2),
    }
    assert len(committed) == 2  # delivery 0 alone, then 1, 2 and 3 together
    with uow_factory() as uow:
        assert len(stored(uow)) == 7


def test_a_delivery_the_database_refuses_fails_alone(
    uow_factory: UowFactory, connected: UUID
) -> None:
    deliveries = Deliveries(WebhookWriter(uow_factory))
    refused = IncomingEvent(TENANT, "INVOICE", "UPDATE", "no-date", None)  # type: ignore[arg-type]
    with first_delivery_held(uow_factory, deliveries):
        deliveries.post(1, [invoice_event(1)])
        deliveries.post(2, [refused])
        deliveries.post(3, [invoice_event(3), invoice_event(1)])
        until(lambda: len(deliveries.writer._waiting) == 3)
    deliveries.join()
    assert isinstance(deliveries.results.pop(2), IntegrityError)
    assert deliveries.results[0] == StoreOutcome(stored=1)
    outcomes = [deliveries.results[1], deliveries.results[3]]
    assert sum(o.stored for o in outcomes) == 2  # events 1 and 3; event 1 again is not
    assert sum(o.duplicates for o in outcomes) == 1
    with uow_factory() as uow:
        assert len(stored(uow)) == 3
