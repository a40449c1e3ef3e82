"""Stock takes of tracked items: counted here, their difference sent to Xero.

Revision ID: 0760
Revises: 0730
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0760"
down_revision: str | Sequence[str] | None = "0750"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _quantity(name: str, nullable: bool) -> sa.Column[object]:
    return sa.Column(
        name,
        sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite"),
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "stock_takes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        _quantity("counted_quantity", nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        _quantity("on_hand_in_xero", nullable=True),
        _quantity("unit_cost", nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_stock_takes_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_stock_takes_item_id_items"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_takes")),
    )
    op.create_index(
        op.f("ix_stock_takes_company_id_item_id_date"),
        "stock_takes",
        ["company_id", "item_id", "date"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_stock_takes_company_id_item_id_date"), table_name="stock_takes")
    op.drop_table("stock_takes")
