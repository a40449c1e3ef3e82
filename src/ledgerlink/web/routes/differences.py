"""Differences with Xero: the last comparison of the linked documents with Xero, each
difference with its fix; Compare with Xero now and Pull changes from Xero now (admins),
the same comparison and pull as `POST .../sync/reconcile` and `POST .../xero/pull`."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledgerlink.store.repositories.pull_jobs import DONE, FAILED, PullJobRepository
from ledgerlink.store.repositories.reconciliations import Drift, ReconciliationRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.on_demand import (
    NOT_CONNECTED,
    CompareRefused,
    compare_now,
    start_pull,
)
from ledgerlink.sync.inbound.pull import STEPS
from ledgerlink.sync.inbound.reconcile import next_run
from ledgerlink.web.auth import AdminPageDep, CompanyPage, CompanyPageDep, PageNotFound, UowDep
from ledgerlink.web.documents import KINDS
from ledgerlink.web.render import redirect, render
from ledgerlink.web.xero import gateway_of, release

router = APIRouter()

FIELDS = {
    "status": "Status",
    "amount_due": "Amount due",
    "remaining_credit": "Credit left",
    "total": "Total",
    "in_xero": "In Xero",
}
#: What a refusal answers, as the REST endpoint does (never a 500).
STATUS = {NOT_CONNECTED: 409, "rate_limited": 503, "xero_failed": 502, "not_set_up": 503}
NOT_SET_UP = "Xero is not set up for this installation."
SHOWN = 500


def _rows(uow: SqlUnitOfWork, company_id: UUID, drift: list[Drift]) -> list[dict[str, Any]]:
    wanted: dict[str, list[UUID]] = defaultdict(list)
    for difference in drift:
        if difference.kind in KINDS:
            wanted[difference.kind].append(difference.document_id)
    here: set[UUID] = set()
    for kind, ids in wanted.items():
        here.update(KINDS[kind].repository(uow).get_many(company_id, ids))
    return [
        {
            "drift": d,
            "kind": KINDS[d.kind].label[:-1] if d.kind in KINDS else d.kind.replace("_", " "),
            "href": f"/companies/{company_id}/documents/{d.kind}/{d.document_id}"
            if d.document_id in here
            else None,
            "field": FIELDS.get(d.field, d.field.replace("_", " ")),
        }
        for d in drift
    ]


def _page(
    request: Request,
    page: CompanyPage,
    uow: SqlUnitOfWork,
    *,
    error: CompareRefused | None = None,
    pull: str | None = None,
) -> Response:
    company_id = page.company_id
    run = ReconciliationRepository(uow.session).latest(company_id)
    job = None
    if pull and page.is_admin:
        job = PullJobRepository(uow.session).get(company_id, _uuid(pull))
    context = {
        "current": "Differences with Xero",
        "run": run,
        "rows": _rows(uow, company_id, run.drift[:SHOWN]) if run is not None else [],
        "differing": len(run.drift) if run is not None else 0,
        "next_run_at": next_run(uow, company_id, request.app.state.clock()),
        "error": error,
        "retry_at": _retry_at(request, error),
        "job": job,
        **_job_context(job),
    }
    status = STATUS.get(error.why, 400) if error is not None else 200
    response = render(request, "differences.html", context, status=status)
    if error is not None and error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _retry_at(request: Request, error: CompareRefused | None) -> datetime | None:
    if error is None or error.retry_after is None:
        return None
    moment: datetime = request.app.state.clock() + timedelta(seconds=error.retry_after)
    return moment


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise PageNotFound() from None


def _job_context(job: Any) -> dict[str, Any]:
    return {"steps_total": len(STEPS), "finished": job is not None and job.state in (DONE, FAILED)}


@router.get("/companies/{company_id}/differences")
def differences(
    request: Request, page: CompanyPageDep, uow: UowDep, pull: str | None = None
) -> Response:
    return _page(request, page, uow, pull=pull)


@router.post("/companies/{company_id}/differences/compare")
async def compare(request: Request, page: AdminPageDep, uow: UowDep) -> Response:
    release(uow)
    gateway = gateway_of(request)
    if gateway is None:
        return _page(request, page, uow, error=CompareRefused("not_set_up", NOT_SET_UP))
    try:
        await compare_now(
            request.app.state.uow_factory, request.app.state.clock, gateway.client, page.company_id
        )
    except CompareRefused as refused:
        return _page(request, page, uow, error=refused)
    return redirect(request, f"/companies/{page.company_id}/differences?done=compared")


@router.post("/companies/{company_id}/differences/pull")
async def pull_now(request: Request, page: AdminPageDep, uow: UowDep) -> Response:
    release(uow)
    gateway = gateway_of(request)
    if gateway is None:
        return _page(request, page, uow, error=CompareRefused("not_set_up", NOT_SET_UP))
    job = await start_pull(
        request.app.state.uow_factory,
        request.app.state.clock,
        gateway.client,
        page.company_id,
        request.app.state.import_tasks,
    )
    if job is None:
        refused = CompareRefused(NOT_CONNECTED, "connect the company to Xero, then pull again")
        return _page(request, page, uow, error=refused)
    return redirect(request, f"/companies/{page.company_id}/differences?pull={job.id}#pull")


@router.get("/companies/{company_id}/differences/pulls/{job_id}")
def pull_progress(request: Request, page: AdminPageDep, uow: UowDep, job_id: str) -> Response:
    """One pull's progress (htmx polls it while the pull runs)."""
    job = PullJobRepository(uow.session).get(page.company_id, _uuid(job_id))
    if job is None:
        raise PageNotFound()
    return render(request, "_pull_job.html", {"job": job, **_job_context(job)})
