"""Suppliers and customers: the same shape, one table each."""

from sqlalchemy import (
    Boolean,
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
from ledgerlink.store.tables.types import JsonDocument


def _party_table(name: str, *extra: Column[object]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("name", String(255), nullable=False),
        Column("contact_number", String(50), nullable=True),
        Column("email", String(255), nullable=True),
        Column("phone", String(50), nullable=True),
        Column("address", JsonDocument, nullable=True),
        Column("currency", String(3), nullable=True),
        Column("tax_number", String(50), nullable=True),
        Column("active", Boolean, nullable=False),
        *extra,
        # Lets documents refer to a party of their own company only.
        UniqueConstraint("company_id", "id"),
        Index(None, "company_id", "name"),
        Index(None, "company_id", "contact_number"),
    )


suppliers = _party_table("suppliers")
# A customer's contact people (Syncro's end users), in order: a list of objects.
customers = _party_table("customers", Column("contact_people", JsonDocument, nullable=True))
