"""Documents and their parties to Xero: one pass over one company's claimed outbox work.

``plan`` decides, without a database or Xero, what each claimed record asks for and in
which order and batches it goes; ``CompanyExport(...).run(rows)`` carries the plan out
through the registry of kinds (``kinds``), recording every outcome (``outcome``).
"""

from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.sync.export.run import CompanyExport

__all__ = ["CompanyExport", "Disposition", "ExportPolicy", "Outcome"]
