"""Payments and the part of each that goes to one bill or sales invoice."""

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import ExactDecimal

payments = Table(
    "payments",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("date", Date, nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("bank_account_code", String(50), nullable=False),
    Column("reference", String(255), nullable=True),
    Column("party_id", Uuid, nullable=True),
    Index(None, "company_id", "status"),
    Index(None, "party_id"),
)

# An allocation points at a bill or a sales invoice, hence no foreign key on document_id.
payment_allocations = Table(
    "payment_allocations",
    metadata,
    Column("payment_id", Uuid, ForeignKey("payments.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("document_id", Uuid, nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    UniqueConstraint("payment_id", "document_id"),
    Index(None, "document_id"),
)
