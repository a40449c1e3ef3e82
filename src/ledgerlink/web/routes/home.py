"""A company's home: its Xero card, documents by sync state, and what needs attention."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledgerlink.store.repositories.import_jobs import ImportJobRepository
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.sync.connect import ConnectionReport
from ledgerlink.sync.engine.overview import sync_states
from ledgerlink.web.auth import CompanyPageDep, UowDep
from ledgerlink.web.render import render
from ledgerlink.web.xero import connection_report

router = APIRouter()

# Pending documents counted one by one up to this many (then shown as "1000+").
PENDING_COUNT_LIMIT = 1000
FAILED_SHOWN = 5


@dataclass(frozen=True)
class Attention:
    """One thing to do, most urgent first: what, and the page that does it."""

    text: str
    href: str
    label: str


def _attention(
    base: str, report: ConnectionReport | None, accounts: int, failed: int
) -> list[Attention]:
    found = []
    if report is None or report.status == "not_connected":
        found.append(
            Attention("The company is not connected to Xero.", f"{base}/connect", "Connect")
        )
    elif report.status == "choose_organisation":
        found.append(
            Attention(
                "Choose which Xero organisation this company is.", f"{base}/connect", "Choose"
            )
        )
    elif report.status == "needs_reconnect":
        found.append(
            Attention(
                f"Xero no longer accepts this connection: {report.problem or 'connect again'}.",
                f"{base}/connect",
                "Connect again",
            )
        )
    elif accounts == 0:
        found.append(Attention("Nothing is imported from Xero yet.", f"{base}/import", "Import"))
    if failed:
        found.append(
            Attention(
                f"{failed} document(s) failed to reach Xero.", f"{base}/problems", "See the fixes"
            )
        )
    return found


@router.get("/companies/{company_id}")
async def company_home(request: Request, page: CompanyPageDep, uow: UowDep) -> Response:
    company_id = page.company_id
    clock = request.app.state.clock
    states = SyncStateRepository(uow.session, clock)
    failed = states.count(company_id, "failed")
    pending = len(sync_states(uow, clock, company_id, state="pending", limit=PENDING_COUNT_LIMIT))
    sent = states.count(company_id, "sent")
    last_sent = sync_states(uow, clock, company_id, state="sent", limit=1)
    jobs = ImportJobRepository(uow.session).list(company_id, limit=1)
    accounts = uow.accounts.count(company_id)
    report = await connection_report(request, company_id, uow)
    base = f"/companies/{company_id}"
    context = {
        "current": "Home",
        "report": report,
        "counts": {
            "failed": failed,
            "pending": f"{pending}+" if pending >= PENDING_COUNT_LIMIT else pending,
            "sent": sent,
        },
        "last_sync": last_sent[0].updated_at if last_sent else None,
        "last_import": jobs[0] if jobs else None,
        "attention": _attention(base, report, accounts, failed),
    }
    return render(request, "home.html", context)
