"""Upgrading settles outbox rows that waited for a send that never came (0410), and
wakes them again once their kinds are sent (0730)."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ledgerlink.store import migrate
from ledgerlink.store.engine import make_engine
from ledgerlink.store.tables import companies, outbox

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def row(
    connection: Connection,
    company_id: UUID,
    kind: str,
    event_type: str,
    *,
    reaches_xero: bool = True,
    state: str = "pending",
) -> int:
    return int(
        connection.execute(
            outbox.insert()
            .values(
                company_id=company_id,
                kind=kind,
                document_id=str(uuid4()),
                event_type=event_type,
                version=1,
                payload={},
                reaches_xero=reaches_xero,
                created_at=T0,
                state=state,
                attempts=0,
                available_at=T0,
            )
            .returning(outbox.c.id)
        ).scalar_one()
    )


def test_pending_rows_of_unsent_events_become_not_sent_and_the_rest_stay(
    database_url: str,
) -> None:
    migrate.upgrade(database_url, "0402")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        company_id = uuid4()
        connection.execute(
            companies.insert().values(id=company_id, name="A", settings={}, created_at=T0)
        )
        customer = row(connection, company_id, "customer", "PartyChanged")
        invoice = row(connection, company_id, "sales_invoice", "DocumentApproved")
        payment = row(connection, company_id, "payment", "PaymentRecorded")
        submitted = row(connection, company_id, "bill", "DocumentSubmitted", reaches_xero=False)
        bill = row(connection, company_id, "bill", "DocumentApproved")
        supplier = row(connection, company_id, "supplier", "PartyChanged")
        sent = row(connection, company_id, "bill", "DocumentEdited", state="done")
        failed = row(connection, company_id, "purchase_order", "DocumentApproved", state="failed")

    migrate.upgrade(database_url, "0410")
    with engine.connect() as connection:
        found = {
            r.id: (r.state, r.reaches_xero)
            for r in connection.execute(select(outbox.c.id, outbox.c.state, outbox.c.reaches_xero))
        }
    assert found == {
        customer: ("not_sent", False),
        invoice: ("not_sent", False),
        payment: ("not_sent", False),
        submitted: ("not_sent", False),
        bill: ("pending", True),
        supplier: ("pending", True),
        sent: ("done", True),
        failed: ("failed", True),
    }
    with pytest.raises(IntegrityError), engine.begin() as connection:
        row(connection, company_id, "bill", "DocumentApproved", state="forgotten")
    engine.dispose()


def test_changes_of_kinds_sent_now_wait_again_and_local_steps_stay_not_sent(
    database_url: str,
) -> None:
    migrate.upgrade(database_url, "0700")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        company_id = uuid4()
        connection.execute(
            companies.insert().values(id=company_id, name="A", settings={}, created_at=T0)
        )

        def settled(kind: str, event_type: str) -> int:
            return row(connection, company_id, kind, event_type, reaches_xero=False,
                       state="not_sent")  # fmt: skip

        waking = {
            settled("customer", "PartyChanged"),
            settled("item", "ItemChanged"),
            settled("sales_invoice", "DocumentApproved"),
            settled("sales_invoice", "DocumentCancelled"),
            settled("credit_note", "DocumentEdited"),
            settled("payment", "PaymentRecorded"),
            settled("payment", "DocumentCancelled"),
        }
        staying = {
            settled("sales_invoice", "PaymentApplied"),
            settled("bill", "DocumentSubmitted"),
            settled("refund", "CreditRecorded"),
            settled("credit_note", "CreditAllocated"),
        }

    migrate.upgrade(database_url)
    with engine.connect() as connection:
        found = {
            r.id: (r.state, r.reaches_xero)
            for r in connection.execute(select(outbox.c.id, outbox.c.state, outbox.c.reaches_xero))
        }
    assert {i: found[i] for i in waking} == dict.fromkeys(waking, ("pending", True))
    assert {i: found[i] for i in staying} == dict.fromkeys(staying, ("not_sent", False))
    engine.dispose()
