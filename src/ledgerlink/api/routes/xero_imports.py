"""Importing from Xero (admins): browse what is there, start import jobs, follow them.

Also the reference data imported: `/accounts`, `/tax-rates`, `/tracking-categories`.

Jobs run as asyncio tasks of the API process, their database work on threads of their
own; the job row is the truth, and a job cut off by a restart is resumed by the worker
once its lease runs out (`ImportRunner.resume_due`).
"""

import datetime as dt
import logging
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ledgerlink.api.deps import AdminDep, CompanyDep, UowDep
from ledgerlink.api.problems import Problem, not_found
from ledgerlink.api.schemas.common import MAX_OFFSET, MAX_PAGE_SIZE, Page, Strict
from ledgerlink.api.status_filter import ReferenceStatusDep
from ledgerlink.api.xero_parts import get_gateway, get_import_runner
from ledgerlink.domain.catalogue import Account, TaxRate, TrackingCategory
from ledgerlink.store.repositories.import_jobs import ImportJob, ImportJobRepository
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.imports import ImportRunner, RemotePage, XeroClients, browse, parse_kind
from ledgerlink.sync.imports.background import run_in_background
from ledgerlink.sync.imports.offload import in_thread
from xero_client import AuthError, RateLimited, XeroError

log = logging.getLogger(__name__)

router = APIRouter(prefix="/companies/{company_id}", tags=["xero imports"])


# -- shapes -------------------------------------------------------------------------------


class ImportRequest(Strict):
    """Pick records by their Xero ids, or import them all (optionally those matching)."""

    kind: str = Field(
        description="accounts, tracking-categories, suppliers, customers, items or tax-rates"
    )
    xero_ids: list[str] = Field(default_factory=list, max_length=1000)
    all: bool = False
    search: str | None = Field(None, max_length=255)
    refresh: bool = Field(
        False, description="Bring in what changed in Xero since the last import of this kind"
    )


class ImportStarted(BaseModel):
    id: UUID
    kind: str
    mode: str
    state: str
    url: str


class SkipPublic(BaseModel):
    xero_id: str | None
    name: str | None
    reason: str


class ImportJobPublic(BaseModel):
    id: UUID
    kind: str
    mode: str
    state: str = Field(description="queued, running, waiting, done, failed or needs_reconnect")
    message: str | None
    total: int | None
    processed: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    skips: list[SkipPublic]
    errors: list[str]
    api_calls: int
    resume_at: dt.datetime | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ImportJobsPublic(BaseModel):
    data: list[ImportJobPublic]


class RemoteRecordPublic(BaseModel):
    xero_id: str | None
    name: str | None
    imported: bool
    local_id: str | None
    skip_reason: str | None
    detail: dict[str, Any]


class RemotePagePublic(BaseModel):
    kind: str
    page: int
    page_size: int
    has_more: bool = Field(description="True when the next page (load more) has records")
    total: int | None
    data: list[RemoteRecordPublic]


class AccountPublic(BaseModel):
    code: str
    name: str
    type: str
    account_class: str
    status: str
    tax_type: str | None
    xero_id: UUID | None


class TaxComponentPublic(BaseModel):
    name: str
    rate: Decimal
    is_compound: bool
    is_non_recoverable: bool


class TaxRatePublic(BaseModel):
    tax_type: str
    name: str
    rate: Decimal
    components: list[TaxComponentPublic]
    applies_to: list[str]
    status: str


class TrackingOptionPublic(BaseModel):
    name: str
    status: str


class TrackingCategoryPublic(BaseModel):
    name: str
    status: str
    options: list[TrackingOptionPublic]
    xero_id: UUID | None


def _job_public(job: ImportJob) -> ImportJobPublic:
    return ImportJobPublic(
        id=job.id,
        kind=job.kind,
        mode=job.mode,
        state=job.state,
        message=job.message,
        total=job.total,
        processed=job.processed,
        created=job.created,
        updated=job.updated,
        unchanged=job.unchanged,
        skipped=job.skipped,
        skips=[SkipPublic(**skip) for skip in job.skips],
        errors=job.errors,
        api_calls=job.api_calls,
        resume_at=job.resume_at,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def _remote_public(page: RemotePage) -> RemotePagePublic:
    return RemotePagePublic(
        kind=page.kind.value,
        page=page.page,
        page_size=page.page_size,
        has_more=page.has_more,
        total=page.total,
        data=[
            RemoteRecordPublic(
                xero_id=r.xero_id,
                name=r.name,
                imported=r.imported,
                local_id=r.local_id,
                skip_reason=r.skip_reason,
                detail=r.detail,
            )
            for r in page.records
        ],
    )


def _account_public(account: Account) -> AccountPublic:
    return AccountPublic(
        code=account.code,
        name=account.name,
        type=account.type,
        account_class=account.account_class.value,
        status=account.status.value,
        tax_type=account.tax_type,
        xero_id=account.xero_id,
    )


def _tax_rate_public(rate: TaxRate) -> TaxRatePublic:
    return TaxRatePublic(
        tax_type=rate.tax_type,
        name=rate.name,
        rate=rate.rate,
        components=[
            TaxComponentPublic(
                name=c.name,
                rate=c.rate,
                is_compound=c.is_compound,
                is_non_recoverable=c.is_non_recoverable,
            )
            for c in rate.components
        ],
        applies_to=sorted(member.value for member in rate.applies_to),
        status=rate.status.value,
    )


def _tracking_public(category: TrackingCategory) -> TrackingCategoryPublic:
    return TrackingCategoryPublic(
        name=category.name,
        status=category.status.value,
        options=[
            TrackingOptionPublic(name=o.name, status=o.status.value) for o in category.options
        ],
        xero_id=category.xero_id,
    )


# -- the parts a request needs ---------------------------------------------------------------


def clients_of(request: Request) -> XeroClients:
    """The app's Xero clients: its gateway."""
    return get_gateway(request)


def runner_of(request: Request) -> ImportRunner:
    """The app's import runner."""
    return get_import_runner(request)


def _in_background(request: Request, job_id: UUID, runner: ImportRunner) -> None:
    run_in_background(request.app.state.import_tasks, job_id, runner)


def _xero_problem(error: Exception) -> Problem:
    if isinstance(error, GatewayError):
        return Problem(409, "Not connected to Xero", error.message)
    if isinstance(error, AuthError):
        return Problem(409, "Not connected to Xero", f"{error}; connect the company again")
    if isinstance(error, RateLimited):
        return Problem(
            503,
            "Xero's rate limit",
            f"Xero's {error.limit} limit is spent; try again in {int(error.retry_after)} seconds",
        )
    return Problem(502, "Xero failed", str(error))


# -- routes -----------------------------------------------------------------------------------


@router.get(
    "/xero/remote/{kind}",
    response_model=RemotePagePublic,
    summary="Browse what is in Xero (100 a page), marked imported or not",
)
async def browse_remote(
    kind: str,
    request: Request,
    access: AdminDep,
    page: int = Query(1, ge=1, le=10_000),
    search: str | None = Query(None, max_length=255, description="part of a name or code"),
) -> RemotePagePublic:
    chosen = parse_kind(kind)
    clients = clients_of(request)
    try:
        async with clients.client(access.company_id) as client:
            found = await browse(
                request.app.state.uow_factory,
                client,
                access.company_id,
                chosen,
                page=page,
                search=search,
            )
    except (GatewayError, XeroError) as error:
        raise _xero_problem(error) from None
    return _remote_public(found)


@router.post(
    "/xero/imports",
    response_model=ImportStarted,
    status_code=202,
    summary="Start importing from Xero (picked records, or all)",
)
async def start_import(body: ImportRequest, request: Request, access: AdminDep) -> ImportStarted:
    runner = runner_of(request)
    job = await in_thread(
        runner.start,
        access.company_id,
        body.kind,
        xero_ids=body.xero_ids,
        import_all=body.all,
        search=body.search,
        refresh=body.refresh,
    )
    _in_background(request, job.id, runner)
    return ImportStarted(
        id=job.id,
        kind=job.kind,
        mode=job.mode,
        state=job.state,
        url=f"/api/v1/companies/{access.company_id}/xero/imports/{job.id}",
    )


@router.get("/xero/imports", response_model=ImportJobsPublic, summary="List import jobs")
def list_imports(
    access: AdminDep,
    uow: UowDep,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> ImportJobsPublic:
    jobs = ImportJobRepository(uow.session).list(access.company_id, limit=limit, offset=offset)
    return ImportJobsPublic(data=[_job_public(job) for job in jobs])


@router.get(
    "/xero/imports/{job_id}",
    response_model=ImportJobPublic,
    summary="An import job: state, progress, counts, skipped records and errors",
)
def get_import(job_id: UUID, access: AdminDep, uow: UowDep) -> ImportJobPublic:
    job = ImportJobRepository(uow.session).get(access.company_id, job_id)
    if job is None:
        raise not_found(f"import job {job_id}")
    return _job_public(job)


@router.get("/accounts", response_model=Page[AccountPublic], summary="List imported accounts")
def list_accounts(
    access: CompanyDep,
    uow: UowDep,
    status: ReferenceStatusDep,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[AccountPublic]:
    found = uow.accounts.list(access.company_id, status=status, limit=limit, offset=offset)
    return Page[AccountPublic](
        data=[_account_public(a) for a in found],
        count=uow.accounts.count(access.company_id, status=status),
        limit=limit,
        offset=offset,
    )


@router.get("/tax-rates", response_model=Page[TaxRatePublic], summary="List imported tax rates")
def list_tax_rates(
    access: CompanyDep,
    uow: UowDep,
    status: ReferenceStatusDep,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[TaxRatePublic]:
    found = uow.tax_rates.list(access.company_id, status=status, limit=limit, offset=offset)
    return Page[TaxRatePublic](
        data=[_tax_rate_public(r) for r in found],
        count=uow.tax_rates.count(access.company_id, status=status),
        limit=limit,
        offset=offset,
    )


@router.get(
    "/tracking-categories",
    response_model=Page[TrackingCategoryPublic],
    summary="List imported tracking categories (line-level custom fields)",
)
def list_tracking_categories(
    access: CompanyDep,
    uow: UowDep,
    status: ReferenceStatusDep,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Page[TrackingCategoryPublic]:
    repo = uow.tracking_categories
    found = repo.list(access.company_id, status=status, limit=limit, offset=offset)
    return Page[TrackingCategoryPublic](
        data=[_tracking_public(c) for c in found],
        count=repo.count(access.company_id, status=status),
        limit=limit,
        offset=offset,
    )
