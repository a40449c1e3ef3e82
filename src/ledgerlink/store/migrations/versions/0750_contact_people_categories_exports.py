"""Customers' contact people, products' categories, and one-time export jobs.

Revision ID: 0750
Revises: 0730
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0750"
down_revision: str | Sequence[str] | None = "0730"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("customers", sa.Column("contact_people", _json(), nullable=True))
    op.add_column("items", sa.Column("category", sa.String(length=100), nullable=True))
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("cursor", _json(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("linked", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("already", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("failures", _json(), nullable=False),
        sa.Column("api_calls", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("resume_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_export_jobs_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_jobs")),
    )
    op.create_index(
        op.f("ix_export_jobs_company_id_created_at"), "export_jobs", ["company_id", "created_at"]
    )
    op.create_index(op.f("ix_export_jobs_state"), "export_jobs", ["state"])


def downgrade() -> None:
    op.drop_index(op.f("ix_export_jobs_state"), table_name="export_jobs")
    op.drop_index(op.f("ix_export_jobs_company_id_created_at"), table_name="export_jobs")
    op.drop_table("export_jobs")
    # Dropped in place (SQLite 3.35+ drops a plain column without copying the table, so
    # the documents that refer to customers and items are left alone).
    op.drop_column("items", "category")
    op.drop_column("customers", "contact_people")
