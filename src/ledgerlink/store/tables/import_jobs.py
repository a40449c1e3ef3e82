"""Imports of Xero's reference data: jobs, refresh marks and contact details kept from Xero.

A job row is the truth about an import: its state, where it got to (``cursor``), its
counts and the records it skipped with their reasons. One runner at a time holds a job
(``lease_owner`` until ``lease_until``); another picks up a job whose lease ran out from
its cursor.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, Uuid

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import JsonDocument, UtcDateTime

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    # "selected" (the Xero ids in xero_ids), "all", or "refresh" (incremental).
    Column("mode", String(20), nullable=False),
    Column("xero_ids", JsonDocument, nullable=False),
    Column("search", String(255), nullable=True),
    Column("state", String(30), nullable=False),
    Column("cursor", JsonDocument, nullable=False),
    Column("total", Integer, nullable=True),
    Column("processed", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("skips", JsonDocument, nullable=False),
    Column("errors", JsonDocument, nullable=False),
    Column("api_calls", Integer, nullable=False),
    Column("message", Text, nullable=True),
    Column("resume_at", UtcDateTime, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    # Who holds the lease (one runner at a time); it renews the lease while it runs.
    Column("lease_owner", String(100), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "company_id", "created_at"),
    Index(None, "state"),
)

# Where the last import of one kind got to in Xero, for the next incremental refresh.
import_refreshes = Table(
    "import_refreshes",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(40), primary_key=True),
    # "all": every record of the kind is kept here; "linked": only the ones picked.
    Column("scope", String(20), nullable=False),
    Column("modified_after", UtcDateTime, nullable=True),
    Column("refreshed_at", UtcDateTime, nullable=False),
)

# What Xero holds on a contact beyond the party's own fields.
imported_contact_details = Table(
    "imported_contact_details",
    metadata,
    Column("company_id", Uuid, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("party_id", Uuid, primary_key=True),
    Column("details", JsonDocument, nullable=False),
)
