"""Purchase orders, bills, sales invoices, credit notes, payments and their allocations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credit_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_amount_type", sa.String(length=20), nullable=False),
        sa.Column("unit_dp", sa.Integer(), nullable=False),
        sa.Column(
            "lines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "sub_total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total_tax",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "amount_allocated",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("credited_document_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_credit_notes_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_notes")),
        sa.UniqueConstraint("company_id", "id", name=op.f("uq_credit_notes_company_id_id")),
    )
    op.create_index(
        op.f("ix_credit_notes_company_id_number"),
        "credit_notes",
        ["company_id", "number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_credit_notes_company_id_status"),
        "credit_notes",
        ["company_id", "status"],
        unique=False,
    )
    op.create_index(op.f("ix_credit_notes_party_id"), "credit_notes", ["party_id"], unique=False)
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "amount",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("bank_account_code", sa.String(length=50), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_payments_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(
        op.f("ix_payments_company_id_status"), "payments", ["company_id", "status"], unique=False
    )
    op.create_index(op.f("ix_payments_party_id"), "payments", ["party_id"], unique=False)
    op.create_table(
        "payment_allocations",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column(
            "amount",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_allocations_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("payment_id", "position", name=op.f("pk_payment_allocations")),
        sa.UniqueConstraint(
            "payment_id", "document_id", name=op.f("uq_payment_allocations_payment_id_document_id")
        ),
    )
    op.create_index(
        op.f("ix_payment_allocations_document_id"),
        "payment_allocations",
        ["document_id"],
        unique=False,
    )
    op.create_table(
        "purchase_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_amount_type", sa.String(length=20), nullable=False),
        sa.Column("unit_dp", sa.Integer(), nullable=False),
        sa.Column(
            "lines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "sub_total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total_tax",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=True),
        sa.Column(
            "shipping_cost",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("shipping_account_code", sa.String(length=10), nullable=True),
        sa.Column("shipping_tax_type", sa.String(length=50), nullable=True),
        sa.Column(
            "shipping_tax_rate",
            sa.Numeric(precision=28, scale=10).with_variant(sa.String(length=40), "sqlite"),
            nullable=True,
        ),
        sa.Column("shipping_notes", sa.Text(), nullable=True),
        sa.Column("attention", sa.String(length=255), nullable=True),
        sa.Column("telephone", sa.String(length=50), nullable=True),
        sa.Column(
            "delivery_address",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "supplier_id"],
            ["suppliers.company_id", "suppliers.id"],
            name=op.f("fk_purchase_orders_company_id_suppliers"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_purchase_orders_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_orders")),
        sa.UniqueConstraint("company_id", "id", name=op.f("uq_purchase_orders_company_id_id")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_purchase_orders_company_id_number")
        ),
    )
    op.create_index(
        op.f("ix_purchase_orders_company_id_status"),
        "purchase_orders",
        ["company_id", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_purchase_orders_supplier_id"), "purchase_orders", ["supplier_id"], unique=False
    )
    op.create_table(
        "sales_invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_amount_type", sa.String(length=20), nullable=False),
        sa.Column("unit_dp", sa.Integer(), nullable=False),
        sa.Column(
            "lines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "sub_total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total_tax",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "amount_paid",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "customer_id"],
            ["customers.company_id", "customers.id"],
            name=op.f("fk_sales_invoices_company_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_sales_invoices_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_invoices")),
        sa.UniqueConstraint("company_id", "id", name=op.f("uq_sales_invoices_company_id_id")),
        sa.UniqueConstraint(
            "company_id", "number", name=op.f("uq_sales_invoices_company_id_number")
        ),
    )
    op.create_index(
        op.f("ix_sales_invoices_company_id_status"),
        "sales_invoices",
        ["company_id", "status"],
        unique=False,
    )
    op.create_index(
        op.f("ix_sales_invoices_customer_id"), "sales_invoices", ["customer_id"], unique=False
    )
    op.create_table(
        "bills",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("number", sa.String(length=255), nullable=True),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("line_amount_type", sa.String(length=20), nullable=False),
        sa.Column("unit_dp", sa.Integer(), nullable=False),
        sa.Column(
            "lines",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "sub_total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total_tax",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "total",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "amount_paid",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("invoice_number", sa.String(length=255), nullable=True),
        sa.Column("purchase_order_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "purchase_order_id"],
            ["purchase_orders.company_id", "purchase_orders.id"],
            name=op.f("fk_bills_company_id_purchase_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "supplier_id"],
            ["suppliers.company_id", "suppliers.id"],
            name=op.f("fk_bills_company_id_suppliers"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_bills_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bills")),
        sa.UniqueConstraint("company_id", "id", name=op.f("uq_bills_company_id_id")),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_bills_company_id_number")),
    )
    op.create_index(
        op.f("ix_bills_company_id_status"), "bills", ["company_id", "status"], unique=False
    )
    op.create_index(
        op.f("ix_bills_purchase_order_id"), "bills", ["purchase_order_id"], unique=False
    )
    op.create_index(op.f("ix_bills_supplier_id"), "bills", ["supplier_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_bills_supplier_id"), table_name="bills")
    op.drop_index(op.f("ix_bills_purchase_order_id"), table_name="bills")
    op.drop_index(op.f("ix_bills_company_id_status"), table_name="bills")
    op.drop_table("bills")
    op.drop_index(op.f("ix_sales_invoices_customer_id"), table_name="sales_invoices")
    op.drop_index(op.f("ix_sales_invoices_company_id_status"), table_name="sales_invoices")
    op.drop_table("sales_invoices")
    op.drop_index(op.f("ix_purchase_orders_supplier_id"), table_name="purchase_orders")
    op.drop_index(op.f("ix_purchase_orders_company_id_status"), table_name="purchase_orders")
    op.drop_table("purchase_orders")
    op.drop_index(op.f("ix_payment_allocations_document_id"), table_name="payment_allocations")
    op.drop_table("payment_allocations")
    op.drop_index(op.f("ix_payments_party_id"), table_name="payments")
    op.drop_index(op.f("ix_payments_company_id_status"), table_name="payments")
    op.drop_table("payments")
    op.drop_index(op.f("ix_credit_notes_party_id"), table_name="credit_notes")
    op.drop_index(op.f("ix_credit_notes_company_id_status"), table_name="credit_notes")
    op.drop_index(op.f("ix_credit_notes_company_id_number"), table_name="credit_notes")
    op.drop_table("credit_notes")
