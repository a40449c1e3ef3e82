"""A company's connection to its Xero organisation, pending consents, and the rate budget.

Tokens are kept only encrypted (`tokens` holds a Fernet token of the access and refresh
tokens); a consent's PKCE verifier too. The rate budget is shared by every process of an
installation: one row per organisation (and one for the whole app, tenant `*`) locked while
a call is admitted, and one row per call, which is also the in-flight lease.
"""

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import JsonDocument, UtcDateTime

CONNECTION_STATUSES = ("choosing", "connected", "needs_reconnect")

xero_connections = Table(
    "xero_connections",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("tenant_id", String(64), nullable=True, unique=True),
    Column("tenant_name", String(255), nullable=True),
    Column("connection_id", String(64), nullable=True),
    Column("auth_event_id", String(64), nullable=True),
    Column("scopes", String(1000), nullable=False),
    Column("tokens", Text, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("choices", JsonDocument, nullable=False),
    Column("connected_by", Uuid, nullable=True),
    Column("problem", String(500), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("refreshed_at", UtcDateTime, nullable=True),
    CheckConstraint(
        "status IN ('choosing', 'connected', 'needs_reconnect')", name="connection_status"
    ),
)

xero_oauth_states = Table(
    "xero_oauth_states",
    metadata,
    Column("state_hash", String(64), primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Uuid, nullable=True),
    Column("code_verifier", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Index(None, "company_id"),
)

xero_rate_budgets = Table(
    "xero_rate_budgets",
    metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("day_started_at", UtcDateTime, nullable=True),
    Column("day_count", Integer, nullable=False),
    Column("blocked_until", UtcDateTime, nullable=True),
    Column("blocked_by", String(20), nullable=True),
    Column("parked_until", UtcDateTime, nullable=True),
    Column("minute_remaining", Integer, nullable=True),
    Column("day_remaining", Integer, nullable=True),
    Column("observed_at", UtcDateTime, nullable=True),
)

xero_rate_calls = Table(
    "xero_rate_calls",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("lease_until", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Index(None, "tenant_id", "started_at"),
    Index(None, "started_at"),
)
