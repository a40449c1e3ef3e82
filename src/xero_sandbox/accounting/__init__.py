"""The sandbox's Accounting API: one in-memory `Ledger` per organisation, and its routes.

The platform layer mounts `routes()` under `/api.xro/2.0` and sets `request.state.ledger`
and `request.state.now` before any handler runs. Every handler reads its body first and then
reads and changes the ledger without awaiting, so each call is atomic under asyncio.

Where things live:

- `ledger` (the data and its indexes), `events`, `codec` (persistence), `ids`;
- seeds: `seed_reference` (organisation, chart, tax rates, tracking), `seed_demo`,
  `seed_documents`, `seed_bulk`;
- request plumbing: `context`, `fields` (reading and validating fields), `batch`
  (summarizeErrors), `listing` and `where` (paging, filters, order), `wire` (envelope, dates);
- rules: `accounts`, `contacts`, `lines` and `totals` (amounts and tax), `documents`
  (shared header rules, lock dates, balances), `invoices`, `payment_terms`, `settlement`
  (payments and allocations);
- routes, one module per resource: `organisation`, `account_routes`, `tax_rate_routes`,
  `tracking_routes`, `contact_routes`, `items`, `invoice_routes`, `purchase_orders`,
  `credit_notes`, `payments`, `batch_payments`, `bank_transactions`, `credit_routes`.
"""

from xero_sandbox.accounting.events import Event
from xero_sandbox.accounting.ledger import Ledger
from xero_sandbox.accounting.routes import routes

__all__ = ["Event", "Ledger", "routes"]
