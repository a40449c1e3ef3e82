"""Properties of Xero's rounding rules, checked over generated lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledgerlink.domain import (
    InvalidValue,
    Line,
    LineAmountType,
    TaxComponent,
    compute_totals,
    effective_rate,
    line_amount,
    line_tax,
    round_money,
    round_unit_price,
)
from ledgerlink.domain.money import check_unit_dp
from tests.properties import DERANDOMIZE, EXAMPLES

PROPERTY = settings(max_examples=EXAMPLES, derandomize=DERANDOMIZE, deadline=None)

quantities = st.decimals(min_value="0.0001", max_value="10000", places=4)
prices_4dp = st.decimals(min_value="-100000", max_value="100000", places=4)
rates = st.sampled_from([Decimal(0), Decimal("2.5"), Decimal(5), Decimal("12.5"), Decimal(15),
                         Decimal(20), Decimal("15.47375"), Decimal("9.975")])  # fmt: skip
discounts = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
amount_types = st.sampled_from(list(LineAmountType))


@st.composite
def lines(draw: st.DrawFn) -> Line:
    return Line(
        description="generated",
        quantity=draw(quantities),
        unit_price=draw(prices_4dp),
        tax_rate=draw(rates),
        discount_rate=draw(discounts),
    )


line_lists = st.lists(lines(), max_size=12)


def _reference_round(value: Decimal) -> Decimal:
    """Half away from zero, by integer arithmetic on hundredths (independent of quantize)."""
    scaled = abs(value) * 100
    whole = int(scaled)
    if scaled - whole >= Decimal("0.5"):
        whole += 1
    cents = Decimal(whole) / 100
    return (cents if value >= 0 else -cents).quantize(Decimal("0.01"))


@PROPERTY
@given(st.decimals(min_value="-1000000", max_value="1000000", places=6))
def test_rounding_is_half_away_from_zero_for_any_sign(value: Decimal) -> None:
    assert round_money(value) == _reference_round(value)
    assert round_money(-value) == -round_money(value)


@PROPERTY
@given(line_lists, amount_types)
def test_total_is_sub_total_plus_tax(items: list[Line], amount_type: LineAmountType) -> None:
    totals = compute_totals(items, amount_type)
    assert totals.total == totals.sub_total + totals.total_tax


@PROPERTY
@given(line_lists, amount_types)
def test_tax_is_the_sum_of_per_line_taxes_each_2dp(
    items: list[Line], amount_type: LineAmountType
) -> None:
    totals = compute_totals(items, amount_type)
    assert all(t.tax_amount.as_tuple().exponent == -2 for t in totals.lines)
    assert all(t.line_amount.as_tuple().exponent == -2 for t in totals.lines)
    assert totals.total_tax == sum((t.tax_amount for t in totals.lines), Decimal("0.00"))
    for item, line_total in zip(items, totals.lines, strict=True):
        exact = line_total.line_amount * (item.tax_rate or 0) / 100
        if amount_type is LineAmountType.INCLUSIVE:
            exact = line_total.line_amount * (item.tax_rate or 0) / (100 + (item.tax_rate or 0))
        if amount_type is LineAmountType.NO_TAX:
            exact = Decimal(0)
        assert abs(line_total.tax_amount - exact) <= Decimal("0.005")


@PROPERTY
@given(line_lists)
def test_inclusive_total_is_the_sum_of_line_amounts(items: list[Line]) -> None:
    totals = compute_totals(items, LineAmountType.INCLUSIVE)
    assert totals.total == sum((item.amount for item in items), Decimal("0.00"))
    assert totals.sub_total == totals.total - totals.total_tax


@PROPERTY
@given(line_lists)
def test_exclusive_sub_total_is_the_sum_of_line_amounts(items: list[Line]) -> None:
    totals = compute_totals(items, LineAmountType.EXCLUSIVE)
    assert totals.sub_total == sum((item.amount for item in items), Decimal("0.00"))


@PROPERTY
@given(line_lists)
def test_no_tax_has_no_tax(items: list[Line]) -> None:
    totals = compute_totals(items, LineAmountType.NO_TAX)
    assert totals.total_tax == 0
    assert totals.total == totals.sub_total


@PROPERTY
@given(quantities, prices_4dp, discounts)
def test_line_amount_is_the_exact_product_rounded_once(
    quantity: Decimal, price: Decimal, discount: Decimal | None
) -> None:
    exact = quantity * price * (100 - (discount or 0)) / 100
    assert line_amount(quantity, price, discount) == _reference_round(exact)


@PROPERTY
@given(st.decimals(min_value="-100000", max_value="100000", places=2), rates)
def test_negative_amounts_mirror_positive_ones(amount: Decimal, rate: Decimal) -> None:
    for amount_type in LineAmountType:
        assert line_tax(-amount, rate, amount_type) == -line_tax(amount, rate, amount_type)


@PROPERTY
@given(st.decimals(min_value="-100000", max_value="100000", places=8))
def test_unit_prices_round_to_the_company_setting(value: Decimal) -> None:
    two = round_unit_price(value, 2)
    four = round_unit_price(value, 4)
    assert two.as_tuple().exponent == -2
    assert four.as_tuple().exponent == -4
    assert abs(four - value) <= Decimal("0.00005")
    assert round_unit_price(-value, 4) == -four


@pytest.mark.parametrize("unit_dp", [0, 1, 3, 5, True], ids=["0", "1", "3", "5", "bool"])
def test_unit_price_rounding_setting_is_2_or_4(unit_dp: int) -> None:
    with pytest.raises(InvalidValue, match=r"^unit_dp: the unit price rounding must be 2 or 4"):
        check_unit_dp(unit_dp)


component_rates = st.decimals(min_value=0, max_value=30, places=4)


@PROPERTY
@given(
    st.lists(component_rates, max_size=3),
    st.lists(component_rates, max_size=2),
    st.decimals(min_value="-100000", max_value="100000", places=2),
)
def test_a_compound_component_is_charged_on_the_amount_plus_the_others_tax(
    simple: list[Decimal], compound: list[Decimal], amount: Decimal
) -> None:
    components = [TaxComponent(name=f"S{i}", rate=r) for i, r in enumerate(simple)] + [
        TaxComponent(name=f"C{i}", rate=r, is_compound=True) for i, r in enumerate(compound)
    ]
    simple_tax = sum((amount * r / 100 for r in simple), Decimal(0))
    compound_tax = sum(((amount + simple_tax) * r / 100 for r in compound), Decimal(0))
    rate = effective_rate(components)
    assert amount * rate / 100 == simple_tax + compound_tax
    assert line_tax(amount, rate, LineAmountType.EXCLUSIVE) == round_money(
        simple_tax + compound_tax
    )
