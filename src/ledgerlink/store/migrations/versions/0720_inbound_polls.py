"""Inbound polls: how far each company has read Xero's payments and other polled records.

Revision ID: 0720
Revises: 0600
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0720"
down_revision: str | Sequence[str] | None = "0600"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_polls",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("modified_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_inbound_polls_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "source", name=op.f("pk_inbound_polls")),
    )


def downgrade() -> None:
    op.drop_table("inbound_polls")
