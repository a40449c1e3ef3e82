"""PostgreSQL: the endpoint stores a delivery with one autocommitted statement, routed to
the company of its organisation, each event once, counting what it did."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Engine, event

from ledgerlink.api.webhook_writer import WebhookWriter
from ledgerlink.store.repositories.webhook_events import IncomingEvent, StoreOutcome
from tests.integration.inbound.conftest import NOW, connect, stored

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory

TENANT = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


def invoice_event(n: int, tenant_id: str = TENANT) -> IncomingEvent:
    return IncomingEvent(tenant_id, "INVOICE", "UPDATE", f"9B2E6F7A-0000-4000-8000-{n:012d}", NOW)


def test_a_delivery_is_stored_by_one_statement_each_event_once(
    uow_factory: UowFactory, engine: Engine, company_id: UUID, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite stores through the queue or the spool")
    with uow_factory() as uow:
        connect(uow, company_id, TENANT)
    writer = WebhookWriter(uow_factory, at_once=True)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        first = writer.store([invoice_event(1), invoice_event(2)], NOW)
        again = writer.store([invoice_event(1), invoice_event(3, str(uuid4()))], NOW)
    finally:
        event.remove(engine, "before_cursor_execute", seen)

    assert first == StoreOutcome(stored=2)
    assert again == StoreOutcome(duplicates=1, dropped=1)
    assert len(statements) == 2  # one a delivery: no BEGIN, no SELECT first, no COMMIT
    with uow_factory() as uow:
        rows = stored(uow)
    assert [(r["company_id"], r["tenant_id"], r["resource_id"][-1]) for r in rows] == [
        (company_id, TENANT, "1"),
        (company_id, TENANT, "2"),
    ]
    assert rows[0]["resource_id"] == "9b2e6f7a-0000-4000-8000-000000000001"  # as Xero's ids
    assert rows[0]["received_at"] == NOW
