"""`webhook_events`: what Xero reported changed, stored once, until the worker applies it."""

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import UtcDateTime

webhook_events = Table(
    "webhook_events",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("tenant_id", String(64), nullable=False),
    Column("category", String(40), nullable=False),
    Column("event_type", String(40), nullable=False),
    Column("resource_id", String(64), nullable=False),
    Column("event_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime, nullable=True),
    Column("note", String(500), nullable=True),
    UniqueConstraint(
        "tenant_id",
        "resource_id",
        "category",
        "event_type",
        "event_at",
        name="uq_webhook_events_once",
    ),
    Index(None, "processed_at", "company_id"),
)
