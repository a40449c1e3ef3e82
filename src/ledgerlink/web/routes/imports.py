"""Import from Xero: accounts (with the skipped ones and why), tracking categories, tax
rates, items, and suppliers 100 a page with Load more, search, tick and Import selected,
or Import all with a live progress bar."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from ledgerlink.domain.errors import DomainError
from ledgerlink.store.repositories.import_jobs import ImportJob, ImportJobRepository
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.imports import RemotePage, browse, parse_kind
from ledgerlink.sync.imports.background import run_in_background
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.web.auth import AdminPageDep, CompanyPageDep, PageNotFound, UowDep
from ledgerlink.web.render import redirect, render
from ledgerlink.web.xero import gateway_of, import_runner_of, release
from xero_client import XeroError

router = APIRouter()

PICKED_KINDS = ("suppliers", "customers", "items")
WHOLE_KINDS = ("accounts", "tax-rates", "tracking-categories")
JOBS_SHOWN = 3


async def _remote(
    request: Request, company_id: UUID, kind: str, page: int, search: str | None
) -> tuple[RemotePage | None, str | None]:
    gateway = gateway_of(request)
    if gateway is None:
        return None, "Xero is not set up for this installation."
    try:
        async with gateway.client(company_id) as client:
            found = await browse(
                request.app.state.uow_factory,
                client,
                company_id,
                parse_kind(kind),
                page=page,
                search=search,
            )
    except GatewayError as error:
        return None, error.message
    except XeroError as error:
        return None, f"Xero did not answer the list: {error}"
    return found, None


def _skipped_accounts(jobs: list[ImportJob]) -> list[dict[str, Any]]:
    for job in jobs:
        if job.kind == "accounts" and job.finished:
            return list(job.skips)
    return []


@router.get("/companies/{company_id}/import")
async def import_page(
    request: Request,
    page: CompanyPageDep,
    uow: UowDep,
    kind: str = "suppliers",
    search: str = "",
    number: int = 1,
    nothing: int = 0,
) -> Response:
    company_id = page.company_id
    kind = kind if kind in PICKED_KINDS else "suppliers"
    number = max(1, min(number, 10_000))
    repo = ImportJobRepository(uow.session)
    jobs = repo.list(company_id, limit=50)
    context: dict[str, Any] = {
        "current": "Import",
        "accounts": uow.accounts.list(company_id, limit=500),
        "skipped": _skipped_accounts(jobs),
        "tracking": uow.tracking_categories.list(company_id, limit=50),
        "counts": {
            "tax rates": uow.tax_rates.count(company_id),
            "items": uow.items.count(company_id),
            "suppliers": uow.suppliers.count(company_id),
            "customers": uow.customers.count(company_id),
        },
        "jobs": jobs[:JOBS_SHOWN],
        "kind": kind,
        "search": search,
        "remote": None,
        "remote_error": None,
        "nothing": bool(nothing),
    }
    if page.is_admin:
        release(uow)
        found, error = await _remote(request, company_id, kind, number, search or None)
        context.update(remote=found, remote_error=error)
    return render(request, "import.html", context)


@router.get("/companies/{company_id}/import/more")
async def load_more(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    kind: str = "suppliers",
    search: str = "",
    number: int = 2,
) -> Response:
    """The next page of the picker's rows (htmx appends them in place of Load more)."""
    if kind not in PICKED_KINDS:
        raise PageNotFound()
    release(uow)
    found, error = await _remote(
        request, page.company_id, kind, max(1, min(number, 10_000)), search or None
    )
    context = {"remote": found, "remote_error": error, "kind": kind, "search": search}
    return render(request, "_remote_rows.html", context)


@router.post("/companies/{company_id}/import")
async def start_import(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    kind: Annotated[str, Form(max_length=40)],
    xero_ids: Annotated[list[str] | None, Form(max_length=1000)] = None,
    everything: Annotated[str, Form(alias="all", max_length=10)] = "",
    search: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    release(uow)
    runner = import_runner_of(request)
    if runner is None:
        raise PageNotFound()
    try:
        job = await in_thread(
            runner.start,
            page.company_id,
            kind,
            xero_ids=xero_ids or [],
            import_all=everything == "yes" or kind in WHOLE_KINDS,
            search=search or None,
        )
    except DomainError:
        # Nothing ticked (or a kind the picker does not offer): say so on the page.
        picked = kind if kind in PICKED_KINDS else "suppliers"
        return redirect(request, f"/companies/{page.company_id}/import?kind={picked}&nothing=1")
    run_in_background(request.app.state.import_tasks, job.id, runner)
    return redirect(request, f"/companies/{page.company_id}/import?kind={kind}#jobs")


@router.get("/companies/{company_id}/import/jobs/{job_id}")
def job_progress(request: Request, page: CompanyPageDep, uow: UowDep, job_id: str) -> Response:
    """One job's progress (htmx polls it while the job runs)."""
    try:
        wanted = UUID(job_id)
    except ValueError:
        raise PageNotFound() from None
    job = ImportJobRepository(uow.session).get(page.company_id, wanted)
    if job is None:
        raise PageNotFound()
    return render(request, "_job.html", {"job": job})
