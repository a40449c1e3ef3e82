"""One-time exports to Xero of every customer or every product: jobs with their progress.

A job row is the truth about an export: its state, where it got to (``cursor``, the last
record done, in id order), its counts and the records that failed with their reasons.
One runner at a time holds a job (``lease_owner`` until ``lease_until``, renewed on a
heartbeat); another takes over a job whose lease ran out, from its cursor.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, Uuid

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import JsonDocument, UtcDateTime

export_jobs = Table(
    "export_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    # "customers" or "products".
    Column("kind", String(40), nullable=False),
    Column("state", String(30), nullable=False),
    Column("cursor", JsonDocument, nullable=False),
    Column("total", Integer, nullable=True),
    Column("done", Integer, nullable=False),
    Column("linked", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("already", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("failures", JsonDocument, nullable=False),
    Column("api_calls", Integer, nullable=False),
    Column("message", Text, nullable=True),
    Column("resume_at", UtcDateTime, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("lease_owner", String(100), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "company_id", "created_at"),
    Index(None, "state"),
)
