"""Refunds and store credit owed to customers; credit held with suppliers."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import ExactDecimal


def _customer_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["company_id", "customer_id"], ["customers.company_id", "customers.id"]
    )


refunds = Table(
    "refunds",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("date", Date, nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("bank_account_code", String(50), nullable=True),
    Column("invoice_id", Uuid, nullable=True),
    Column("reason", Text, nullable=True),
    _customer_key(),
    Index(None, "customer_id"),
)

# `status` is "open" while some credit is left and "used" after; kept as a column
# because amounts are text on SQLite and cannot be compared there.
store_credits = Table(
    "store_credits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("customer_id", Uuid, nullable=False),
    Column("date", Date, nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_used", ExactDecimal, nullable=False),
    Column("source_payment_id", Uuid, nullable=True),
    _customer_key(),
    Index(None, "customer_id", "status"),
)

# Credit held with a supplier, made from an overpayment or prepayment in Xero. `status`
# is "open", "used" or "voided", kept as a column for the same reason as above.
supplier_credits = Table(
    "supplier_credits",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("supplier_id", Uuid, nullable=False),
    Column("source", String(20), nullable=False),
    Column("date", Date, nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_used", ExactDecimal, nullable=False),
    Column("voided", Boolean, nullable=False),
    Column("reference", String(255), nullable=True),
    ForeignKeyConstraint(["company_id", "supplier_id"], ["suppliers.company_id", "suppliers.id"]),
    Index(None, "supplier_id", "status"),
)
