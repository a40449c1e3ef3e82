"""Document lines as Xero ``LineItems``, with the company's defaults filled in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ledgerlink.domain.lines import DESCRIPTION_MAX_LENGTH, Line
from xero_client import LineItem, LineItemTracking

#: Xero's tax type for "no tax" (``NONE``: "No GST", "Tax Exempt", "No VAT").
NO_TAX_TYPE = "NONE"


@dataclass(frozen=True)
class LineDefaults:
    """What a line without an account or tax type gets.

    ``item_accounts`` maps an item code to its account on this side (the purchase account
    for bills and orders, the sales account for invoices; used before ``account_code``);
    ``account_code`` and ``tax_type`` are the company's defaults. ``no_tax_type`` is sent
    for a line that carries no tax here: without a tax type Xero would charge the
    account's default tax, and its total would differ from ours.
    """

    account_code: str | None = None
    tax_type: str | None = None
    item_accounts: Mapping[str, str] = field(default_factory=dict)
    no_tax_type: str = NO_TAX_TYPE
    #: The Xero tracking category products' categories go to (sales lines only), the
    #: category of each item code that has one, and the options that tracking category
    #: has in Xero as imported, by their names folded to lower case (None: the tracking
    #: category is not imported).
    category_tracking: str | None = None
    item_categories: Mapping[str, str] = field(default_factory=dict)
    category_options: Mapping[str, str] | None = None

    def account_for(self, line: Line) -> str | None:
        """The line's account, else its item's purchase account, else the default."""
        if line.account_code:
            return line.account_code
        if line.item_code and self.item_accounts.get(line.item_code):
            return self.item_accounts[line.item_code]
        return self.account_code

    def category_of(self, line: Line) -> str | None:
        """The option the line gets in ``category_tracking`` from its product's category,
        or None (no such setting, no product category, or the line tracks it itself)."""
        wanted = self.category_tracking
        category = self.item_categories.get(line.item_code) if line.item_code else None
        if wanted is None or category is None:
            return None
        if any(ref.category.casefold() == wanted.casefold() for ref in line.tracking):
            return None
        return category

    def tracking_for(self, line: Line) -> tuple[LineItemTracking, ...]:
        """The line's tracking as Xero reads it, with its product's category option."""
        tracking = [LineItemTracking(name=ref.category, option=ref.option) for ref in line.tracking]
        category = self.category_of(line)
        if category is not None and self.category_tracking is not None:
            # Spelled as Xero has the option when it does.
            option = (self.category_options or {}).get(category.casefold(), category)
            tracking.append(LineItemTracking(name=self.category_tracking, option=option))
        return tuple(tracking)


def line_item(
    line: Line, defaults: LineDefaults, *, sign: int = 1, discounts: bool = True
) -> LineItem:
    """One line as Xero reads it; tracking goes by category and option name.

    Xero takes no quantity below 0, so a negative line goes as a negative unit price
    (its amount is the same: Xero's rounding is symmetric about 0). ``sign=-1`` turns
    the line round. Without ``discounts`` (Xero's credit notes take none) a discounted
    line goes as one unit of its discounted amount, which is the same amount to the cent.
    """
    quantity, unit_price = line.quantity, sign * line.unit_price
    description, discount = line.description, line.discount_rate or None
    if discount is not None and not discounts:
        quantity, unit_price, discount = Decimal(1), sign * line.amount, None
        description = _with_discount(line)
    if quantity < 0:
        quantity, unit_price = -quantity, -unit_price
    return LineItem(
        description=description or None,
        quantity=quantity,
        unit_amount=unit_price,
        item_code=line.item_code,
        account_code=defaults.account_for(line),
        tax_type=line.tax_type or defaults.tax_type or defaults.no_tax_type,
        discount_rate=discount,
        tracking=defaults.tracking_for(line),
    )


def line_items(
    lines: Iterable[Line], defaults: LineDefaults, *, sign: int = 1, discounts: bool = True
) -> tuple[LineItem, ...]:
    """Every line as Xero reads it; ``sign=-1`` turns them round (a negative invoice sent
    as a credit note: its totals are the invoice's turned round, to the cent)."""
    return tuple(line_item(line, defaults, sign=sign, discounts=discounts) for line in lines)


def _with_discount(line: Line) -> str:
    """The description of a discounted line sent as one unit: what the unit holds."""
    note = f"{line.quantity} × {line.unit_price} less {line.discount_rate} %"
    text = f"{line.description} ({note})" if line.description else note
    return text if len(text) <= DESCRIPTION_MAX_LENGTH else line.description


def places(value: Decimal) -> int:
    """Decimal places that carry information: ``1.50`` → 1."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def unitdp_for(lines: Iterable[Line]) -> int | None:
    """Xero's ``unitdp`` query parameter: 4 when a unit price has more than 2 dp, else None."""
    return 4 if any(places(line.unit_price) > 2 for line in lines) else None
