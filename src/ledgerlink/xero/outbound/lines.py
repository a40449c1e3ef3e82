"""Document lines as Xero ``LineItems``, with the company's defaults filled in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ledgerlink.domain.lines import Line
from xero_client import LineItem, LineItemTracking


@dataclass(frozen=True)
class LineDefaults:
    """What a line without an account or tax type gets.

    ``item_accounts`` maps an item code to its account on this side (the purchase account
    for bills and orders, the sales account for invoices; used before ``account_code``);
    ``account_code`` and ``tax_type`` are the company's defaults.
    """

    account_code: str | None = None
    tax_type: str | None = None
    item_accounts: Mapping[str, str] = field(default_factory=dict)

    def account_for(self, line: Line) -> str | None:
        """The line's account, else its item's purchase account, else the default."""
        if line.account_code:
            return line.account_code
        if line.item_code and self.item_accounts.get(line.item_code):
            return self.item_accounts[line.item_code]
        return self.account_code


def line_item(line: Line, defaults: LineDefaults) -> LineItem:
    """One line as Xero reads it; tracking goes by category and option name."""
    return LineItem(
        description=line.description or None,
        quantity=line.quantity,
        unit_amount=line.unit_price,
        item_code=line.item_code,
        account_code=defaults.account_for(line),
        tax_type=line.tax_type or defaults.tax_type,
        discount_rate=line.discount_rate or None,
        tracking=tuple(
            LineItemTracking(name=ref.category, option=ref.option) for ref in line.tracking
        ),
    )


def line_items(
    lines: Iterable[Line], defaults: LineDefaults, *, sign: int = 1
) -> tuple[LineItem, ...]:
    """Every line as Xero reads it; ``sign=-1`` turns the quantities round (a negative
    invoice sent as a credit note: Xero's rounding is symmetric, so totals turn round too).
    """
    items = (line_item(line, defaults) for line in lines)
    if sign == 1:
        return tuple(items)
    return tuple(replace(item, quantity=-(item.quantity or Decimal(0))) for item in items)


def places(value: Decimal) -> int:
    """Decimal places that carry information: ``1.50`` → 1."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def unitdp_for(lines: Iterable[Line]) -> int | None:
    """Xero's ``unitdp`` query parameter: 4 when a unit price has more than 2 dp, else None."""
    return 4 if any(places(line.unit_price) > 2 for line in lines) else None
