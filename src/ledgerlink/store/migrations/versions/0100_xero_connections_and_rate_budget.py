"""Xero connections (encrypted tokens), pending consents, and the shared rate budget.

Revision ID: 0100
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0100"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "xero_connections",
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=True),
        sa.Column("tenant_name", sa.String(length=255), nullable=True),
        sa.Column("connection_id", sa.String(length=64), nullable=True),
        sa.Column("auth_event_id", sa.String(length=64), nullable=True),
        sa.Column("scopes", sa.String(length=1000), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("choices", _JSON, nullable=False),
        sa.Column("connected_by", sa.Uuid(), nullable=True),
        sa.Column("problem", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('choosing', 'connected', 'needs_reconnect')",
            name=op.f("ck_xero_connections_connection_status"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_xero_connections_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_xero_connections")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_xero_connections_tenant_id")),
    )
    op.create_table(
        "xero_oauth_states",
        sa.Column("state_hash", sa.String(length=64), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("code_verifier", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_xero_oauth_states_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("state_hash", name=op.f("pk_xero_oauth_states")),
    )
    op.create_index(op.f("ix_xero_oauth_states_company_id"), "xero_oauth_states", ["company_id"])
    op.create_table(
        "xero_rate_budgets",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("day_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day_count", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_by", sa.String(length=20), nullable=True),
        sa.Column("parked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minute_remaining", sa.Integer(), nullable=True),
        sa.Column("day_remaining", sa.Integer(), nullable=True),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_xero_rate_budgets")),
    )
    op.create_table(
        "xero_rate_calls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xero_rate_calls")),
    )
    op.create_index(
        op.f("ix_xero_rate_calls_tenant_id_started_at"),
        "xero_rate_calls",
        ["tenant_id", "started_at"],
    )
    op.create_index(op.f("ix_xero_rate_calls_started_at"), "xero_rate_calls", ["started_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_xero_rate_calls_started_at"), table_name="xero_rate_calls")
    op.drop_index(op.f("ix_xero_rate_calls_tenant_id_started_at"), table_name="xero_rate_calls")
    op.drop_table("xero_rate_calls")
    op.drop_table("xero_rate_budgets")
    op.drop_index(op.f("ix_xero_oauth_states_company_id"), table_name="xero_oauth_states")
    op.drop_table("xero_oauth_states")
    op.drop_table("xero_connections")
