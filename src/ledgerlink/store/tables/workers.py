"""`worker_heartbeats`: when each worker was last seen, so readiness checks can ask."""

from sqlalchemy import Column, String, Table

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.types import UtcDateTime

worker_heartbeats = Table(
    "worker_heartbeats",
    metadata,
    Column("worker", String(200), primary_key=True),
    Column("seen_at", UtcDateTime, nullable=False),
)
