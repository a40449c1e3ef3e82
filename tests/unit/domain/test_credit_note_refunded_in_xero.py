"""What Xero paid out of a credit note as refunds: used credit all the same."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import CreditNote, InvalidDocument
from ledgerlink.xero.inbound.credit_notes import refunded
from xero_client import CreditNote as XeroCreditNote
from xero_client import Payment

from .conftest import new_credit_note

INVOICE = UUID("00000000-0000-4000-8000-0000000000f2")


def approved() -> CreditNote:
    """An approved sales credit note of 115.00."""
    note = new_credit_note()
    note.approve()
    note.pull_events()
    return note


def test_refunds_allocations_elsewhere_and_here_are_all_used_credit() -> None:
    note = approved()
    note.allocate(Decimal("15.00"), target_id=INVOICE)
    assert note.follow_xero(Decimal("40.00"), Decimal("60.00")) is True
    assert (note.remaining_credit, note.status) == (Decimal(0), "allocated")
    assert note.follow_xero(Decimal("40.00"), Decimal("60.00")) is False  # unchanged
    note.follow_xero(Decimal("40.00"), Decimal("0.00"))  # the refund deleted in Xero
    assert (note.remaining_credit, note.status) == (Decimal("60.00"), "partially_allocated")


@pytest.mark.parametrize("paid_out", ["-1.00", "75.01"])
def test_a_refund_beyond_the_credit_left_is_refused_naming_the_field(paid_out: str) -> None:
    note = approved()
    with pytest.raises(InvalidDocument, match=r"^refunded_in_xero: what Xero refunded"):
        note.follow_xero(Decimal("40.00"), Decimal(paid_out))
    assert (note.allocated_in_xero, note.refunded_in_xero) == (Decimal(0), Decimal(0))


def test_a_negative_refunded_in_xero_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidDocument, match=r"^refunded_in_xero: must be 0 or more"):
        new_credit_note(refunded_in_xero=Decimal("-1"))


@pytest.mark.parametrize(
    ("status", "payments", "expected"),
    [
        ("AUTHORISED", [("10.00", "AUTHORISED"), ("5.00", None)], "15.00"),
        ("PAID", [("10.00", "AUTHORISED"), ("36.00", "DELETED")], "10.00"),
        ("VOIDED", [("10.00", "AUTHORISED")], "0"),
    ],
    ids=["live", "deleted-gives-back", "voided"],
)
def test_what_xero_refunded_counts_the_payments_it_holds(
    status: str, payments: list[tuple[str, str | None]], expected: str
) -> None:
    remote = XeroCreditNote(
        status=status,
        payments=tuple(Payment(amount=Decimal(a), status=s) for a, s in payments),
    )
    assert refunded(remote) == Decimal(expected)
