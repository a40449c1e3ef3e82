"""Companies, their users with a role each, and API tokens."""

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Uuid,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import JsonDocument, UtcDateTime

companies = Table(
    "companies",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("settings", JsonDocument, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # An argon2 hash for signing in to the console; NULL: the person has no password.
    Column("password_hash", String(200), nullable=True),
)

# Failed sign-ins in a row, per email (known or not), so that guessing slows down.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("email", String(320), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", UtcDateTime, nullable=False),
)

# Signed-in console sessions, by a digest of the cookie's random id: a session ends when
# its row goes (sign-out, a password change, a membership removed, the user deleted).
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index(None, "user_id"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(20), nullable=False),
    CheckConstraint("role IN ('admin', 'member')", name="role"),
    Index(None, "company_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    # The one company the token reaches; NULL: every company of its owner.
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=True),
    Index(None, "user_id"),
)
