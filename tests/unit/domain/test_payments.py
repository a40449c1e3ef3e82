"""Payments: full, partial, split over several documents, overpaid into store credit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledgerlink.domain import (
    Allocation,
    Currency,
    InvalidDocument,
    InvalidTransition,
    InvalidValue,
    PayableDocument,
    Payment,
    Refund,
    StoreCredit,
    allocate_in_order,
    settle,
    unsettle,
)

from .conftest import COMPANY, CUSTOMER, MARCH_2, OTHER_COMPANY, bill_in, invoice_in, new_invoice


def payment(total: str, *allocations: tuple[PayableDocument, str], **extra: Any) -> Payment:
    fields: dict[str, Any] = {
        "company_id": COMPANY,
        "date": MARCH_2,
        "amount": Decimal(total),
        "currency": Currency("NZD"),
        "bank_account_code": "090",
        "allocations": tuple(
            Allocation(document_id=doc.id, amount=Decimal(part)) for doc, part in allocations
        ),
    }
    fields.update(extra)
    return Payment.record(**fields)


def by_id(*documents: PayableDocument) -> dict[UUID, PayableDocument]:
    return {d.id: d for d in documents}


def test_a_full_payment_pays_the_invoice_and_is_sent_to_xero() -> None:
    invoice = invoice_in("issued")
    paid = payment("115.00", (invoice, "115.00"), reference="Bank 4411")
    settle(paid, by_id(invoice))
    assert invoice.status == "paid"
    assert [(e.name, e.kind, e.version, e.reaches_xero) for e in paid.events] == [
        ("PaymentRecorded", "payment", 1, True)
    ]
    assert (paid.unallocated, paid.is_split, paid.store_credit(CUSTOMER)) == (
        Decimal("0.00"),
        False,
        None,
    )


def test_several_partial_payments() -> None:
    bill = bill_in("approved")
    for amount, status in [("50.00", "partially_paid"), ("60.00", "partially_paid"),
                           ("5.00", "paid")]:  # fmt: skip
        settle(payment(amount, (bill, amount)), by_id(bill))
        assert bill.status == status
    assert bill.amount_paid == Decimal("115.00")


def test_a_split_payment_settles_several_invoices() -> None:
    first, second = invoice_in("issued"), invoice_in("partially_paid")
    split = payment("215.00", (first, "115.00"), (second, "100.00"))
    settle(split, by_id(first, second))
    assert split.is_split
    assert (first.status, second.status) == ("paid", "paid")
    assert second.events[-1].payment_id == split.id  # type: ignore[attr-defined]


def test_an_overpayment_leaves_store_credit() -> None:
    invoice = invoice_in("issued")
    overpaid = payment("150.00", (invoice, "115.00"))
    settle(overpaid, by_id(invoice))
    credit = overpaid.store_credit(CUSTOMER)
    assert credit is not None
    assert (credit.amount, credit.currency, credit.source_payment_id, credit.remaining) == (
        Decimal("35.00"),
        "NZD",
        overpaid.id,
        Decimal("35.00"),
    )
    # The credit stays here: only the applied part reaches Xero, as the payment.
    assert credit.events == []


def test_store_credit_is_used_on_a_later_invoice() -> None:
    credit = StoreCredit.record(
        company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2, amount=Decimal("35.00"),
        currency=Currency("NZD"),
    )  # fmt: skip
    later = new_invoice()
    credit.use(Decimal("20.00"), target_id=later.id)
    assert (credit.remaining, credit.version) == (Decimal("15.00"), 2)
    assert credit.events[-1].name == "CreditAllocated"
    with pytest.raises(InvalidDocument) as raised:
        credit.use(Decimal("15.01"), target_id=later.id)
    assert str(raised.value) == (
        "amount: store credit used must be more than 0 and at most the 15.00 left, got 15.01"
    )


def test_settle_is_all_or_nothing() -> None:
    first, second = invoice_in("issued"), invoice_in("partially_paid")
    too_much = payment("300.00", (first, "115.00"), (second, "100.01"))
    with pytest.raises(InvalidDocument) as raised:
        settle(too_much, by_id(first, second))
    assert str(raised.value) == (
        "allocations[1].amount: 100.01 is above the amount due 100.00 on the sales invoice"
    )
    assert (first.status, first.amount_paid) == ("issued", Decimal("0.00"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: invoice_in("draft"),
         "allocations[0].document_id: the sales invoice is draft; payments go to issued or "
         "partially paid ones"),
        (lambda: bill_in("cancelled"),
         "allocations[0].document_id: the bill is cancelled; payments go to approved or "
         "partially paid ones"),
        (lambda: new_invoice(currency=Currency("AUD")),
         "allocations[0].document_id: the payment is in NZD but the sales invoice is in AUD"),
        (lambda: new_invoice(company_id=OTHER_COMPANY),
         "allocations[0].document_id: no bill or invoice"),
    ],
    ids=["draft-invoice", "cancelled-bill", "other-currency", "other-company"],
)  # fmt: skip
def test_settle_refuses_documents_that_cannot_take_the_payment(make: Any, message: str) -> None:
    document = make()
    with pytest.raises(InvalidDocument) as raised:
        settle(payment("1.00", (document, "1.00")), by_id(document))
    assert str(raised.value).startswith(message)


def test_settle_names_a_missing_document() -> None:
    invoice = invoice_in("issued")
    with pytest.raises(InvalidDocument) as raised:
        settle(payment("1.00", (invoice, "1.00")), {})
    assert str(raised.value) == f"allocations[0].document_id: no bill or invoice {invoice.id}"


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"amount": Decimal(0)}, InvalidValue, "amount: must be more than 0, got 0.00"),
        ({"amount": Decimal("10.00"),
          "allocations": (Allocation(document_id=CUSTOMER, amount=Decimal("6.00")),
                          Allocation(document_id=COMPANY, amount=Decimal("5.00")))},
         InvalidDocument,
         "allocations: the allocations add up to 11.00, above the payment's 10.00"),
        ({"allocations": (Allocation(document_id=CUSTOMER, amount=Decimal("1.00")),) * 2},
         InvalidDocument,
         f"allocations[1].document_id: document {CUSTOMER} is allocated twice; merge the amounts"),
        ({"bank_account_code": " "}, InvalidValue,
         "bank_account_code: is required and may not be blank"),
        ({"currency": "nzd"}, InvalidValue, "currency: use a three-letter upper-case ISO 4217"),
    ],
    ids=["zero", "over-allocated", "same-document-twice", "no-bank-account", "bad-currency"],
)  # fmt: skip
def test_inconsistent_payments_are_refused(
    fields: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        payment("100.00", **fields)
    assert str(raised.value).startswith(message)


def test_allocation_amounts_are_above_zero() -> None:
    with pytest.raises(InvalidValue, match=r"^amount: must be more than 0, got -1.00$"):
        Allocation(document_id=CUSTOMER, amount=Decimal(-1))


def test_allocate_in_order_fills_oldest_first_and_returns_the_rest() -> None:
    paid, first, draft, second = (
        invoice_in("paid"), invoice_in("partially_paid"), invoice_in("draft"), invoice_in("issued")
    )  # fmt: skip
    allocations, rest = allocate_in_order(Decimal("250.00"), [paid, first, draft, second])
    assert [(a.document_id, a.amount) for a in allocations] == [
        (first.id, Decimal("100.00")),
        (second.id, Decimal("115.00")),
    ]
    assert rest == Decimal("35.00")
    allocations, rest = allocate_in_order(Decimal("50.00"), [first, second])
    assert [(a.document_id, a.amount) for a in allocations] == [(first.id, Decimal("50.00"))]
    assert rest == Decimal("0.00")


def test_a_payment_deleted_in_xero_comes_off_its_documents() -> None:
    first, second = bill_in("approved"), bill_in("approved")
    split = payment("130.00", (first, "115.00"), (second, "15.00"))
    settle(split, by_id(first, second))
    split.delete(from_xero=True)
    unsettle(split, by_id(first, second))
    assert (first.status, second.status, split.status) == ("approved", "approved", "deleted")
    assert [e.name for e in split.events] == ["PaymentRecorded"]
    with pytest.raises(InvalidTransition, match="cannot delete a payment that is deleted"):
        split.delete()


def test_a_payment_deleted_here_is_deleted_in_xero() -> None:
    paid = payment("1.00")
    paid.delete()
    assert [e.name for e in paid.events] == ["PaymentRecorded", "DocumentCancelled"]


def test_unsettle_is_all_or_nothing() -> None:
    first, second = bill_in("approved"), bill_in("approved")
    settle(payment("20.00", (first, "20.00")), by_id(first))
    wrong = payment("40.00", (first, "20.00"), (second, "20.00"))
    with pytest.raises(InvalidDocument) as raised:
        unsettle(wrong, by_id(first, second))
    assert str(raised.value) == "allocations[1].amount: 20.00 is above the 0.00 paid on the bill"
    assert first.amount_paid == Decimal("20.00")


def test_a_refund_is_recorded_for_xero() -> None:
    refund = Refund.record(
        company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2, amount=Decimal("12.00"),
        currency=Currency("NZD"), reason=" Damaged ",
    )  # fmt: skip
    assert (refund.reason, refund.version) == ("Damaged", 1)
    assert [(e.name, e.kind) for e in refund.events] == [("CreditRecorded", "refund")]
    with pytest.raises(InvalidValue, match=r"^amount: must be more than 0, got 0.00$"):
        Refund.record(
            company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2, amount=Decimal(0),
            currency=Currency("NZD"),
        )  # fmt: skip
