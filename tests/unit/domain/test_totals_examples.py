"""Totals worked out by hand the way Xero computes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledgerlink.domain import (
    InvalidValue,
    Line,
    LineAmountType,
    TaxComponent,
    TaxRate,
    Totals,
    compute_totals,
    line_amount,
    line_tax,
    round_money,
)

EXCLUSIVE = LineAmountType.EXCLUSIVE
INCLUSIVE = LineAmountType.INCLUSIVE
NO_TAX = LineAmountType.NO_TAX


def _line(quantity: str, price: str, rate: str | None = None, discount: str | None = None) -> Line:
    return Line(
        description="x",
        quantity=Decimal(quantity),
        unit_price=Decimal(price),
        tax_rate=None if rate is None else Decimal(rate),
        discount_rate=None if discount is None else Decimal(discount),
    )


@pytest.mark.parametrize(
    ("lines", "amount_type", "expected"),
    [
        # 3 × 33.335 = 100.005 → 100.01 (half away from zero); 15 % of it = 15.0015 → 15.00.
        ([_line("3", "33.335", "15")], EXCLUSIVE, ("100.01", "15.00", "115.01")),
        # 15 % inside 100.00: 100 × 15 / 115 = 13.0434… → 13.04.
        ([_line("1", "100.00", "15")], INCLUSIVE, ("86.96", "13.04", "100.00")),
        # Tax per line, then summed: 3 × round(0.015) = 0.06, not round(0.045) = 0.05.
        ([_line("1", "0.10", "15")] * 3, EXCLUSIVE, ("0.30", "0.06", "0.36")),
        # Inclusive per line: 0.11 × 15/115 = 0.01434… → 0.01 each, 0.03 in all.
        ([_line("1", "0.11", "15")] * 3, INCLUSIVE, ("0.30", "0.03", "0.33")),
        ([_line("2", "49.99", "15")], NO_TAX, ("99.98", "0.00", "99.98")),
        # Discounts: 3 × 10.00 less 12.5 % = 26.25; 9.99 less 10 % = 8.991 → 8.99.
        ([_line("3", "10.00", "0", "12.5")], EXCLUSIVE, ("26.25", "0.00", "26.25")),
        ([_line("1", "9.99", "0", "10")], EXCLUSIVE, ("8.99", "0.00", "8.99")),
        # A credit-like negative line rounds away from zero too: −100.005 → −100.01.
        ([_line("3", "-33.335", "15")], EXCLUSIVE, ("-100.01", "-15.00", "-115.01")),
        ([_line("1", "100.00", "15"), _line("1", "-0.01", "15")], EXCLUSIVE,
         ("99.99", "15.00", "114.99")),
        ([], EXCLUSIVE, ("0.00", "0.00", "0.00")),
        # Compound: GST 5 % + QST 9.975 % on top → 15.47375 % of 100.00 = 15.47.
        ([_line("1", "100.00", "15.47375")], EXCLUSIVE, ("100.00", "15.47", "115.47")),
        # 4 dp quantity and unit price: 1.5 × 2.3333 = 3.49995 → 3.50.
        ([_line("1.5", "2.3333", "0")], EXCLUSIVE, ("3.50", "0.00", "3.50")),
    ],
    ids=[
        "3x33.335-4dp-exclusive",
        "inclusive-15pc-of-100",
        "tax-rounded-per-line-exclusive",
        "tax-rounded-per-line-inclusive",
        "no-tax",
        "discount-12.5pc",
        "discount-rounds-line",
        "negative-line-rounds-away-from-zero",
        "mixed-signs",
        "no-lines",
        "compound-effective-rate",
        "4dp-quantity",
    ],
)  # fmt: skip
def test_totals_match_xero(
    lines: list[Line], amount_type: LineAmountType, expected: tuple[str, str, str]
) -> None:
    totals = compute_totals(lines, amount_type)
    assert (totals.sub_total, totals.total_tax, totals.total) == tuple(map(Decimal, expected))
    assert {totals.sub_total.as_tuple().exponent, totals.total_tax.as_tuple().exponent} == {-2}


def test_totals_keep_each_lines_amount_and_tax() -> None:
    totals = compute_totals([_line("3", "33.335", "15"), _line("1", "0.10", "15")], EXCLUSIVE)
    assert [(t.line_amount, t.tax_amount) for t in totals.lines] == [
        (Decimal("100.01"), Decimal("15.00")),
        (Decimal("0.10"), Decimal("0.02")),
    ]


def test_tax_rates_by_tax_type_override_the_lines_own_rate() -> None:
    lines = [
        Line(quantity=Decimal(1), unit_price=Decimal("200.00"), tax_type="OUTPUT2"),
        Line(quantity=Decimal(1), unit_price=Decimal("50.00"), tax_type="ZERORATED"),
        Line(quantity=Decimal(1), unit_price=Decimal("10.00")),
    ]
    rates = {"OUTPUT2": Decimal(15), "ZERORATED": Decimal(0)}
    assert compute_totals(lines, EXCLUSIVE, tax_rates=rates) == Totals(
        sub_total=Decimal("260.00"),
        total_tax=Decimal("30.00"),
        total=Decimal("290.00"),
    )


def test_unknown_tax_type_names_the_line_and_the_known_types() -> None:
    lines = [_line("1", "1.00"), Line(quantity=Decimal(1), unit_price=Decimal(1), tax_type="GST")]
    with pytest.raises(InvalidValue) as raised:
        compute_totals(lines, EXCLUSIVE, tax_rates={"INPUT2": Decimal(15), "NONE": Decimal(0)})
    assert raised.value.field == "lines[1].tax_type"
    assert str(raised.value) == (
        "lines[1].tax_type: unknown tax type 'GST'; known tax types: INPUT2, NONE"
    )


def test_compound_tax_rate_from_components_applies_as_one_rate_per_line() -> None:
    quebec = TaxRate.from_components(
        name="GST + QST",
        tax_type="TAX003",
        components=[
            TaxComponent(name="GST", rate=Decimal(5)),
            TaxComponent(name="QST", rate=Decimal("9.975"), is_compound=True),
        ],
    )
    assert quebec.rate == Decimal("15.47375")
    assert line_tax(Decimal("100.00"), quebec.rate, EXCLUSIVE) == Decimal("15.47")
    # One rate per line, not each component rounded on its own (1.67 + 3.49 = 5.16):
    assert line_tax(Decimal("33.30"), quebec.rate, EXCLUSIVE) == Decimal("5.15")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("0.015", "0.02"),
        ("-0.015", "-0.02"),
        ("0.0049", "0.00"),
        ("-0.0049", "0.00"),
        ("2.675", "2.68"),
        ("1.005", "1.01"),
    ],
    ids=["half-up", "half-down-negative", "odd-half", "odd-half-negative", "below-half",
         "below-half-negative", "binary-float-trap", "binary-float-trap-2"],
)  # fmt: skip
def test_round_money_is_half_away_from_zero(value: str, expected: str) -> None:
    assert round_money(Decimal(value)) == Decimal(expected)


def test_line_amount_applies_discount_before_rounding() -> None:
    assert line_amount(Decimal(3), Decimal("3.335"), Decimal(10)) == Decimal("9.00")
    assert line_amount(Decimal(3), Decimal("3.335")) == Decimal("10.01")


def test_no_tax_ignores_rates() -> None:
    assert line_tax(Decimal("100.00"), Decimal(15), NO_TAX) == Decimal("0.00")
