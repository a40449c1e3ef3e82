"""`inbound_polls`: how far each company has read what Xero sends no webhooks for."""

from sqlalchemy import Column, ForeignKey, String, Table, Uuid

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import UtcDateTime

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
