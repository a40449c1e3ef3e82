"""Lines: numbers as Decimal, tracking limits, tax rates copied from the catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ledgerlink.domain import (
    InvalidValue,
    Line,
    LineAmountType,
    TrackingRef,
    make_lines,
    with_tax_rates,
)


def test_numbers_given_as_text_or_int_become_decimals() -> None:
    line = Line(quantity="2.5", unit_price=3, tax_rate="15")  # type: ignore[arg-type]
    assert (line.quantity, line.unit_price, line.tax_rate) == (
        Decimal("2.5"),
        Decimal(3),
        Decimal(15),
    )
    assert line.amount == Decimal("7.50")
    assert line.tax(LineAmountType.EXCLUSIVE) == Decimal("1.13")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": 1.5}, "quantity: use a Decimal or a string such as '12.50', not float 1.5"),
        ({"quantity": "abc"}, "quantity: 'abc' is not a number"),
        ({"quantity": Decimal("NaN")}, "quantity: Decimal('NaN') is not a finite number"),
        ({"quantity": Decimal("1.00001")}, "quantity: at most 4 decimal places, got 1.00001"),
        ({"unit_price": Decimal("0.00001")}, "unit_price: at most 4 decimal places"),
        ({"unit_price": True}, "unit_price: use a Decimal or a string"),
        ({"discount_rate": Decimal(101)}, "discount_rate: a percentage from 0 to 100, got 101"),
        ({"discount_rate": Decimal(-1)}, "discount_rate: a percentage from 0 to 100, got -1"),
        ({"tax_rate": Decimal(-15)}, "tax_rate: may not be negative, got -15"),
        ({"description": "x" * 4001}, "description: at most 4000 characters, got 4001"),
        ({"tracking": "Region"}, "tracking: expected a list of (category, option) pairs"),
        ({"tracking": [("Region",)]}, "tracking[0]: expected a (category, option) pair"),
        ({"tracking": [("Region", " ")]}, "tracking[0].option: is required"),
        ({"tracking": [("Region", "East"), ("region", "West")]},
         "tracking[1].category: tracking category 'region' is given twice"),
        ({"tracking": [("A", "1"), ("B", "2"), ("C", "3")]},
         "tracking: a line takes at most 2 tracking options, got 3"),
    ],
    ids=["float", "junk", "nan", "quantity-5dp", "price-5dp", "bool", "discount-over-100",
         "discount-negative", "negative-tax-rate", "long-description", "tracking-string",
         "tracking-not-pair", "tracking-blank-option", "tracking-same-category-twice",
         "three-tracking-options"],
)  # fmt: skip
def test_bad_line_fields_are_named(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Line(**fields)
    assert str(raised.value).startswith(message)


def test_tracking_accepts_pairs_mappings_and_refs() -> None:
    line = Line(tracking=[("Region", "East"), {"category": "Department", "option": "Sales"}])  # type: ignore[arg-type]
    assert line.tracking == (TrackingRef("Region", "East"), TrackingRef("Department", "Sales"))


def test_make_lines_names_the_line_at_fault() -> None:
    with pytest.raises(InvalidValue) as raised:
        make_lines([Line(), {"quantity": "1"}, {"unit_price": "1.234567"}])
    assert str(raised.value).startswith("lines[2].unit_price: at most 4 decimal places")
    with pytest.raises(InvalidValue) as raised:
        make_lines([{"colour": "red"}])
    assert raised.value.field == "lines[0]"
    assert "colour" in raised.value.message
    with pytest.raises(InvalidValue, match=r"^lines\[0\]: expected a line, got int$"):
        make_lines([7])  # type: ignore[list-item]


def test_with_tax_rates_copies_the_effective_rate() -> None:
    lines = [Line(tax_type="INPUT2"), Line(), Line(tax_type="NONE", tax_rate=Decimal(9))]
    rated = with_tax_rates(lines, {"INPUT2": Decimal(15), "NONE": Decimal(0)})
    assert [line.tax_rate for line in rated] == [Decimal(15), None, Decimal(0)]
    with pytest.raises(InvalidValue) as raised:
        with_tax_rates([Line(), Line(tax_type="GST")], {"INPUT2": Decimal(15)})
    assert str(raised.value) == (
        "lines[1].tax_type: unknown tax type 'GST'; known tax types: INPUT2"
    )


def test_blank_codes_become_none() -> None:
    line = Line(account_code=" ", tax_type="", item_code=" PAPER ")
    assert (line.account_code, line.tax_type, line.item_code) == (None, None, "PAPER")
