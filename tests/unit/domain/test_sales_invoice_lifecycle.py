"""Every sales invoice transition, and the $0 and negative invoices the model holds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from ledgerlink.domain import InvalidDocument, SalesInvoice

from .conftest import check_allowed, check_refused, invoice_in, line, new_invoice

STATUSES = ["draft", "issued", "partially_paid", "paid", "voided"]
LABEL = {s: s.replace("_", " ") for s in STATUSES}

ACTIONS: dict[str, Callable[[SalesInvoice], object]] = {
    "issue": SalesInvoice.issue,
    "void": SalesInvoice.void,
    "pay": lambda invoice: invoice.apply_payment(Decimal("15.00")),
    "remove a payment from": lambda invoice: invoice.remove_payment(Decimal("15.00")),
    "edit": lambda invoice: invoice.edit(reference="Job 42"),
}

ALLOWED: dict[tuple[str, str], tuple[str, str | None]] = {
    ("draft", "issue"): ("issued", "DocumentApproved"),
    ("draft", "void"): ("voided", None),
    ("draft", "edit"): ("draft", None),
    ("issued", "void"): ("voided", "DocumentCancelled"),
    ("issued", "pay"): ("partially_paid", "PaymentApplied"),
    ("issued", "edit"): ("issued", "DocumentEdited"),
    ("partially_paid", "pay"): ("partially_paid", "PaymentApplied"),
    ("partially_paid", "remove a payment from"): ("issued", "PaymentRemoved"),
    ("paid", "remove a payment from"): ("partially_paid", "PaymentRemoved"),
}

ALLOWED_FROM = {
    "issue": "draft",
    "void": "draft, issued",
    "pay": "issued, partially paid",
    "remove a payment from": "partially paid, paid",
    "edit": "draft, issued",
}

REFUSED = [(s, a) for s in STATUSES for a in ACTIONS if (s, a) not in ALLOWED]


@pytest.mark.parametrize(("status", "action"), list(ALLOWED), ids=[f"{s}-{a}" for s, a in ALLOWED])
def test_allowed_transition(status: str, action: str) -> None:
    new_status, event = ALLOWED[(status, action)]
    check_allowed(invoice_in(status), ACTIONS[action], new_status, event)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_refused_transition(status: str, action: str) -> None:
    check_refused(
        invoice_in(status),
        ACTIONS[action],
        f"cannot {action} a sales invoice that is {LABEL[status]}; "
        f"allowed from: {ALLOWED_FROM[action]}",
    )


def test_issue_needs_accounts_and_a_due_date() -> None:
    invoice = new_invoice(lines=[line(account_code=None)])
    with pytest.raises(InvalidDocument) as raised:
        invoice.issue()
    assert str(raised.value) == (
        "lines[0].account_code: an issued sales invoice needs an account on every line"
    )
    invoice.edit(lines=[line()], due_date=None)
    with pytest.raises(InvalidDocument, match=r"^due_date: an issued sales invoice needs a due"):
        invoice.issue()


def test_sales_lines_take_discounts_and_negative_quantities() -> None:
    invoice = new_invoice(
        lines=[
            line(quantity=Decimal(3), unit_price=Decimal("10.00"), discount_rate=Decimal("12.5")),
            line(quantity=Decimal(-1), unit_price=Decimal("6.25")),
        ]
    )
    # 26.25 − 6.25 = 20.00; tax 3.94 (3.9375) − 0.94 (0.9375) = 3.00.
    assert (invoice.totals.sub_total, invoice.totals.total_tax, invoice.total) == (
        Decimal("20.00"),
        Decimal("3.00"),
        Decimal("23.00"),
    )


def test_a_zero_invoice_is_held_and_issued() -> None:
    invoice = new_invoice(lines=[line(unit_price=Decimal("0.00"))])
    invoice.issue()
    assert invoice.is_zero and not invoice.is_negative
    assert (invoice.status, invoice.amount_due) == ("issued", Decimal("0.00"))


def test_a_negative_invoice_is_held_but_takes_no_payment() -> None:
    invoice = new_invoice(lines=[line(quantity=Decimal(-1), unit_price=Decimal("40.00"))])
    invoice.issue()
    assert invoice.is_negative and invoice.total == Decimal("-46.00")
    with pytest.raises(InvalidDocument) as raised:
        invoice.apply_payment(Decimal("1.00"))
    assert str(raised.value) == (
        "amount: a sales invoice with a negative total (-46.00) takes no payments; "
        "refund the customer instead"
    )


def test_payment_above_the_amount_due_names_the_invoice() -> None:
    invoice = invoice_in("partially_paid")
    with pytest.raises(InvalidDocument) as raised:
        invoice.apply_payment(Decimal("100.01"))
    assert str(raised.value) == (
        "amount: a payment of 100.01 is above the amount due 100.00 on sales invoice INV-0001"
    )


def test_edit_once_paid_is_refused_but_before_is_sent() -> None:
    invoice = invoice_in("issued")
    invoice.replace_lines([line(quantity=Decimal(1), account_code="200")])
    assert invoice.total == Decimal("57.50")
    assert invoice.events[-1].name == "DocumentEdited"
