"""The domain's own bounds on the values it takes, whatever path they come by (API, CLI,
imports): text it can store, numbers Xero and the store hold, codes and dates Xero takes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ledgerlink.domain import (
    Currency,
    InvalidValue,
    Item,
    Line,
    Payment,
    PurchaseOrder,
    Refund,
    Supplier,
    TaxRate,
    money,
)
from ledgerlink.domain.limits import storable_text, text_problem

from .conftest import COMPANY, MARCH_2, SUPPLIER, line


def order(**fields: Any) -> PurchaseOrder:
    values: dict[str, Any] = {"company_id": COMPANY, "supplier_id": SUPPLIER, "date": MARCH_2,
                              "currency": "NZD", "lines": [line()]}  # fmt: skip
    return PurchaseOrder(**{**values, **fields})


@pytest.mark.parametrize("text", ["\ud800", "Pa\udfffper", "Pa\x00per"])
def test_a_line_description_that_cannot_be_stored_is_refused(text: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        order(lines=[{"description": text, "quantity": "1"}])
    assert refused.value.field == "lines[0].description"


@pytest.mark.parametrize("text", ["\ud800", "Acme\x00"])
def test_names_numbers_and_references_refuse_unstorable_text(text: str) -> None:
    with pytest.raises(InvalidValue, match="name"):
        Supplier(company_id=COMPANY, name=text)
    with pytest.raises(InvalidValue, match="number"):
        order(number=text)
    with pytest.raises(InvalidValue, match="reference"):
        order(reference=text)
    with pytest.raises(InvalidValue, match="tax_type"):
        TaxRate(name="GST", tax_type=text, rate=Decimal(15))


def test_text_with_no_limit_of_its_own_is_bounded() -> None:
    with pytest.raises(InvalidValue, match="at most 4000 characters"):
        order(shipping_notes="n" * 4001)
    assert order(shipping_notes="n" * 4000).shipping_notes == "n" * 4000


def test_unstorable_text_is_named_and_can_be_shown_safely() -> None:
    assert text_problem("plain ünïcödé") is None
    assert "NUL" in (text_problem("a\x00b") or "")
    assert "lone surrogate" in (text_problem("a\ud800b") or "")
    assert storable_text("a\x00b\ud800") == "a\ufffdb\ufffd"


@pytest.mark.parametrize("value", ["1e30", "1e999999", "9" * 5000, "9" * 26, "-1e12"])
@pytest.mark.parametrize("field", ["quantity", "unit_price"])
def test_a_huge_quantity_or_price_is_refused_by_name(field: str, value: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Line(**{field: value})
    assert refused.value.field == field
    assert "below 1,000,000,000,000 (10^12)" in refused.value.message
    assert len(refused.value.message) < 200  # a 5000-digit value is not echoed whole


@pytest.mark.parametrize("value", ["1e30", Decimal("1E+999999"), 10**12])
def test_a_huge_amount_of_money_is_refused(value: Any) -> None:
    with pytest.raises(InvalidValue, match="amount: must be below"):
        money(value)


def test_a_huge_shipping_cost_and_payment_amount_are_refused() -> None:
    with pytest.raises(InvalidValue, match="shipping_cost"):
        order(shipping_cost="1e30")
    with pytest.raises(InvalidValue, match="amount"):
        Payment(company_id=COMPANY, date=MARCH_2, amount="1e30", currency="NZD",
                bank_account_code="090")  # fmt: skip


def test_the_largest_amounts_below_the_bound_are_kept() -> None:
    assert money("999999999999.99") == Decimal("999999999999.99")
    assert Line(quantity="999999999999.9999").quantity == Decimal("999999999999.9999")


def test_a_line_amount_and_a_total_beyond_the_bound_are_refused() -> None:
    with pytest.raises(InvalidValue, match=r"unit_price: the line amount \(quantity × unit"):
        Line(quantity="1000000", unit_price="1000000")
    with pytest.raises(InvalidValue, match="lines: the total must be below"):
        order(lines=[line(quantity="1", unit_price="999999999999", tax_rate=None)] * 2)


@pytest.mark.parametrize("code", ["XXX", "XAU", "ABC", "XTS"])
def test_a_currency_must_be_an_active_iso_4217_code(code: str) -> None:
    with pytest.raises(InvalidValue, match="not an active ISO 4217 currency code"):
        Currency(code)


@pytest.mark.parametrize("code", ["NZD", "USD", "EUR", "JPY", "XOF", "AUD", "GBP"])
def test_active_currencies_are_accepted(code: str) -> None:
    assert Currency(code) == code


@pytest.mark.parametrize(
    "date", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31), dt.date(2100, 1, 1)]
)
def test_dates_outside_xeros_range_are_refused_saying_the_range(date: dt.date) -> None:
    with pytest.raises(InvalidValue, match="date: must be from 1900-01-01 to 2099-12-31"):
        order(date=date)
    with pytest.raises(InvalidValue, match="delivery_date"):
        order(date=dt.date(1900, 1, 1), delivery_date=date)
    with pytest.raises(InvalidValue, match="date"):
        Payment(company_id=COMPANY, date=date, amount="1", currency="NZD",
                bank_account_code="090")  # fmt: skip


@pytest.mark.parametrize("code", ["0" * 11, "0" * 1_000_000, "09 0", "09\t0", "09\x000"])
def test_account_codes_are_xeros_at_most_10_characters_without_spaces(code: str) -> None:
    with pytest.raises(InvalidValue, match="bank_account_code"):
        Payment(company_id=COMPANY, date=MARCH_2, amount="1", currency="NZD",
                bank_account_code=code)  # fmt: skip
    with pytest.raises(InvalidValue, match="bank_account_code"):
        Refund(company_id=COMPANY, customer_id=SUPPLIER, date=MARCH_2, amount="1",
               currency="NZD", bank_account_code=code)  # fmt: skip
    with pytest.raises(InvalidValue, match="account_code"):
        Line(account_code=code)
    with pytest.raises(InvalidValue, match="purchase_account_code"):
        Item(company_id=COMPANY, code="P1", name="Paper", purchase_account_code=code)
