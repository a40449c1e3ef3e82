"""Document lines as Xero ``LineItems``, with the company's defaults filled in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ledgerlink.domain.lines import Line
from xero_client import LineItem, LineItemTracking


@dataclass(frozen=True)
class LineDefaults:
    """What a line without an account or tax type gets.

    ``item_accounts`` maps an item code to its purchase account (used before
    ``account_code``); ``account_code`` and ``tax_type`` are the company's defaults.
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
        tracking=tuple(
            LineItemTracking(name=ref.category, option=ref.option) for ref in line.tracking
        ),
    )
