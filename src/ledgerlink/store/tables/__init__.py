"""SQLAlchemy Core tables, one module per area; `metadata` holds them all."""

from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.tenancy import api_tokens, companies, memberships, users
from ledgerlink.store.tables.xero_links import xero_links

__all__ = [
    "api_tokens",
    "companies",
    "memberships",
    "metadata",
    "outbox",
    "users",
    "xero_links",
]
