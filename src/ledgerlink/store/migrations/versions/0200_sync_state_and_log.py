"""Sync state per document, sync log, parked organisations.

Revision ID: 0200
Revises: 0100
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0200"
down_revision: str | Sequence[str] | None = "0100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONEY = sa.Numeric(precision=19, scale=4).with_variant(sa.String(length=40), "sqlite")


def upgrade() -> None:
    op.create_table(
        "sync_states",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("synced_version", sa.Integer(), nullable=True),
        sa.Column("xero_id", sa.String(length=64), nullable=True),
        sa.Column("xero_status", sa.String(length=20), nullable=True),
        sa.Column("in_flight_key", sa.String(length=128), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("fix", sa.Text(), nullable=True),
        sa.Column("total_ours", _MONEY, nullable=True),
        sa.Column("total_xero", _MONEY, nullable=True),
        sa.Column("total_mismatch", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'sent', 'failed', 'resolved')",
            name=op.f("ck_sync_states_sync_state"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_sync_states_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", "kind", "document_id", name=op.f("pk_sync_states")),
    )
    op.create_index(op.f("ix_sync_states_company_id_state"), "sync_states", ["company_id", "state"])
    op.create_table(
        "sync_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("fix", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_sync_log_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_log")),
    )
    op.create_index(
        op.f("ix_sync_log_company_id_kind_document_id"),
        "sync_log",
        ["company_id", "kind", "document_id"],
    )
    op.create_table(
        "sync_parks",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("parked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_sync_parks_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_sync_parks")),
    )


def downgrade() -> None:
    op.drop_table("sync_parks")
    op.drop_index(op.f("ix_sync_log_company_id_kind_document_id"), table_name="sync_log")
    op.drop_table("sync_log")
    op.drop_index(op.f("ix_sync_states_company_id_state"), table_name="sync_states")
    op.drop_table("sync_states")
