"""`ledgerlink sync` names documents as a person does: by number and kind, not only by id."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import build
from ledgerlink.cli import app
from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.tables.outbox import outbox

COMPANY = ["--company", "Acme Ltd"]
LINES = [{"description": "Ads", "unit_price": "50", "account_code": "400"}]


@dataclass
class Synced:
    company_id: UUID
    order_id: UUID
    bill_id: UUID


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Synced:
    """Purchase order PO-1001 sent to Xero at its current version; bill BILL-7 failed."""
    url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", url)
    upgrade(url)
    container = build()
    with container.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        supplier = Supplier.create(company_id=company.id, name="Lamp Co")
        uow.suppliers.add(supplier)
        order = PurchaseOrder(
            company_id=company.id,
            supplier_id=supplier.id,
            number="PO-1001",
            currency="NZD",
            date=dt.date(2026, 3, 1),
            lines=LINES,
        )
        order.submit()
        order.approve()
        uow.purchase_orders.add(order)
        bill = Bill(
            company_id=company.id,
            supplier_id=supplier.id,
            number="BILL-7",
            currency="NZD",
            date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            lines=LINES,
        )
        bill.submit()
        bill.approve()
        uow.bills.add(bill)
        uow.commit()
        uow.xero_links.upsert(
            company.id,
            "purchase_order",
            order.id,
            tenant_id="tenant",
            xero_id=str(uuid.uuid4()),
            synced_version=order.version,
        )
        states = SyncStateRepository(uow.session, _now)
        states.save(
            SyncState(
                company_id=company.id,
                kind="purchase_order",
                document_id=order.id,
                state="sent",
                attempts=1,
                xero_status="AUTHORISED",
                synced_version=order.version,
            )
        )
        states.save(
            SyncState(
                company_id=company.id,
                kind="bill",
                document_id=bill.id,
                state="failed",
                attempts=1,
                last_error="Account code '400' has been archived, or has been deleted.",
                fix="choose an active account",
            )
        )
        uow.commit()
    container.close()
    return Synced(company.id, order.id, bill.id)


def _state(synced: Synced, kind: str, document_id: UUID) -> str:
    container = build()
    try:
        with container.uow() as uow:
            found = SyncStateRepository(uow.session, _now).get(synced.company_id, kind, document_id)
            assert found is not None
            return found.state
    finally:
        container.close()


def _outbox_rows(synced: Synced) -> int:
    container = build()
    try:
        with container.uow() as uow:
            return len(uow.session.execute(outbox.select()).all())
    finally:
        container.close()


def test_status_shows_documents_by_number_and_kind(synced: Synced) -> None:
    result = CliRunner().invoke(app, ["sync", "status", *COMPANY], terminal_width=200)

    assert result.exit_code == 0, result.output
    assert "PO-1001" in result.output and "purchase order" in result.output
    assert "BILL-7" in result.output
    assert "bill BILL-7\n  error: Account code '400' has been archived" in result.output


def test_retry_of_a_document_xero_has_says_nothing_to_send_and_names_force(
    synced: Synced,
) -> None:
    rows = _outbox_rows(synced)

    result = CliRunner().invoke(
        app, ["sync", "retry", *COMPANY, "purchase_order", "PO-1001"], terminal_width=200
    )

    assert result.exit_code == 0, result.output
    assert "purchase order PO-1001 is in Xero already" in result.output
    assert "nothing to send" in result.output
    assert "--force" in result.output
    assert "pending" not in result.output
    assert _state(synced, "purchase_order", synced.order_id) == "sent"
    assert _outbox_rows(synced) == rows


def test_retry_with_force_sends_it_again(synced: Synced) -> None:
    result = CliRunner().invoke(
        app, ["sync", "retry", "--force", *COMPANY, "purchase_order", "PO-1001"]
    )

    assert result.exit_code == 0, result.output
    assert "purchase order PO-1001 is pending: the worker sends it next" in result.output
    assert _state(synced, "purchase_order", synced.order_id) == "pending"
    container = build()
    try:
        with container.uow() as uow:
            link = uow.xero_links.get(synced.company_id, "purchase_order", synced.order_id)
            assert link is not None and link.synced_version is None
    finally:
        container.close()


def test_retry_and_resolve_take_a_number(synced: Synced) -> None:
    runner = CliRunner()
    retried = runner.invoke(app, ["sync", "retry", *COMPANY, "bill", "BILL-7"])
    assert retried.exit_code == 0, retried.output
    assert "bill BILL-7 is pending" in retried.output
    assert _state(synced, "bill", synced.bill_id) == "pending"

    resolved = runner.invoke(app, ["sync", "resolve", *COMPANY, "bill", "BILL-7"])
    assert resolved.exit_code == 0, resolved.output
    assert "bill BILL-7 is marked as handled manually" in resolved.output
    assert _state(synced, "bill", synced.bill_id) == "resolved"


def test_an_unknown_number_is_refused_by_name(synced: Synced) -> None:
    result = CliRunner().invoke(app, ["sync", "retry", *COMPANY, "bill", "BILL-999"])

    assert result.exit_code == 2
    assert "no bill with the id or number 'BILL-999'" in result.output
