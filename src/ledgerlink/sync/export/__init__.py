"""Purchase orders and bills to Xero: one pass over one company's claimed outbox work.

``export_company(...)`` (``run``) coalesces the claimed rows per document, checks each
document against the imported reference data, makes sure suppliers exist as Xero
contacts, reconciles creates that may have landed, sends creates in batches of up to 50,
then updates and cancellations, and records every outcome (``outcome``).
"""

from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.run import CompanyExport, ExportPolicy

__all__ = ["CompanyExport", "Disposition", "ExportPolicy", "Outcome"]
