"""Links between records here and their counterparts in a Xero organisation.

Kept apart from the domain tables: the domain knows nothing of Xero ids.
"""

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint, Uuid

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import UtcDateTime

xero_links = Table(
    "xero_links",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("entity_id", String(64), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("xero_id", String(64), nullable=False),
    Column("xero_number", String(255), nullable=True),
    Column("synced_version", Integer, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("tenant_id", "kind", "xero_id"),
)
