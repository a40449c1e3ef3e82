"""SQLAlchemy Core tables, one module per area; `metadata` holds them all."""

from ledgerlink.store.tables.catalogue import accounts, items, tax_rates, tracking_categories
from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.parties import customers, suppliers
from ledgerlink.store.tables.tenancy import api_tokens, companies, memberships, users
from ledgerlink.store.tables.xero_links import xero_links

__all__ = [
    "accounts",
    "api_tokens",
    "companies",
    "customers",
    "items",
    "memberships",
    "metadata",
    "outbox",
    "suppliers",
    "tax_rates",
    "tracking_categories",
    "users",
    "xero_links",
]
