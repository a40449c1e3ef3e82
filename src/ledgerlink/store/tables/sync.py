"""What the export worker records: each document's sync state, its sync log, parked
organisations.

`sync_states` holds one row per document sent (or to be sent) to Xero: whether it is
pending, sent, failed or resolved by a person, the Xero id and status, the key of a create
that may have landed (`in_flight_key`, reconciled before any resend) and the totals check.
`sync_log` keeps every attempt. `sync_parks` holds organisations whose daily Xero budget
is spent, until it resets.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
    false,
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import ExactDecimal, UtcDateTime

SYNC_STATES = ("pending", "sent", "failed", "resolved")

sync_states = Table(
    "sync_states",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("document_id", String(64), primary_key=True),
    Column("state", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("synced_version", Integer, nullable=True),
    Column("xero_id", String(64), nullable=True),
    Column("xero_status", String(20), nullable=True),
    Column("in_flight_key", String(128), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("fix", Text, nullable=True),
    Column("total_ours", ExactDecimal(), nullable=True),
    Column("total_xero", ExactDecimal(), nullable=True),
    Column("total_mismatch", Boolean, nullable=False, server_default=false()),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("state IN ('pending', 'sent', 'failed', 'resolved')", name="sync_state"),
    Index(None, "company_id", "state"),
)

sync_log = Table(
    "sync_log",
    metadata,
    Column(
        "id",
        BigInteger().with_variant(Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("document_id", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("action", String(20), nullable=False),
    Column("outcome", String(20), nullable=False),
    Column("summary", Text, nullable=False),
    Column("answer", Text, nullable=True),
    Column("fix", Text, nullable=True),
    Index(None, "company_id", "kind", "document_id"),
)

sync_parks = Table(
    "sync_parks",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("parked_until", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
)

# One worker at a time drains one company's outbox: its Xero organisation has one budget,
# and no two workers may create the same document. A killed worker's lease runs out.
sync_leases = Table(
    "sync_leases",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("worker", String(200), nullable=False),
    Column("leased_until", UtcDateTime, nullable=False),
)
