"""Purchase orders and bills to Xero: one pass over one company's claimed outbox work.

``CompanyExport(...).run(rows)`` coalesces the claimed rows per document, checks each
document against the imported reference data (and the organisation's lock dates and
currencies), makes sure suppliers exist as Xero contacts (``contact_steps``), reconciles
creates that may have landed and sends creates in batches of up to 50 (``create_steps``),
then updates, cancellations and finished orders (``change_steps``), and records every
outcome (``outcome``).
"""

from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.sync.export.run import CompanyExport

__all__ = ["CompanyExport", "Disposition", "ExportPolicy", "Outcome"]
