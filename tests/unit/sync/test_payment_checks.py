"""Checks before a payment is sent, against documents as Xero holds them: pure, no HTTP."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID, uuid4

from ledgerlink.domain.payments import Allocation, Payment
from ledgerlink.domain.preflight import ReferenceData
from ledgerlink.sync.export.payment_checks import (
    EXCEEDS_OUTSTANDING,
    NOT_AUTHORISED,
    Held,
    check_payment,
)
from ledgerlink.sync.export.payment_plan import PaymentAction, PaymentJob, Target
from xero_client import Account, Invoice

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
BANK = Account(code="090", type="BANK", status="ACTIVE")
NO_LOCKS = ReferenceData(accounts={}, tax_rates={})


def job(*amounts: str, currency: str = "NZD", account: str = "090") -> PaymentJob:
    documents = [uuid4() for _ in amounts]
    payment = Payment(
        company_id=COMPANY,
        date=dt.date(2026, 3, 10),
        amount=sum((Decimal(a) for a in amounts), Decimal(0)),
        currency=currency,
        bank_account_code=account,
        allocations=tuple(
            Allocation(document_id=d, amount=Decimal(a))
            for d, a in zip(documents, amounts, strict=True)
        ),
    )
    targets = tuple(Target(i, "bill", d, f"x-{n}") for n, (i, d) in enumerate(enumerate(documents)))
    return PaymentJob("payment", payment, (1,), PaymentAction.CREATE, targets)


def invoice(xero_id: str, due: str, status: str = "AUTHORISED", currency: str = "NZD") -> Invoice:
    return Invoice(
        invoice_id=xero_id, status=status, amount_due=Decimal(due), currency_code=currency
    )


def test_a_payment_within_what_is_due_passes_and_holds_its_amount() -> None:
    held = Held()

    verdict = check_payment(job("30.00"), {"x-0": invoice("x-0", "50.00")}, [BANK], NO_LOCKS, held)

    assert verdict.problems == () and verdict.waits_for is None
    assert held.due(invoice("x-0", "50.00")) == Decimal("20.00")


def test_two_payments_of_one_pass_on_one_bill_cannot_take_more_than_is_due() -> None:
    held, bills = Held(), {"x-0": invoice("x-0", "50.00")}

    first = check_payment(job("30.00"), bills, [BANK], NO_LOCKS, held)
    second = check_payment(job("30.00"), bills, [BANK], NO_LOCKS, held)

    assert first.problems == ()
    (problem,) = second.problems
    assert problem.field == "allocations[0].amount"
    assert (
        problem.message.startswith(EXCEEDS_OUTSTANDING) and "20.00 due in Xero" in problem.message
    )


def test_a_bill_in_another_currency_in_xero_is_refused_with_the_fix() -> None:
    bills = {"x-0": invoice("x-0", "50.00", currency="AUD")}

    (problem,) = check_payment(job("10.00"), bills, [BANK], NO_LOCKS, Held()).problems

    assert problem.field == "currency" and "AUD" in problem.message
    assert problem.fix == "record the payment in AUD, then retry"


def test_a_bill_still_draft_in_xero_makes_the_payment_wait_and_a_voided_one_fails() -> None:
    draft = check_payment(
        job("10.00"), {"x-0": invoice("x-0", "50.00", "DRAFT")}, [BANK], NO_LOCKS, Held()
    )
    voided = check_payment(
        job("10.00"), {"x-0": invoice("x-0", "50.00", "VOIDED")}, [BANK], NO_LOCKS, Held()
    )

    assert draft.problems == () and draft.waits_for is not None
    assert "DRAFT in Xero" in draft.waits_for
    (problem,) = voided.problems
    assert problem.message.startswith(NOT_AUTHORISED) and "VOIDED" in problem.message


def test_a_split_payment_is_held_only_when_every_part_passes() -> None:
    held = Held()
    bills = {"x-0": invoice("x-0", "50.00"), "x-1": invoice("x-1", "5.00")}

    verdict = check_payment(job("10.00", "10.00"), bills, [BANK], NO_LOCKS, held)

    assert [p.field for p in verdict.problems] == ["allocations[1].amount"]
    assert held.amounts == {}


def test_the_payment_account_and_the_lock_date_are_checked() -> None:
    sales = Account(code="200", type="REVENUE", status="ACTIVE")
    locked = ReferenceData(accounts={}, tax_rates={}, period_lock_date=dt.date(2026, 3, 31))

    verdict = check_payment(
        job("10.00", account="200"), {"x-0": invoice("x-0", "50.00")}, [BANK, sales], locked, Held()
    )

    assert [p.field for p in verdict.problems] == ["bank_account_code", "date"]
    assert "after 2026-03-31" in verdict.problems[1].fix
