"""Checks before sending: stale accounts, tax rates, contacts, currencies, lock dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledgerlink.domain import (
    Account,
    AccountClass,
    Currency,
    ReferenceData,
    ReferenceStatus,
    Supplier,
    TaxRate,
    check_before_sending,
    check_imported,
)

from .conftest import COMPANY, MARCH_2, line, new_purchase_order

EXPENSE = Account(code="400", name="Office", type="EXPENSE", account_class=AccountClass.EXPENSE)
ARCHIVED = Account(
    code="410",
    name="Old costs",
    type="EXPENSE",
    account_class=AccountClass.EXPENSE,
    status=ReferenceStatus.ARCHIVED,
)
BANK = Account(code="090", name="Cheque", type="BANK", account_class=AccountClass.ASSET)
REVENUE = Account(code="200", name="Sales", type="REVENUE", account_class=AccountClass.REVENUE)
INPUT2 = TaxRate(
    name="GST on Expenses",
    tax_type="INPUT2",
    rate=Decimal(15),
    applies_to=frozenset({AccountClass.EXPENSE, AccountClass.ASSET}),
)
RETIRED = TaxRate(
    name="Old GST", tax_type="INPUT", rate=Decimal("12.5"), status=ReferenceStatus.ARCHIVED
)
REFERENCE = ReferenceData(
    accounts={a.code: a for a in (EXPENSE, ARCHIVED, BANK, REVENUE)},
    tax_rates={r.tax_type: r for r in (INPUT2, RETIRED)},
    currencies=frozenset({"NZD", "AUD"}),
)


def test_a_document_that_fits_has_no_problems() -> None:
    supplier = Supplier(company_id=COMPANY, name="Acme")
    assert check_before_sending(new_purchase_order(), REFERENCE, party=supplier) == ()


@pytest.mark.parametrize(
    ("changed_line", "field", "message"),
    [
        (line(account_code="999"), "lines[1].account_code",
         "Account code '999' is not a valid code for this document."),
        (line(account_code="410"), "lines[1].account_code",
         "Account code '410' has been archived, or has been deleted. Each line item must "
         "reference a valid account."),
        (line(account_code="090"), "lines[1].account_code",
         "Account code '090' is not a valid code for this document."),
        (line(tax_type="GST"), "lines[1].tax_type",
         "The TaxType code GST does not exist or cannot be used for this type of transaction."),
        (line(tax_type="INPUT"), "lines[1].tax_type",
         "The TaxType code INPUT does not exist or cannot be used for this type of transaction."),
        (line(account_code="200"), "lines[1].tax_type",
         "The TaxType code 'INPUT2' cannot be used with account code '200'."),
    ],
    ids=["unknown-account", "archived-account", "bank-account", "unknown-tax-type",
         "archived-tax-rate", "tax-not-for-account-class"],
)  # fmt: skip
def test_line_problems_in_xeros_words(changed_line: object, field: str, message: str) -> None:
    po = new_purchase_order(lines=[line(), changed_line])
    [problem] = check_before_sending(po, REFERENCE)
    assert (problem.field, problem.message) == (field, message)
    assert problem.fix


def test_every_problem_is_reported_at_once() -> None:
    po = new_purchase_order(
        lines=[line(account_code="410"), line(account_code="999", tax_type="GST")],
        currency=Currency("USD"),
        shipping_cost=Decimal("5.00"),
        shipping_account_code="090",
    )
    supplier = Supplier(company_id=COMPANY, name="Acme", active=False)
    problems = check_before_sending(po, REFERENCE, party=supplier)
    assert [p.field for p in problems] == [
        "supplier_id",
        "currency",
        "lines[0].account_code",
        "lines[1].account_code",
        "lines[1].tax_type",
        "shipping_account_code",
    ]
    assert problems[0].message.startswith("The contact with the specified contact details has")
    assert problems[0].fix == "restore Acme in Xero, or choose another supplier"
    assert (problems[1].message, problems[1].fix) == (
        "Organisation is not subscribed to currency USD",
        "add USD in Xero's currency settings, or use one of: AUD, NZD",
    )


@pytest.mark.parametrize(
    ("period", "year_end", "message"),
    [
        (MARCH_2, None, "The document date cannot be before the period lock date"),
        (MARCH_2 - dt.timedelta(days=1), None, None),
        (None, MARCH_2,
         "The document date cannot be before the end of the financial year lock date"),
        (dt.date(2026, 12, 31), dt.date(2025, 3, 31),
         "The document date cannot be before the period lock date"),
    ],
    ids=["on-the-period-lock-date", "after-the-lock-date", "on-the-year-end-lock-date",
         "period-after-year-end"],
)  # fmt: skip
def test_lock_dates(period: dt.date | None, year_end: dt.date | None, message: str | None) -> None:
    reference = ReferenceData(
        accounts=REFERENCE.accounts,
        tax_rates=REFERENCE.tax_rates,
        period_lock_date=period,
        end_of_year_lock_date=year_end,
    )
    problems = check_before_sending(new_purchase_order(), reference)
    assert [p.message for p in problems] == ([message] if message else [])
    assert all(p.field == "date" for p in problems)


def test_currencies_not_imported_are_not_checked() -> None:
    reference = ReferenceData(accounts=REFERENCE.accounts, tax_rates=REFERENCE.tax_rates)
    assert check_before_sending(new_purchase_order(currency=Currency("JPY")), reference) == ()


def test_accounts_and_tax_rates_not_imported_are_not_checked() -> None:
    order = new_purchase_order(lines=[line(account_code="999", tax_type="NOPE")])
    nothing = ReferenceData()
    assert [p.field for p in check_before_sending(order, nothing)] == [
        "lines[0].account_code",
        "lines[0].tax_type",
    ]
    assert check_imported(order, nothing) == ()
    assert [p.field for p in check_imported(order, REFERENCE)] == [
        "lines[0].account_code",
        "lines[0].tax_type",
    ]
