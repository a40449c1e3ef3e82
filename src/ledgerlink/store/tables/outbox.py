"""The outbox: one row per domain event, written in the transaction of the change.

Workers claim rows in `id` order: on PostgreSQL with `SELECT ... FOR UPDATE SKIP LOCKED`
over `(state, available_at)`, setting `claimed_by` and a lease in `claimed_until` so that a
killed worker's rows become claimable again once the lease runs out.

A row to be sent goes `pending` -> `claimed` -> `done` (or `failed`, or back to `pending`
for a retry). A row of an event that is not sent (it stays local, or its kind is not sent
to Xero yet) is written `not_sent` and stays so.
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
)

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import JsonDocument, UtcDateTime

OUTBOX_STATES = ("pending", "claimed", "done", "failed", "not_sent")

outbox = Table(
    "outbox",
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
    Column("event_type", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("payload", JsonDocument, nullable=False),
    # False for events that stay local (submitted, rejected, payment removed by Xero) and
    # for kinds not sent to Xero yet (see domain.events.KINDS_SENT_TO_XERO).
    Column("reaches_xero", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("state", String(20), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("available_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(200), nullable=True),
    Column("claimed_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    CheckConstraint(
        "state IN ('pending', 'claimed', 'done', 'failed', 'not_sent')",
        name="state",
    ),
    Index(None, "state", "available_at"),
    Index(None, "company_id", "kind", "document_id"),
)
