"""Suppliers, customers, accounts, tax rates, tracking categories and items.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("account_class", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tax_type", sa.String(length=50), nullable=True),
        sa.Column("xero_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_accounts_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "code", name=op.f("pk_accounts")),
    )
    op.create_index(
        op.f("ix_accounts_company_id_status"), "accounts", ["company_id", "status"], unique=False
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("contact_number", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column(
            "address",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("tax_number", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_customers_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("company_id", "id", name=op.f("uq_customers_company_id_id")),
    )
    op.create_index(
        op.f("ix_customers_company_id_contact_number"),
        "customers",
        ["company_id", "contact_number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_customers_company_id_name"), "customers", ["company_id", "name"], unique=False
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("purchase_description", sa.Text(), nullable=True),
        sa.Column(
            "purchase_price",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=True,
        ),
        sa.Column("purchase_account_code", sa.String(length=10), nullable=True),
        sa.Column("purchase_tax_type", sa.String(length=50), nullable=True),
        sa.Column(
            "sales_price",
            sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
            nullable=True,
        ),
        sa.Column("sales_account_code", sa.String(length=10), nullable=True),
        sa.Column("sales_tax_type", sa.String(length=50), nullable=True),
        sa.Column("is_tracked_as_inventory", sa.Boolean(), nullable=False),
        sa.Column("inventory_asset_account_code", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_items_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
        sa.UniqueConstraint("company_id", "code", name=op.f("uq_items_company_id_code")),
    )
    op.create_index(op.f("ix_items_company_id_name"), "items", ["company_id", "name"], unique=False)
    op.create_table(
        "suppliers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("contact_number", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column(
            "address",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("tax_number", sa.String(length=50), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_suppliers_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppliers")),
        sa.UniqueConstraint("company_id", "id", name=op.f("uq_suppliers_company_id_id")),
    )
    op.create_index(
        op.f("ix_suppliers_company_id_contact_number"),
        "suppliers",
        ["company_id", "contact_number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_suppliers_company_id_name"), "suppliers", ["company_id", "name"], unique=False
    )
    op.create_table(
        "tax_rates",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("tax_type", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column(
            "rate",
            sa.Numeric(precision=28, scale=10).with_variant(sa.String(length=40), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "components",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "applies_to",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_tax_rates_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "tax_type", name=op.f("pk_tax_rates")),
    )
    op.create_index(
        op.f("ix_tax_rates_company_id_status"), "tax_rates", ["company_id", "status"], unique=False
    )
    op.create_table(
        "tracking_categories",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "options",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("xero_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_tracking_categories_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "name", name=op.f("pk_tracking_categories")),
    )
    op.create_index(
        op.f("ix_tracking_categories_company_id_status"),
        "tracking_categories",
        ["company_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_tracking_categories_company_id_status"), table_name="tracking_categories"
    )
    op.drop_table("tracking_categories")
    op.drop_index(op.f("ix_tax_rates_company_id_status"), table_name="tax_rates")
    op.drop_table("tax_rates")
    op.drop_index(op.f("ix_suppliers_company_id_name"), table_name="suppliers")
    op.drop_index(op.f("ix_suppliers_company_id_contact_number"), table_name="suppliers")
    op.drop_table("suppliers")
    op.drop_index(op.f("ix_items_company_id_name"), table_name="items")
    op.drop_table("items")
    op.drop_index(op.f("ix_customers_company_id_name"), table_name="customers")
    op.drop_index(op.f("ix_customers_company_id_contact_number"), table_name="customers")
    op.drop_table("customers")
    op.drop_index(op.f("ix_accounts_company_id_status"), table_name="accounts")
    op.drop_table("accounts")
