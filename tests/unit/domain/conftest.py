"""Builders for domain tests: documents brought to a status the way a user would."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledgerlink.domain import (
    Bill,
    CreditNote,
    CreditNoteKind,
    InvalidTransition,
    Line,
    PurchaseOrder,
    SalesInvoice,
)

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
OTHER_COMPANY = UUID("00000000-0000-4000-8000-000000000002")
SUPPLIER = UUID("00000000-0000-4000-8000-0000000000a1")
CUSTOMER = UUID("00000000-0000-4000-8000-0000000000c1")
MARCH_2 = dt.date(2026, 3, 2)
MARCH_31 = dt.date(2026, 3, 31)


def line(**overrides: Any) -> Line:
    """A taxed line on account 400: 2 × 50.00 at 15 %."""
    fields: dict[str, Any] = {
        "description": "Printer paper",
        "quantity": Decimal(2),
        "unit_price": Decimal("50.00"),
        "account_code": "400",
        "tax_type": "INPUT2",
        "tax_rate": Decimal(15),
    }
    fields.update(overrides)
    return Line(**fields)


def new_purchase_order(**overrides: Any) -> PurchaseOrder:
    fields: dict[str, Any] = {
        "company_id": COMPANY,
        "supplier_id": SUPPLIER,
        "number": "PO-0001",
        "date": MARCH_2,
        "currency": "NZD",
        "lines": (line(),),
    }
    fields.update(overrides)
    return PurchaseOrder(**fields)


def purchase_order_in(status: str) -> PurchaseOrder:
    """A purchase order driven to ``status`` through its own transitions."""
    po = new_purchase_order()
    steps: dict[str, list[Callable[[PurchaseOrder], None]]] = {
        "draft": [],
        "submitted": [PurchaseOrder.submit],
        "approved": [PurchaseOrder.submit, PurchaseOrder.approve],
        "finished": [PurchaseOrder.submit, PurchaseOrder.approve, PurchaseOrder.finish],
        "cancelled": [PurchaseOrder.cancel],
    }
    for step in steps[status]:
        step(po)
    assert po.status == status
    return po


def new_bill(**overrides: Any) -> Bill:
    fields: dict[str, Any] = {
        "company_id": COMPANY,
        "supplier_id": SUPPLIER,
        "number": "BILL-0001",
        "invoice_number": "INV-778",
        "date": MARCH_2,
        "due_date": MARCH_31,
        "currency": "NZD",
        "lines": (line(),),
    }
    fields.update(overrides)
    return Bill(**fields)


def bill_in(status: str) -> Bill:
    """A bill of 115.00 driven to ``status``; partially paid means 15.00 paid."""
    bill = new_bill()
    if status == "cancelled":
        bill.cancel()
    if status in {"submitted", "approved", "partially_paid", "paid"}:
        bill.submit()
    if status in {"approved", "partially_paid", "paid"}:
        bill.approve()
    if status == "partially_paid":
        bill.apply_payment(Decimal("15.00"))
    if status == "paid":
        bill.apply_payment(Decimal("115.00"))
    assert bill.status == status
    return bill


def new_invoice(**overrides: Any) -> SalesInvoice:
    fields: dict[str, Any] = {
        "company_id": COMPANY,
        "customer_id": CUSTOMER,
        "number": "INV-0001",
        "date": MARCH_2,
        "due_date": MARCH_31,
        "currency": "NZD",
        "lines": (line(tax_type="OUTPUT2", account_code="200"),),
    }
    fields.update(overrides)
    return SalesInvoice(**fields)


def invoice_in(status: str) -> SalesInvoice:
    """A sales invoice of 115.00 driven to ``status``; partially paid means 15.00 paid."""
    invoice = new_invoice()
    if status == "voided":
        invoice.void()
    if status in {"issued", "partially_paid", "paid"}:
        invoice.issue()
    if status == "partially_paid":
        invoice.apply_payment(Decimal("15.00"))
    if status == "paid":
        invoice.apply_payment(Decimal("115.00"))
    assert invoice.status == status
    return invoice


def new_credit_note(**overrides: Any) -> CreditNote:
    fields: dict[str, Any] = {
        "company_id": COMPANY,
        "kind": CreditNoteKind.SALES,
        "party_id": CUSTOMER,
        "number": "CN-0001",
        "date": MARCH_2,
        "currency": "NZD",
        "lines": (line(tax_type="OUTPUT2", account_code="200"),),
    }
    fields.update(overrides)
    return CreditNote(**fields)


@pytest.fixture
def purchase_order() -> PurchaseOrder:
    return new_purchase_order()


def check_allowed(
    document: Any, act: Callable[[Any], object], new_status: str, event: str | None
) -> None:
    """Run ``act`` and check the new status, the version bump and the one event raised."""
    version, before = document.version, len(document.events)
    act(document)
    assert document.status == new_status
    assert document.version == version + 1
    raised = document.events[before:]
    assert [e.name for e in raised] == ([event] if event else [])
    for e in raised:
        assert (e.kind, e.document_id, e.company_id, e.version) == (
            document.KIND,
            document.id,
            document.company_id,
            document.version,
        )


def check_refused(document: Any, act: Callable[[Any], object], message: str) -> None:
    """Run ``act``, expect ``InvalidTransition`` with ``message``, and no change at all."""
    status, version, events = document.status, document.version, list(document.events)
    with pytest.raises(InvalidTransition) as raised:
        act(document)
    assert raised.value.field == "status"
    assert raised.value.message == message
    assert (document.status, document.version, document.events) == (status, version, events)
