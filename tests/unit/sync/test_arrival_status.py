"""The status a new document is sent to Xero in: the settings', unless the kind says why not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain import Bill, Line, PurchaseOrder
from ledgerlink.sync.export.kinds import BILLS, PURCHASE_ORDERS
from ledgerlink.xero.outbound.settings import ExportSettings

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
SUPPLIER = UUID("00000000-0000-4000-8000-0000000000a1")
SETTINGS = ExportSettings(purchase_order_status="SUBMITTED", bill_status="AUTHORISED")
LINES = (Line(description="Paper", quantity=Decimal(2), unit_price=Decimal("50.00")),)


def bill(due_date: dt.date | None) -> Bill:
    return Bill(
        company_id=COMPANY,
        supplier_id=SUPPLIER,
        invoice_number="INV-1",
        date=dt.date(2026, 3, 2),
        due_date=due_date,
        currency="NZD",
        lines=LINES,
    )


def test_a_bill_with_a_due_date_arrives_in_the_settings_status() -> None:
    assert BILLS.status_for(bill(dt.date(2026, 3, 31)), SETTINGS) == ("AUTHORISED", None)


def test_a_bill_without_a_due_date_arrives_as_a_draft_and_says_why() -> None:
    assert BILLS.status_for(bill(None), SETTINGS) == (
        "DRAFT",
        "sent as a draft: the bill has no due date yet",
    )


def test_a_bill_meant_as_a_draft_needs_no_note() -> None:
    assert BILLS.status_for(bill(None), ExportSettings(bill_status="DRAFT")) == ("DRAFT", None)


def test_a_purchase_order_arrives_in_the_settings_status() -> None:
    order = PurchaseOrder(
        company_id=COMPANY,
        supplier_id=SUPPLIER,
        number="PO-1",
        date=dt.date(2026, 3, 2),
        currency="NZD",
        lines=LINES,
    )
    assert PURCHASE_ORDERS.status_for(order, SETTINGS) == ("SUBMITTED", None)
