"""Stock takes: only of tracked items, a count of 0 or more, with a reason; the adjustment
is the count less what Xero held."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import uuid4

import pytest

from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.events import StockCounted
from ledgerlink.domain.stock import StockTake

COMPANY = uuid4()


def item(tracked: bool = True) -> Item:
    extra = {"inventory_asset_account_code": "630"} if tracked else {}
    return Item(company_id=COMPANY, code="KETTLE", name="Kettle",
                is_tracked_as_inventory=tracked, **extra)  # fmt: skip


def take(**fields: object) -> StockTake:
    values: dict[str, object] = {"date": dt.date(2026, 3, 2), "counted_quantity": "4",
                                 "reason": "Count", **fields}  # fmt: skip
    return StockTake.record(company_id=COMPANY, item=item(), **values)


def test_a_stock_take_raises_the_event_that_sends_it() -> None:
    counted = take()
    [event] = counted.pull_events()
    assert isinstance(event, StockCounted)
    assert (event.kind, event.document_id, event.sent_to_xero) == ("stock_take", counted.id, True)


def test_an_untracked_item_is_refused_naming_the_item_and_the_fix() -> None:
    with pytest.raises(InvalidValue) as refused:
        StockTake.record(company_id=COMPANY, item=item(tracked=False), date=dt.date(2026, 3, 2),
                         counted_quantity=Decimal(1), reason="Count")  # fmt: skip
    assert refused.value.field == "item_id"
    assert "KETTLE is not tracked as inventory" in str(refused.value)


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"counted_quantity": "-1"}, "counted_quantity"), ({"counted_quantity": "1.00001"},
     "counted_quantity"), ({"reason": "  "}, "reason"), ({"reason": "x" * 201}, "reason")],
)  # fmt: skip
def test_a_bad_count_or_reason_is_refused_by_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        take(**fields)
    assert refused.value.field == field


def test_the_adjustment_is_the_count_less_what_xero_held() -> None:
    counted = take(counted_quantity="2.5")
    assert counted.adjustment is None
    counted.on_hand_in_xero = Decimal(4)
    assert counted.adjustment == Decimal("-1.5")
    assert counted.tag == f"ST-{counted.id.hex[:10].upper()}"
