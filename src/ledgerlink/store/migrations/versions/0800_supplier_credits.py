"""Supplier credit: the rest of an overpayment or prepayment made to a supplier in Xero.

Revision ID: 0800
Revises: 0795
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0800"
down_revision: str | Sequence[str] | None = "0795"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite")


def upgrade() -> None:
    op.create_table(
        "supplier_credits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount_used", MONEY, nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("reference", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id", "supplier_id"],
            ["suppliers.company_id", "suppliers.id"],
            name=op.f("fk_supplier_credits_company_id_suppliers"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_supplier_credits_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier_credits")),
    )
    op.create_index(
        op.f("ix_supplier_credits_supplier_id_status"),
        "supplier_credits",
        ["supplier_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_supplier_credits_supplier_id_status"), table_name="supplier_credits")
    op.drop_table("supplier_credits")
