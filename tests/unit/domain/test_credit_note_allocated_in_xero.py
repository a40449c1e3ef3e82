"""What Xero allocated of a credit note to documents not here: used credit all the same."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import CreditNote, InvalidDocument, InvalidTransition

from .conftest import new_credit_note

INVOICE = UUID("00000000-0000-4000-8000-0000000000f1")


def approved() -> CreditNote:
    """An approved sales credit note of 115.00."""
    note = new_credit_note()
    note.approve()
    note.pull_events()
    return note


@pytest.mark.parametrize(
    ("elsewhere", "status", "left"),
    [
        ("0.00", "approved", "115.00"),
        ("40.00", "partially_allocated", "75.00"),
        ("115.00", "allocated", "0.00"),
    ],
)
def test_what_xero_allocated_elsewhere_is_used_credit(
    elsewhere: str, status: str, left: str
) -> None:
    note = approved()
    note.follow_xero(Decimal(elsewhere))
    assert (note.status, note.remaining_credit) == (status, Decimal(left))
    assert note.events == []  # it came from Xero: nothing to send back


def test_credit_left_counts_what_is_allocated_here_and_in_xero() -> None:
    note = approved()
    note.allocate(Decimal("15.00"), target_id=INVOICE)
    assert note.follow_xero(Decimal("40.00")) is True
    assert note.follow_xero(Decimal("40.00")) is False  # read again unchanged: no new version
    assert (note.amount_allocated, note.allocated_in_xero, note.remaining_credit) == (
        Decimal("15.00"),
        Decimal("40.00"),
        Decimal("60.00"),
    )
    note.follow_xero(Decimal("100.00"))
    assert (note.status, note.remaining_credit) == ("allocated", Decimal("0.00"))
    note.unallocate(Decimal("15.00"))  # still used in Xero: partially allocated, not approved
    assert (note.status, note.remaining_credit) == ("partially_allocated", Decimal("15.00"))
    note.follow_xero(Decimal("0.00"))  # Xero deleted its allocations
    assert (note.status, note.remaining_credit) == ("approved", Decimal("115.00"))


def test_using_more_than_xero_left_is_refused_naming_the_amount() -> None:
    note = approved()
    note.follow_xero(Decimal("100.00"))
    version = note.version
    with pytest.raises(InvalidDocument) as raised:
        note.allocate(Decimal("15.01"), target_id=INVOICE)
    assert str(raised.value) == (
        "amount: an allocation must be more than 0 and at most the remaining credit 15.00, "
        "got 15.01"
    )
    assert (note.version, note.amount_allocated, note.events) == (version, Decimal(0), [])


@pytest.mark.parametrize("elsewhere", ["-0.01", "100.01"])
def test_xero_allocating_more_than_is_left_here_is_refused_and_nothing_changes(
    elsewhere: str,
) -> None:
    note = approved()
    note.allocate(Decimal("15.00"), target_id=INVOICE)
    with pytest.raises(InvalidDocument) as raised:
        note.follow_xero(Decimal(elsewhere))
    assert str(raised.value) == (
        "allocated_in_xero: what Xero allocated elsewhere must be 0 or more and at most the "
        f"100.00 not allocated here, got {elsewhere}"
    )
    assert (note.allocated_in_xero, note.status) == (Decimal(0), "partially_allocated")


def test_a_credit_note_used_in_xero_is_no_longer_voided_or_edited_here() -> None:
    note = approved()
    note.follow_xero(Decimal("1.00"))
    with pytest.raises(InvalidTransition, match="cannot void a credit note that is partially"):
        note.void()
    with pytest.raises(InvalidTransition):
        note.edit(reference="More")


@pytest.mark.parametrize("status", ["draft", "voided"])
def test_a_draft_or_voided_credit_note_follows_no_allocation(status: str) -> None:
    note = new_credit_note()
    if status == "voided":
        note.void()
    with pytest.raises(InvalidTransition, match=f"credit note that is {status}"):
        note.follow_xero(Decimal("1.00"))


def test_a_negative_amount_allocated_in_xero_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidDocument, match=r"^allocated_in_xero: must be 0 or more"):
        new_credit_note(allocated_in_xero=Decimal("-1"))
