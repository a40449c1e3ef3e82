"""Money, rounding and document totals, computed exactly as Xero computes them.

Xero's rules (https://developer.xero.com/documentation/api/accounting/invoices):

* a line amount is ``quantity × unit price × (100 − discount%) / 100`` rounded to
  2 dp (the discount exists on sales documents only);
* tax is computed per line from that line amount and rounded to 2 dp, half away
  from zero, then the line taxes are summed (never tax on the summed amounts);
* ``Exclusive``: tax = amount × rate / 100, total = sub total + tax;
* ``Inclusive``: the line amount already holds the tax, tax = amount × rate /
  (100 + rate); total = Σ line amounts and sub total = total − tax;
* ``NoTax``: no tax at all.

Unit prices carry the company's rounding setting (Xero's ``unitdp``): 2 or 4 dp.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from ledgerlink.domain._values import check_places, to_decimal
from ledgerlink.domain.currencies import ACTIVE_CURRENCY_CODES
from ledgerlink.domain.errors import InvalidValue

MONEY_PLACES = 2
UNIT_DP_CHOICES = (2, 4)
MAX_UNIT_DP = 4
QUANTITY_PLACES = 4
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


class Currency(str):
    """An ISO 4217 currency code: three upper-case letters, e.g. ``Currency("NZD")``.

    A ``str`` subclass so that it stores and serialises as plain text.
    """

    __slots__ = ()

    def __new__(cls, code: object, field: str = "currency") -> Currency:
        if not isinstance(code, str) or len(code) != 3 or not code.isascii():
            raise InvalidValue(
                field, f"use a three-letter ISO 4217 code such as 'USD', got {code!r}"
            )
        if not (code.isalpha() and code.isupper()):
            raise InvalidValue(
                field,
                f"use a three-letter upper-case ISO 4217 code such as '{code.upper()}', "
                f"got {code!r}",
            )
        if code not in ACTIVE_CURRENCY_CODES:
            raise InvalidValue(
                field,
                f"{code!r} is not an active ISO 4217 currency code; use one such as 'USD', "
                "'EUR' or 'NZD'",
            )
        return super().__new__(cls, code)


def round_money(value: Decimal) -> Decimal:
    """Round to 2 dp, half away from zero (Xero's rounding): 0.005 → 0.01, −0.005 → −0.01."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: object, field: str = "amount") -> Decimal:
    """An amount of money: a Decimal with at most 2 dp, returned with exactly 2 dp."""
    amount = check_places(to_decimal(value, field), MONEY_PLACES, field)
    return amount.quantize(CENT)


def check_unit_dp(unit_dp: int, field: str = "unit_dp") -> int:
    """The company's rounding setting for unit prices must be 2 or 4 decimal places."""
    if isinstance(unit_dp, bool) or unit_dp not in UNIT_DP_CHOICES:
        raise InvalidValue(field, f"the unit price rounding must be 2 or 4 dp, got {unit_dp!r}")
    return unit_dp


def round_unit_price(value: Decimal, unit_dp: int) -> Decimal:
    """Round a unit price to the company's setting (2 or 4 dp), half away from zero."""
    check_unit_dp(unit_dp)
    return value.quantize(Decimal(1).scaleb(-unit_dp), rounding=ROUND_HALF_UP)


class LineAmountType(enum.StrEnum):
    """Whether line amounts exclude tax, include it, or carry none (Xero's ``LineAmountTypes``)."""

    EXCLUSIVE = "Exclusive"
    INCLUSIVE = "Inclusive"
    NO_TAX = "NoTax"


class TaxableLine(Protocol):
    """What ``compute_totals`` needs from a line (``ledgerlink.domain.Line`` has it)."""

    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def discount_rate(self) -> Decimal | None: ...
    @property
    def tax_type(self) -> str | None: ...
    @property
    def tax_rate(self) -> Decimal | None: ...


def line_amount(
    quantity: Decimal, unit_price: Decimal, discount_rate: Decimal | None = None
) -> Decimal:
    """``quantity × unit price × (100 − discount%) / 100`` rounded to 2 dp, half away from 0."""
    gross = quantity * unit_price
    if discount_rate:
        gross = gross * (HUNDRED - discount_rate) / HUNDRED
    return round_money(gross)


def line_tax(amount: Decimal, rate: Decimal, line_amount_type: LineAmountType) -> Decimal:
    """Tax on one line amount at ``rate`` percent, rounded to 2 dp half away from zero."""
    if line_amount_type is LineAmountType.NO_TAX or not rate:
        return ZERO
    if line_amount_type is LineAmountType.INCLUSIVE:
        return round_money(amount * rate / (HUNDRED + rate))
    return round_money(amount * rate / HUNDRED)


@dataclass(frozen=True, slots=True)
class LineTotal:
    """One line's amount (as entered: inclusive or exclusive) and its tax."""

    line_amount: Decimal
    tax_amount: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """A document's totals: ``total == sub_total + total_tax`` always holds.

    ``lines`` keeps each line's amount and tax; it takes no part in equality.
    """

    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    lines: tuple[LineTotal, ...] = field(default=(), compare=False)


def _rate_for(index: int, line: TaxableLine, tax_rates: Mapping[str, Decimal] | None) -> Decimal:
    if tax_rates is None or line.tax_type is None:
        return line.tax_rate or Decimal(0)
    try:
        return tax_rates[line.tax_type]
    except KeyError:
        known = ", ".join(sorted(tax_rates)) or "none imported"
        raise InvalidValue(
            f"lines[{index}].tax_type",
            f"unknown tax type {line.tax_type!r}; known tax types: {known}",
        ) from None


def compute_line_totals(
    lines: Iterable[TaxableLine],
    line_amount_type: LineAmountType,
    *,
    tax_rates: Mapping[str, Decimal] | None = None,
) -> tuple[LineTotal, ...]:
    """Amount and tax of every line, each rounded on its own as Xero does."""
    result = []
    for index, line in enumerate(lines):
        amount = line_amount(line.quantity, line.unit_price, line.discount_rate)
        rate = _rate_for(index, line, tax_rates)
        result.append(LineTotal(amount, line_tax(amount, rate, line_amount_type)))
    return tuple(result)


def compute_totals(
    lines: Iterable[TaxableLine],
    line_amount_type: LineAmountType,
    *,
    tax_rates: Mapping[str, Decimal] | None = None,
) -> Totals:
    """Sub total, tax and total of ``lines`` exactly as Xero computes them.

    Args:
        lines: the document's lines.
        line_amount_type: whether unit prices exclude tax, include it, or carry none.
        tax_rates: effective rate (percent) per tax type; when omitted each line's
            own ``tax_rate`` is used (a line without one carries no tax).

    Raises:
        InvalidValue: a line's tax type is missing from ``tax_rates``.
    """
    per_line = compute_line_totals(lines, line_amount_type, tax_rates=tax_rates)
    return totals_of(per_line, line_amount_type)


def totals_of(per_line: Sequence[LineTotal], line_amount_type: LineAmountType) -> Totals:
    """Sum already computed line totals into document totals."""
    amounts = sum((line.line_amount for line in per_line), ZERO)
    tax = sum((line.tax_amount for line in per_line), ZERO)
    if line_amount_type is LineAmountType.INCLUSIVE:
        return Totals(sub_total=amounts - tax, total_tax=tax, total=amounts, lines=tuple(per_line))
    return Totals(sub_total=amounts, total_tax=tax, total=amounts + tax, lines=tuple(per_line))
