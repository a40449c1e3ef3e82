"""Stock takes of tracked items."""

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Uuid

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import ExactDecimal

stock_takes = Table(
    "stock_takes",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("item_id", Uuid, ForeignKey("items.id", ondelete="RESTRICT"), nullable=False),
    Column("date", Date, nullable=False),
    Column("counted_quantity", ExactDecimal, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("on_hand_in_xero", ExactDecimal, nullable=True),
    Column("unit_cost", ExactDecimal, nullable=True),
    Index(None, "company_id", "item_id", "date"),
)
