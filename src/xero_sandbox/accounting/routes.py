"""Every Accounting API route, to be mounted under `/api.xro/2.0`."""

from starlette.routing import BaseRoute

from xero_sandbox.accounting import (
    account_routes,
    attachments,
    bank_transactions,
    batch_payments,
    contact_routes,
    credit_notes,
    credit_routes,
    history,
    invoice_routes,
    items,
    organisation,
    payments,
    purchase_orders,
    tax_rate_routes,
    tracking_routes,
)


def routes() -> list[BaseRoute]:
    """The Accounting API routes; handlers expect `request.state.ledger` and `.now`."""
    return [
        *organisation.routes(),
        *account_routes.routes(),
        *tax_rate_routes.routes(),
        *tracking_routes.routes(),
        *contact_routes.routes(),
        *items.routes(),
        *invoice_routes.routes(),
        *purchase_orders.routes(),
        *credit_notes.routes(),
        *payments.routes(),
        *batch_payments.routes(),
        *bank_transactions.routes(),
        *credit_routes.routes(),
        *attachments.routes(),
        *history.routes(),
    ]
