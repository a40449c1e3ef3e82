"""`ledgerlink sync files`: a document's files and notes, named by its number, each with
whether it is in Xero yet or why not."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import build
from ledgerlink.cli import app
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.repositories.attachments import REFUSED, SENT

COMPANY = ["--company", "Acme Ltd"]
LINES = [{"description": "Ads", "unit_price": "50", "account_code": "400"}]


def _order(company_id: uuid.UUID, supplier_id: uuid.UUID, number: str) -> PurchaseOrder:
    order = PurchaseOrder(
        company_id=company_id,
        supplier_id=supplier_id,
        number=number,
        currency="NZD",
        date=dt.date(2026, 3, 1),
        lines=LINES,
    )
    order.submit()
    order.approve()
    return order


@pytest.fixture
def attached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PO-1001 in Xero with a file sent, one refused, one waiting and a note; PO-1002 not in
    Xero with one file waiting for it."""
    url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", url)
    upgrade(url)
    container = build()
    with container.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        supplier = Supplier.create(company_id=company.id, name="Lamp Co")
        uow.suppliers.add(supplier)
        sent_order = _order(company.id, supplier.id, "PO-1001")
        local_order = _order(company.id, supplier.id, "PO-1002")
        uow.purchase_orders.add(sent_order)
        uow.purchase_orders.add(local_order)
        uow.xero_links.upsert(
            company.id,
            "purchase_order",
            sent_order.id,
            tenant_id="tenant",
            xero_id=str(uuid.uuid4()),
            synced_version=sent_order.version,
        )
        add = uow.files.add_file
        quote = add(
            company.id, "purchase_order", sent_order.id, "quote.pdf", "application/pdf", b"q" * 2048
        )
        locked = add(
            company.id, "purchase_order", sent_order.id, "locked.pdf", "application/pdf", b"l"
        )
        add(company.id, "purchase_order", sent_order.id, "photo.png", "image/png", b"p" * 10)
        add(company.id, "purchase_order", local_order.id, "draft.pdf", "application/pdf", b"d")
        uow.files.add_note(
            company.id, "purchase_order", sent_order.id, "Call before delivery", "ops@acme.test"
        )
        uow.files.mark_files([quote.id], SENT, xero_attachment_id=str(uuid.uuid4()))
        uow.files.mark_files([locked.id], REFUSED, error="The file is password protected")
        uow.commit()
    container.close()


def _files(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["sync", "files", *COMPANY, *args], terminal_width=200)
    text = re.sub("id [0-9a-f-]{36}", "id ID", result.output)
    return result.exit_code, " ".join(text.split())


@pytest.mark.usefixtures("attached")
def test_files_and_notes_of_a_document_named_by_its_number() -> None:
    code, output = _files("purchase_order", "PO-1001")
    assert code == 0, output
    assert "purchase order PO-1001: 3 file(s), 1 note(s)" in output
    assert "quote.pdf 2.0 KB application/pdf id ID Xero: in Xero" in output
    assert (
        "locked.pdf 1 bytes application/pdf id ID "
        "Xero: refused by Xero: The file is password protected" in output
    )
    assert "photo.png 10 bytes image/png id ID Xero: not yet: the worker sends it next" in output
    assert "ops@acme.test: Call before delivery Xero: not yet: the worker sends it next" in output
    assert "draft.pdf" not in output


@pytest.mark.usefixtures("attached")
def test_files_of_a_document_not_in_xero_wait_for_it() -> None:
    code, output = _files("purchase-orders", "PO-1002")
    assert code == 0, output
    assert "purchase order PO-1002: 1 file(s), 0 note(s)" in output
    assert (
        "draft.pdf 1 bytes application/pdf id ID "
        "Xero: not yet: it follows once its document is in Xero" in output
    )


@pytest.mark.usefixtures("attached")
def test_a_kind_without_files_or_an_unknown_number_is_refused_by_name() -> None:
    code, output = _files("supplier", "Lamp Co")
    assert code == 2
    assert (
        "kind: use one of purchase_order, bill, sales_invoice, credit_note; got 'supplier'"
        in output
    )
    code, output = _files("purchase_order", "PO-9")
    assert code == 2
    assert "no purchase order with the id or number 'PO-9'" in output
