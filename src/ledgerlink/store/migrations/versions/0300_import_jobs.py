"""Imports from Xero: jobs, incremental refresh marks, contact details kept from Xero.

Revision ID: 0300
Revises: 0200
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0300"
down_revision: str | Sequence[str] | None = "0200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _company_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["company_id"],
        ["companies.id"],
        name=op.f(f"fk_{table}_company_id_companies"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("xero_ids", _json(), nullable=False),
        sa.Column("search", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("cursor", _json(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("skips", _json(), nullable=False),
        sa.Column("errors", _json(), nullable=False),
        sa.Column("api_calls", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("resume_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _company_fk("import_jobs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(
        op.f("ix_import_jobs_company_id_created_at"),
        "import_jobs",
        ["company_id", "created_at"],
        unique=False,
    )
    op.create_index(op.f("ix_import_jobs_state"), "import_jobs", ["state"], unique=False)
    op.create_table(
        "import_refreshes",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("modified_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        _company_fk("import_refreshes"),
        sa.PrimaryKeyConstraint("company_id", "kind", name=op.f("pk_import_refreshes")),
    )
    op.create_table(
        "imported_contact_details",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("details", _json(), nullable=False),
        _company_fk("imported_contact_details"),
        sa.PrimaryKeyConstraint(
            "company_id", "kind", "party_id", name=op.f("pk_imported_contact_details")
        ),
    )


def downgrade() -> None:
    op.drop_table("imported_contact_details")
    op.drop_table("import_refreshes")
    op.drop_index(op.f("ix_import_jobs_state"), table_name="import_jobs")
    op.drop_index(op.f("ix_import_jobs_company_id_created_at"), table_name="import_jobs")
    op.drop_table("import_jobs")
