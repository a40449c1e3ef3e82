"""Refunds and store credit owed to customers.

Revision ID: 0004
Revises: 0201
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0201"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "amount",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("bank_account_code", sa.String(length=50), nullable=True),
        sa.Column("invoice_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "customer_id"],
            ["customers.company_id", "customers.id"],
            name=op.f("fk_refunds_company_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_refunds_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
    )
    op.create_index(op.f("ix_refunds_customer_id"), "refunds", ["customer_id"], unique=False)
    op.create_table(
        "store_credits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column(
            "amount",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "amount_used",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column("source_payment_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "customer_id"],
            ["customers.company_id", "customers.id"],
            name=op.f("fk_store_credits_company_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_store_credits_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_credits")),
    )
    op.create_index(
        op.f("ix_store_credits_customer_id_status"),
        "store_credits",
        ["customer_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_store_credits_customer_id_status"), table_name="store_credits")
    op.drop_table("store_credits")
    op.drop_index(op.f("ix_refunds_customer_id"), table_name="refunds")
    op.drop_table("refunds")
