"""Credit notes: lifecycle, purchase vs sales rules, allocation."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import CreditNote, CreditNoteKind, InvalidDocument

from .conftest import SUPPLIER, check_allowed, check_refused, line, new_credit_note

INVOICE = UUID("00000000-0000-4000-8000-0000000000f1")
STATUSES = ["draft", "approved", "partially_allocated", "allocated", "voided"]
LABEL = {s: s.replace("_", " ") for s in STATUSES}


def credit_note_in(status: str) -> CreditNote:
    """A sales credit note of 115.00; partially allocated means 15.00 used."""
    note = new_credit_note()
    if status == "voided":
        note.void()
    if status in {"approved", "partially_allocated", "allocated"}:
        note.approve()
    if status == "partially_allocated":
        note.allocate(Decimal("15.00"), target_id=INVOICE)
    if status == "allocated":
        note.allocate(Decimal("115.00"), target_id=INVOICE)
    assert note.status == status
    return note


ACTIONS: dict[str, Callable[[CreditNote], object]] = {
    "approve": CreditNote.approve,
    "void": CreditNote.void,
    "allocate": lambda note: note.allocate(Decimal("15.00"), target_id=INVOICE),
    "unallocate": lambda note: note.unallocate(Decimal("15.00")),
    "edit": lambda note: note.edit(reference="Returned goods"),
}

ALLOWED: dict[tuple[str, str], tuple[str, str | None]] = {
    ("draft", "approve"): ("approved", "DocumentApproved"),
    ("draft", "void"): ("voided", None),
    ("draft", "edit"): ("draft", None),
    ("approved", "void"): ("voided", "DocumentCancelled"),
    ("approved", "allocate"): ("partially_allocated", "CreditAllocated"),
    ("approved", "edit"): ("approved", "DocumentEdited"),
    ("partially_allocated", "allocate"): ("partially_allocated", "CreditAllocated"),
    ("partially_allocated", "unallocate"): ("approved", None),
    ("allocated", "unallocate"): ("partially_allocated", None),
}

ALLOWED_FROM = {
    "approve": "draft",
    "void": "draft, approved",
    "allocate": "approved, partially allocated",
    "unallocate": "partially allocated, allocated",
    "edit": "draft, approved",
}

REFUSED = [(s, a) for s in STATUSES for a in ACTIONS if (s, a) not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_transition(status: str, action: str) -> None:
    new_status, event = ALLOWED[(status, action)]
    check_allowed(credit_note_in(status), ACTIONS[action], new_status, event)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_transition(status: str, action: str) -> None:
    check_refused(
        credit_note_in(status),
        ACTIONS[action],
        f"cannot {action} a credit note that is {LABEL[status]}; "
        f"allowed from: {ALLOWED_FROM[action]}",
    )


def test_allocating_all_the_credit_uses_it_up() -> None:
    note = credit_note_in("partially_allocated")
    note.allocate(Decimal("100.00"), target_id=INVOICE)
    assert (note.status, note.remaining_credit) == ("allocated", Decimal("0.00"))
    event = note.events[-1]
    assert (event.amount, event.target_id) == (Decimal("100.00"), INVOICE)  # type: ignore[attr-defined]


def test_allocating_more_than_is_left_is_refused() -> None:
    note = credit_note_in("partially_allocated")
    with pytest.raises(InvalidDocument) as raised:
        note.allocate(Decimal("100.01"), target_id=INVOICE)
    assert str(raised.value) == (
        "amount: an allocation must be more than 0 and at most the remaining credit 100.00, "
        "got 100.01"
    )


def test_taking_back_more_than_is_allocated_is_refused() -> None:
    note = credit_note_in("partially_allocated")
    with pytest.raises(InvalidDocument) as raised:
        note.unallocate(Decimal("15.01"))
    assert str(raised.value) == (
        "amount: an allocation taken back must be more than 0 and at most the 15.00 "
        "allocated, got 15.01"
    )


def test_approval_needs_a_total_above_zero() -> None:
    note = new_credit_note(lines=[line(unit_price=Decimal("0.00"))])
    with pytest.raises(InvalidDocument) as raised:
        note.approve()
    assert str(raised.value) == "lines: an approved credit note needs a total above 0, got 0.00"


def test_purchase_credit_notes_follow_purchase_line_rules() -> None:
    with pytest.raises(InvalidDocument, match=r"^lines\[0\].quantity: must be more than 0 on a"):
        new_credit_note(kind=CreditNoteKind.PURCHASE, party_id=SUPPLIER, lines=[line(quantity=-1)])
    with pytest.raises(InvalidDocument, match=r"^lines\[0\].discount_rate: discounts apply"):
        new_credit_note(kind="purchase", lines=[line(discount_rate=Decimal(5))])
    sales = new_credit_note(lines=[line(discount_rate=Decimal(5))])
    assert sales.total == Decimal("109.25")
