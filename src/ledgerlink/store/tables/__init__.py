"""SQLAlchemy Core tables, one module per area; `metadata` holds them all."""

from ledgerlink.store.tables.attachments import document_files, document_notes, file_contents
from ledgerlink.store.tables.catalogue import accounts, items, tax_rates, tracking_categories
from ledgerlink.store.tables.credits import refunds, store_credits, supplier_credits
from ledgerlink.store.tables.documents import bills, credit_notes, purchase_orders, sales_invoices
from ledgerlink.store.tables.export_jobs import export_jobs
from ledgerlink.store.tables.import_jobs import (
    import_jobs,
    import_refreshes,
    imported_contact_details,
)
from ledgerlink.store.tables.inbound_polls import (
    contacts_for_review,
    inbound_polls,
    pull_jobs,
    reconciliations,
)
from ledgerlink.store.tables.metadata import metadata
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.parties import customers, suppliers
from ledgerlink.store.tables.payments import payment_allocations, payments
from ledgerlink.store.tables.stock import stock_takes
from ledgerlink.store.tables.sync import sync_log, sync_parks, sync_states
from ledgerlink.store.tables.tenancy import (
    api_tokens,
    companies,
    console_sessions,
    memberships,
    sign_in_failures,
    users,
)
from ledgerlink.store.tables.webhook_events import webhook_events
from ledgerlink.store.tables.workers import worker_heartbeats
from ledgerlink.store.tables.xero_connections import (
    xero_connections,
    xero_oauth_states,
    xero_rate_budgets,
    xero_rate_calls,
)
from ledgerlink.store.tables.xero_links import xero_links

__all__ = [
    "accounts",
    "api_tokens",
    "bills",
    "companies",
    "console_sessions",
    "contacts_for_review",
    "credit_notes",
    "customers",
    "document_files",
    "document_notes",
    "export_jobs",
    "file_contents",
    "import_jobs",
    "import_refreshes",
    "imported_contact_details",
    "inbound_polls",
    "items",
    "memberships",
    "metadata",
    "outbox",
    "payment_allocations",
    "payments",
    "pull_jobs",
    "purchase_orders",
    "reconciliations",
    "refunds",
    "sales_invoices",
    "sign_in_failures",
    "stock_takes",
    "store_credits",
    "supplier_credits",
    "suppliers",
    "sync_log",
    "sync_parks",
    "sync_states",
    "tax_rates",
    "tracking_categories",
    "users",
    "webhook_events",
    "worker_heartbeats",
    "xero_connections",
    "xero_links",
    "xero_oauth_states",
    "xero_rate_budgets",
    "xero_rate_calls",
]
