"""One-time exports to Xero: every customer as a contact, every product as an item.

    runner = ExportRunner(uow_factory, gateway, clock=clock)
    job = runner.start(company_id, "customers")
    await runner.run(job.id)

The worker calls ``runner.resume_due(now)`` to take over jobs whose runner died.
"""

from ledgerlink.sync.exports.kinds import ExportKindName, export_kind
from ledgerlink.sync.exports.runner import ExportRunner

__all__ = ["ExportKindName", "ExportRunner", "export_kind"]
