"""Attachments and notes through the official SDK, an independent client of the sandbox."""

from datetime import date
from pathlib import Path

from xero_python.accounting import HistoryRecord, HistoryRecords, Invoice, Invoices, LineItem

from xero_sandbox import DEMO_TENANT_ID

from .conftest import Sdk

SCAN = b"%PDF-1.4 scanned bill\n" + bytes(range(256)) * 4


def _bill(sdk: Sdk) -> str:
    bill = Invoice(
        type="ACCPAY",
        contact=sdk.accounting.get_contacts(DEMO_TENANT_ID, where='Name=="ABC Furniture"')
        .contacts[0],
        date=date(2026, 3, 2),
        due_date=date(2026, 3, 20),
        line_items=[LineItem(description="Desk", quantity=1, unit_amount=100,
                             account_code="300", tax_type="INPUT2")],
        status="DRAFT",
    )  # fmt: skip
    created = sdk.accounting.create_invoices(DEMO_TENANT_ID, Invoices(invoices=[bill]))
    invoice_id: str = str(created.invoices[0].invoice_id)
    return invoice_id


def test_the_sdk_uploads_lists_and_downloads_an_attachment(sdk: Sdk) -> None:
    invoice_id = _bill(sdk)
    uploaded = sdk.accounting.create_invoice_attachment_by_file_name(
        DEMO_TENANT_ID, invoice_id, "scan.pdf", SCAN, idempotency_key="sdk-upload-1"
    ).attachments[0]
    assert (uploaded.file_name, uploaded.content_length) == ("scan.pdf", len(SCAN))
    listed = sdk.accounting.get_invoice_attachments(DEMO_TENANT_ID, invoice_id).attachments
    assert [(a.attachment_id, a.file_name) for a in listed] == [
        (uploaded.attachment_id, "scan.pdf")
    ]
    path = sdk.accounting.get_invoice_attachment_by_id(
        DEMO_TENANT_ID, invoice_id, uploaded.attachment_id, "application/octet-stream"
    )
    assert Path(path).read_bytes() == SCAN
    Path(path).unlink()
    invoice = sdk.accounting.get_invoice(DEMO_TENANT_ID, invoice_id).invoices[0]
    assert invoice.has_attachments is True


def test_the_sdk_adds_and_reads_a_note(sdk: Sdk) -> None:
    invoice_id = _bill(sdk)
    notes = HistoryRecords(history_records=[HistoryRecord(details="Approved by Sam")])
    sdk.accounting.create_invoice_history(DEMO_TENANT_ID, invoice_id, notes)
    history = sdk.accounting.get_invoice_history(DEMO_TENANT_ID, invoice_id).history_records
    assert [(h.changes, h.details) for h in history] == [("Note", "Approved by Sam")]
