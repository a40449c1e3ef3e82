"""Domain events: what they carry and which of them are bound for Xero."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import (
    CreditAllocated,
    CreditRecorded,
    DocumentApproved,
    DocumentCancelled,
    DocumentEdited,
    DocumentFinished,
    DocumentRejected,
    DocumentSubmitted,
    DomainEvent,
    ItemChanged,
    PartyChanged,
    PaymentApplied,
    PaymentRecorded,
    PaymentRemoved,
)
from ledgerlink.domain.credits import Refund
from ledgerlink.domain.events import use_id

from .conftest import COMPANY, purchase_order_in

DOC = UUID("00000000-0000-4000-8000-0000000000d1")


@pytest.mark.parametrize(
    ("event", "reaches_xero"),
    [
        (DocumentApproved, True),
        (DocumentEdited, True),
        (DocumentCancelled, True),
        (DocumentFinished, True),
        (PaymentRecorded, True),
        (CreditRecorded, True),
        (CreditAllocated, True),
        (PartyChanged, True),
        (ItemChanged, True),
        (DocumentSubmitted, False),
        (DocumentRejected, False),
        (PaymentApplied, False),
        (PaymentRemoved, False),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value),
)
def test_which_events_reach_xero(event: type[DomainEvent], reaches_xero: bool) -> None:
    assert event.reaches_xero is reaches_xero


def test_events_are_frozen_values_named_by_their_class() -> None:
    event = PaymentRecorded(
        kind="payment", document_id=DOC, company_id=COMPANY, version=1, amount=Decimal("5.00")
    )
    assert event.name == "PaymentRecorded"
    assert event == PaymentRecorded(
        kind="payment", document_id=DOC, company_id=COMPANY, version=1, amount=Decimal("5.00")
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.version = 2  # type: ignore[misc]
    assert dataclasses.asdict(event) == {
        "kind": "payment",
        "document_id": DOC,
        "company_id": COMPANY,
        "version": 1,
        "amount": Decimal("5.00"),
    }


def test_pull_events_hands_them_over_once() -> None:
    po = purchase_order_in("approved")
    pulled = po.pull_events()
    assert [e.name for e in pulled] == ["DocumentSubmitted", "DocumentApproved"]
    assert po.pull_events() == []
    po.finish()
    assert [e.name for e in po.pull_events()] == ["DocumentFinished"]


@pytest.mark.parametrize(
    ("event", "kind", "sent"),
    [
        (PartyChanged, "supplier", True),
        (PartyChanged, "customer", True),
        (ItemChanged, "item", True),
        (DocumentApproved, "bill", True),
        (DocumentApproved, "purchase_order", True),
        (DocumentApproved, "sales_invoice", True),
        (DocumentApproved, "credit_note", True),
        (DocumentCancelled, "payment", True),
        (DocumentApproved, "refund", True),
        (DocumentApproved, "store_credit", True),
        (DocumentApproved, "credit_use", True),
        (DocumentApproved, "expense_claim", False),
        (DocumentSubmitted, "bill", False),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else str(value),
)
def test_only_events_of_the_kinds_sent_today_are_sent(
    event: type[DomainEvent], kind: str, sent: bool
) -> None:
    assert event(kind=kind, document_id=DOC, company_id=COMPANY, version=1).sent_to_xero is sent


def test_a_refund_raises_its_credit_note_then_its_use_as_a_record_of_its_own() -> None:
    invoice_id = UUID("00000000-0000-4000-8000-0000000000e1")
    allocated = Refund.record(
        company_id=COMPANY, customer_id=DOC, date=dt.date(2026, 3, 2), amount=Decimal("5.00"),
        currency="NZD", invoice_id=invoice_id,
    )  # fmt: skip
    paid_out = Refund.record(
        company_id=COMPANY, customer_id=DOC, date=dt.date(2026, 3, 2), amount=Decimal("5.00"),
        currency="NZD", invoice_id=invoice_id, bank_account_code="090",
    )  # fmt: skip
    credit_only = Refund.record(
        company_id=COMPANY, customer_id=DOC, date=dt.date(2026, 3, 2), amount=Decimal("5.00"),
        currency="NZD",
    )  # fmt: skip

    recorded, allocation = allocated.pull_events()
    assert (recorded.name, recorded.kind, recorded.document_id) == (
        "CreditRecorded",
        "refund",
        allocated.id,
    )
    assert isinstance(allocation, CreditAllocated)
    assert (allocation.kind, allocation.document_id) == ("credit_use", allocated.use_id)
    assert (allocation.credit_kind, allocation.credit_id, allocation.target_id) == (
        "refund",
        allocated.id,
        invoice_id,
    )
    assert [e.name for e in paid_out.pull_events()] == ["CreditRecorded", "CreditPaidOut"]
    assert [e.name for e in credit_only.pull_events()] == ["CreditRecorded"]
    assert credit_only.use_id is None
    assert allocated.use_id == use_id(allocated.id, 2) != paid_out.use_id
