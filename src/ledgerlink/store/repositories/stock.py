"""Stock takes of tracked items."""

from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.stock import StockTake
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.tables import items, stock_takes

_FIELDS = ("item_id", "date", "counted_quantity", "reason", "on_hand_in_xero", "unit_cost")


class StockTakeRepository(AggregateRepository[StockTake]):
    table = stock_takes
    label = "stock take"
    references: ClassVar[dict[str, tuple[Table, str]]] = {"item_id": (items, "item")}

    def _to_row(self, aggregate: StockTake) -> dict[str, Any]:
        return {name: getattr(aggregate, name) for name in _FIELDS}

    def _from_row(self, row: RowMapping) -> StockTake:
        return StockTake(
            id=row["id"],
            company_id=row["company_id"],
            version=row["version"],
            **{name: row[name] for name in _FIELDS},
        )

    def _order(self) -> tuple[ColumnElement[Any], ...]:
        return (stock_takes.c.date.desc(), stock_takes.c.id)

    def note_adjustment(
        self, company_id: UUID, take_id: UUID, on_hand_in_xero: Decimal, unit_cost: Decimal
    ) -> None:
        """Keep what Xero held when the adjustment was worked out, and its unit cost (the
        adjustment is sent, and looked up, as worked out then)."""
        self._session.execute(
            stock_takes.update()
            .where(stock_takes.c.company_id == company_id, stock_takes.c.id == take_id)
            .values(on_hand_in_xero=on_hand_in_xero, unit_cost=unit_cost)
        )
        known = self._seen.get(take_id)
        if known is not None:
            known[0].on_hand_in_xero = on_hand_in_xero
            known[0].unit_cost = unit_cost
