"""Line and document totals, computed the way Xero computes them.

- Line amount = quantity × unit amount (unit amount to 2 dp, or 4 dp with `unitdp=4`),
  less `DiscountRate` percent, rounded half away from zero to 2 dp.
- Tax is worked out per line and rounded half away from zero to 2 dp, then summed.
  Exclusive lines add tax on top; Inclusive lines carry it inside
  (tax = amount × rate / (100 + rate)); NoTax lines carry none.
- A compound component is charged on the amount plus the simple components before it, so a
  rate's effective percentage is simple + compound × (100 + simple) / 100.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
UNIT_PLACES = {2: Decimal("0.01"), 4: Decimal("0.0001")}
EXCLUSIVE = "Exclusive"
INCLUSIVE = "Inclusive"
NO_TAX = "NoTax"
LINE_AMOUNT_TYPES = (EXCLUSIVE, INCLUSIVE, NO_TAX)
HUNDRED = Decimal(100)


def round_money(value: Decimal) -> Decimal:
    """Round to cents, half away from zero (Xero's rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_unit(value: Decimal, unit_dp: int) -> Decimal:
    """Round a unit price to 2 or 4 places, half away from zero."""
    return value.quantize(UNIT_PLACES[unit_dp], rounding=ROUND_HALF_UP)


def line_amount(quantity: Decimal, unit_amount: Decimal, discount_rate: Decimal | None) -> Decimal:
    """Quantity × unit amount, less the discount percentage, to cents."""
    gross = quantity * unit_amount
    if discount_rate:
        gross = gross * (HUNDRED - discount_rate) / HUNDRED
    return round_money(gross)


def line_tax(amount: Decimal, effective_rate: Decimal, line_amount_types: str) -> Decimal:
    """The tax on one line, rounded to cents."""
    if line_amount_types == NO_TAX or not effective_rate:
        return Decimal("0.00")
    if line_amount_types == INCLUSIVE:
        return round_money(amount * effective_rate / (HUNDRED + effective_rate))
    return round_money(amount * effective_rate / HUNDRED)


@dataclass(frozen=True)
class DocumentTotals:
    """What Xero reports on a document."""

    sub_total: Decimal
    total_tax: Decimal
    total: Decimal


def document_totals(
    line_amounts: list[Decimal], line_taxes: list[Decimal], line_amount_types: str
) -> DocumentTotals:
    """SubTotal, TotalTax and Total from the lines' amounts and taxes."""
    amounts = sum(line_amounts, Decimal("0.00"))
    tax = sum(line_taxes, Decimal("0.00")) if line_amount_types != NO_TAX else Decimal("0.00")
    if line_amount_types == INCLUSIVE:
        return DocumentTotals(sub_total=amounts - tax, total_tax=tax, total=amounts)
    return DocumentTotals(sub_total=amounts, total_tax=tax, total=amounts + tax)
