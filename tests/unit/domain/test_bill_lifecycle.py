"""Every bill transition, allowed and refused, and payments on bills."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import Bill, DomainError, InvalidDocument

from .conftest import (
    MARCH_2,
    MARCH_31,
    bill_in,
    check_allowed,
    check_refused,
    line,
    new_bill,
    purchase_order_in,
)

STATUSES = ["draft", "submitted", "approved", "partially_paid", "paid", "cancelled"]
LABEL = {s: s.replace("_", " ") for s in STATUSES}

ACTIONS: dict[str, Callable[[Bill], object]] = {
    "submit": Bill.submit,
    "approve": Bill.approve,
    "cancel": Bill.cancel,
    "pay": lambda bill: bill.apply_payment(Decimal("15.00")),
    "remove a payment from": lambda bill: bill.remove_payment(Decimal("15.00")),
    "edit": lambda bill: bill.edit(reference="March"),
}

ALLOWED: dict[tuple[str, str], tuple[str, str | None]] = {
    ("draft", "submit"): ("submitted", "DocumentSubmitted"),
    ("draft", "cancel"): ("cancelled", None),
    ("draft", "edit"): ("draft", None),
    ("submitted", "approve"): ("approved", "DocumentApproved"),
    ("submitted", "cancel"): ("cancelled", None),
    ("submitted", "edit"): ("submitted", None),
    ("approved", "cancel"): ("cancelled", "DocumentCancelled"),
    ("approved", "pay"): ("partially_paid", "PaymentApplied"),
    ("approved", "edit"): ("approved", "DocumentEdited"),
    ("partially_paid", "pay"): ("partially_paid", "PaymentApplied"),
    ("partially_paid", "remove a payment from"): ("approved", "PaymentRemoved"),
    ("paid", "remove a payment from"): ("partially_paid", "PaymentRemoved"),
}

ALLOWED_FROM = {
    "submit": "draft",
    "approve": "submitted",
    "cancel": "draft, submitted, approved",
    "pay": "approved, partially paid",
    "remove a payment from": "partially paid, paid",
    "edit": "draft, submitted, approved",
}

REFUSED = [(s, a) for s in STATUSES for a in ACTIONS if (s, a) not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_transition(status: str, action: str) -> None:
    new_status, event = ALLOWED[(status, action)]
    check_allowed(bill_in(status), ACTIONS[action], new_status, event)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_transition(status: str, action: str) -> None:
    check_refused(
        bill_in(status),
        ACTIONS[action],
        f"cannot {action} a bill that is {LABEL[status]}; allowed from: {ALLOWED_FROM[action]}",
    )


def test_paying_the_amount_due_marks_the_bill_paid() -> None:
    bill = bill_in("approved")
    payment_id = UUID("00000000-0000-4000-8000-00000000beef")
    bill.apply_payment(Decimal("100.00"), payment_id=payment_id)
    assert (bill.status, bill.amount_paid, bill.amount_due) == (
        "partially_paid",
        Decimal("100.00"),
        Decimal("15.00"),
    )
    bill.apply_payment(Decimal("15"))
    assert (bill.status, bill.amount_due) == ("paid", Decimal("0.00"))
    assert [(e.name, e.amount) for e in bill.events[-2:]] == [  # type: ignore[attr-defined]
        ("PaymentApplied", Decimal("100.00")),
        ("PaymentApplied", Decimal("15.00")),
    ]
    assert bill.events[-2].payment_id == payment_id  # type: ignore[attr-defined]
    assert not bill.events[-1].reaches_xero


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("115.01", "amount: a payment of 115.01 is above the amount due 115.00 on bill BILL-0001"),
        ("0", "amount: a payment must be more than 0, got 0.00"),
        ("-5", "amount: a payment must be more than 0, got -5.00"),
        ("1.001", "amount: at most 2 decimal places, got 1.001; round it first"),
    ],
    ids=["above-due", "zero", "negative", "three-dp"],
)  # fmt: skip
def test_bad_payments_are_refused(amount: str, message: str) -> None:
    bill = bill_in("approved")
    with pytest.raises(DomainError) as raised:
        bill.apply_payment(Decimal(amount))
    assert str(raised.value) == message
    assert (bill.status, bill.amount_paid, bill.version) == ("approved", Decimal("0.00"), 3)


def test_removing_more_than_was_paid_is_refused() -> None:
    bill = bill_in("partially_paid")
    with pytest.raises(InvalidDocument) as raised:
        bill.remove_payment(Decimal("20.00"))
    assert str(raised.value) == (
        "amount: a removed payment must be more than 0 and at most the 15.00 paid, got 20.00"
    )


def test_submit_needs_a_due_date() -> None:
    bill = new_bill(due_date=None)
    with pytest.raises(InvalidDocument) as raised:
        bill.submit()
    assert str(raised.value) == (
        "due_date: a submitted bill needs a due date; set due_date, then submit"
    )
    assert bill.status.value == "draft"


def test_approval_needs_a_due_date_and_accounts() -> None:
    bill = new_bill()
    bill.submit()
    bill.edit(due_date=None)
    with pytest.raises(InvalidDocument) as raised:
        bill.approve()
    assert str(raised.value) == "due_date: an approved bill needs a due date"
    bill.edit(due_date=MARCH_31, lines=[line(), line(account_code=None)])
    with pytest.raises(InvalidDocument) as raised:
        bill.approve()
    assert str(raised.value) == (
        "lines[1].account_code: an approved bill needs an account on every line"
    )


def test_due_date_before_the_bill_date_is_refused() -> None:
    with pytest.raises(InvalidDocument) as raised:
        new_bill(due_date=MARCH_2.replace(day=1))
    assert str(raised.value) == (
        "due_date: must be on or after the date 2026-03-02, got 2026-03-01"
    )


def test_bill_from_a_finished_purchase_order_copies_it() -> None:
    po = purchase_order_in("approved")
    po.edit(
        shipping_cost=Decimal("10.00"),
        shipping_account_code="425",
        shipping_tax_type="INPUT2",
        shipping_tax_rate=Decimal(15),
    )
    po.finish()

    bill = Bill.from_purchase_order(po, date=MARCH_2, due_date=MARCH_31, invoice_number="S-1")

    assert bill.status == "draft"
    assert (bill.supplier_id, bill.purchase_order_id, bill.currency, bill.company_id) == (
        po.supplier_id,
        po.id,
        po.currency,
        po.company_id,
    )
    assert bill.lines == po.all_lines()
    assert bill.lines[-1].description == "Shipping"
    assert bill.total == po.total == Decimal("126.50")
    assert (bill.reference, bill.invoice_number) == ("PO-0001", "S-1")
    assert bill.events == []


@pytest.mark.parametrize(
    "status",
    ["draft", "submitted", "approved", "cancelled"],
    ids=["draft", "submitted", "approved", "cancelled"],
)
def test_bill_needs_a_finished_purchase_order(status: str) -> None:
    with pytest.raises(InvalidDocument) as raised:
        Bill.from_purchase_order(purchase_order_in(status), date=MARCH_2)
    assert str(raised.value) == (
        f"purchase_order_id: a bill is made from a finished purchase order; this one is {status}"
    )
