"""Importing Xero's reference data: browse what is there, run import jobs, refresh.

    runner = ImportRunner(uow_factory, gateway, clock=clock)
    job = runner.start(company_id, ImportKind.SUPPLIERS, import_all=True)
    job = await runner.run(job.id)          # pauses on rate limits, resumes by itself
    page = await browse(uow_factory, client, company_id, ImportKind.SUPPLIERS, search="ac")

The worker calls ``runner.run_due_refreshes(now)`` and ``runner.resume_due(now)``.
"""

from ledgerlink.sync.imports.clients import XeroClients
from ledgerlink.sync.imports.kinds import IMPORT_ORDER, ImportKind, parse_kind
from ledgerlink.sync.imports.remote import RemotePage, RemoteRecord, browse
from ledgerlink.sync.imports.runner import REFRESH_SETTING, ImportRunner

__all__ = [
    "IMPORT_ORDER",
    "REFRESH_SETTING",
    "ImportKind",
    "ImportRunner",
    "RemotePage",
    "RemoteRecord",
    "XeroClients",
    "browse",
    "parse_kind",
]
