"""`inbound_polls`: how far each company has read what Xero sends no webhooks for;
`pull_jobs`: the pulls run on demand; `reconciliations`: the nightly comparisons with
Xero; `contacts_for_review`: contacts added in Xero waiting for a person."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Uuid

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import JsonDocument, UtcDateTime

inbound_polls = Table(
    "inbound_polls",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    # What was read: "payments", "overpayments", "prepayments", "invoices", ...
    Column("source", String(40), primary_key=True),
    # The newest UpdatedDateUTC read so far: the next read's If-Modified-Since.
    Column("modified_since", UtcDateTime, nullable=True),
    Column("polled_at", UtcDateTime, nullable=False),
)

# On-demand pulls (`ledgerlink sync pull`, `POST .../xero/pull`) and how far each got.
pull_jobs = Table(
    "pull_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(20), nullable=False),
    Column("step", String(40), nullable=True),
    Column("steps_done", Integer, nullable=False),
    Column("read", Integer, nullable=False),
    Column("applied", Integer, nullable=False),
    Column("message", String(2000), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    Index(None, "company_id", "created_at"),
)

# Reconciliations: each run of the comparison of linked documents with Xero, and the
# drift it found (a list of {kind, document_id, number, field, ours, xero, fix}).
reconciliations = Table(
    "reconciliations",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("state", String(20), nullable=False),
    Column("checked", Integer, nullable=False),
    Column("drift", JsonDocument, nullable=False),
    Column("message", String(2000), nullable=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=False),
    Index(None, "company_id", "started_at"),
)

# Contacts added in Xero while the company reviews them (`xero_new_contacts: review`):
# listed until they are imported (linked) here.
contacts_for_review = Table(
    "contacts_for_review",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("xero_id", String(64), primary_key=True),
    Column("name", String(255), nullable=False),
    # "supplier", "customer" or "supplier,customer": what Xero marks the contact as.
    Column("kinds", String(40), nullable=False),
    Column("noticed_at", UtcDateTime, nullable=False),
)
