"""Purchase orders, bills, sales invoices and credit notes.

Each document keeps its lines in a JSON column: lines belong to their document, are
always read and written with it, and are replaced as a whole. Totals are stored as
computed by the domain so lists can show them without reading the lines.
A document refers to parties of its own company only (composite foreign keys).
"""

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
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.schema import SchemaItem

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import RATE_PRECISION, RATE_SCALE, ExactDecimal, JsonDocument


def _document_columns() -> list[SchemaItem]:
    return [
        Column("id", Uuid, primary_key=True),
        Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        Column("version", Integer, nullable=False),
        Column("status", String(30), nullable=False),
        Column("number", String(255), nullable=True),
        Column("reference", String(255), nullable=True),
        Column("currency", String(3), nullable=False),
        Column("line_amount_type", String(20), nullable=False),
        Column("unit_dp", Integer, nullable=False),
        Column("lines", JsonDocument, nullable=False),
        Column("sub_total", ExactDecimal, nullable=False),
        Column("total_tax", ExactDecimal, nullable=False),
        Column("total", ExactDecimal, nullable=False),
        Column("date", Date, nullable=False),
        UniqueConstraint("company_id", "id"),
        Index(None, "company_id", "status"),
    ]


def _party_key(column: str, parties: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["company_id", column], [f"{parties}.company_id", f"{parties}.id"])


purchase_orders = Table(
    "purchase_orders",
    metadata,
    *_document_columns(),
    Column("supplier_id", Uuid, nullable=False),
    Column("delivery_date", Date, nullable=True),
    Column("shipping_cost", ExactDecimal, nullable=False),
    Column("shipping_account_code", String(10), nullable=True),
    Column("shipping_tax_type", String(50), nullable=True),
    Column("shipping_tax_rate", ExactDecimal(RATE_PRECISION, RATE_SCALE), nullable=True),
    Column("shipping_notes", Text, nullable=True),
    Column("attention", String(255), nullable=True),
    Column("telephone", String(50), nullable=True),
    Column("delivery_address", JsonDocument, nullable=True),
    Column("rejection_reason", Text, nullable=True),
    # Its bill is paid: Xero pays a purchase order through its bill.
    Column("paid", Boolean, nullable=False, server_default=false()),
    _party_key("supplier_id", "suppliers"),
    UniqueConstraint("company_id", "number"),
    Index(None, "supplier_id"),
)

bills = Table(
    "bills",
    metadata,
    *_document_columns(),
    Column("supplier_id", Uuid, nullable=False),
    Column("due_date", Date, nullable=True),
    Column("amount_paid", ExactDecimal, nullable=False),
    Column("invoice_number", String(255), nullable=True),
    Column("purchase_order_id", Uuid, nullable=True),
    _party_key("supplier_id", "suppliers"),
    ForeignKeyConstraint(
        ["company_id", "purchase_order_id"],
        ["purchase_orders.company_id", "purchase_orders.id"],
    ),
    UniqueConstraint("company_id", "number"),
    Index(None, "supplier_id"),
    Index(None, "purchase_order_id"),
)

sales_invoices = Table(
    "sales_invoices",
    metadata,
    *_document_columns(),
    Column("customer_id", Uuid, nullable=False),
    Column("due_date", Date, nullable=True),
    Column("amount_paid", ExactDecimal, nullable=False),
    _party_key("customer_id", "customers"),
    UniqueConstraint("company_id", "number"),
    Index(None, "customer_id"),
)

# A credit note's party is a supplier or a customer depending on its kind, so it has
# no foreign key; supplier credit note numbers are the suppliers' own and may repeat.
credit_notes = Table(
    "credit_notes",
    metadata,
    *_document_columns(),
    Column("kind", String(20), nullable=False),
    Column("party_id", Uuid, nullable=False),
    Column("amount_allocated", ExactDecimal, nullable=False),
    # What Xero allocated of it to documents that are not here.
    Column("allocated_in_xero", ExactDecimal, nullable=False),
    # What Xero paid out of it as refunds (payments of the credit note there).
    Column("refunded_in_xero", ExactDecimal, nullable=False),
    Column("credited_document_id", Uuid, nullable=True),
    Index(None, "company_id", "number"),
    Index(None, "party_id"),
)
