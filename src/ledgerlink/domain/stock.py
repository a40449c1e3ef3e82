"""Stock takes: a tracked item counted on a day, and why.

A stock take says how many of a tracked item were counted; Xero's quantity on hand is
brought to that count by an inventory adjustment (``StockCounted`` reaches Xero). A stock
take is a fact, never edited: a recount is a new stock take.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Self
from uuid import UUID

from ledgerlink.domain._values import (
    check_date,
    check_limit,
    check_places,
    require_text,
    to_decimal,
)
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.events import StockCounted
from ledgerlink.domain.money import QUANTITY_PLACES

#: Xero keeps 255 characters of a document's number, where the reason goes.
REASON_MAX_LENGTH = 200


def refusal_of(item: Item) -> str | None:
    """Why ``item`` cannot be counted, or None when it can."""
    if not item.is_tracked_as_inventory:
        return (
            f"item {item.code} is not tracked as inventory: Xero keeps no quantity on hand "
            "for it, so there is nothing to adjust; track it (is_tracked_as_inventory with "
            "an inventory_asset_account_code) first, or leave it out of the count"
        )
    return None


@dataclass(kw_only=True, eq=False)
class StockTake(Aggregate):
    """``counted_quantity`` of item ``item_id`` counted on ``date``, for ``reason``.

    ``on_hand_in_xero`` and ``unit_cost`` are written when the adjustment is worked out
    (what Xero held then, and the cost per unit it moves at); ``adjustment`` is the
    difference Xero gets.
    """

    KIND: ClassVar[str] = "stock_take"
    LABEL: ClassVar[str] = "stock take"

    item_id: UUID
    date: dt.date
    counted_quantity: Decimal
    reason: str
    on_hand_in_xero: Decimal | None = None
    unit_cost: Decimal | None = None

    def __post_init__(self) -> None:
        self.date = check_date(self.date, "date")
        counted = check_limit(
            to_decimal(self.counted_quantity, "counted_quantity"), "counted_quantity"
        )
        self.counted_quantity = check_places(counted, QUANTITY_PLACES, "counted_quantity")
        if self.counted_quantity < 0:
            raise InvalidValue("counted_quantity", "must be 0 or more: it is what was counted")
        self.reason = require_text(self.reason, "reason", max_length=REASON_MAX_LENGTH)

    @property
    def adjustment(self) -> Decimal | None:
        """What Xero's quantity on hand moves by, once worked out."""
        if self.on_hand_in_xero is None:
            return None
        return self.counted_quantity - self.on_hand_in_xero

    @property
    def tag(self) -> str:
        """The short mark of this stock take on its Xero document (it is looked up by it)."""
        return f"ST-{self.id.hex[:10].upper()}"

    @classmethod
    def record(cls, *, company_id: UUID, item: Item, **fields: Any) -> Self:
        """A new stock take of ``item``, with the ``StockCounted`` event that sends it.

        Raises:
            InvalidValue: the item is not tracked as inventory (``item_id``), or a field is
                not valid.
        """
        refusal = refusal_of(item)
        if refusal is not None:
            raise InvalidValue("item_id", refusal)
        take = cls(company_id=company_id, item_id=item.id, **fields)
        take.version = 0
        take._bump(StockCounted)
        return take
