"""One-time exports to Xero (admins): every customer as a contact, every product as an
item, matched to what Xero already holds before anything is created.

Jobs run as asyncio tasks of the API process; the job row is the truth, and a job cut off
by a restart is taken over by the worker once its lease runs out
(`ExportRunner.resume_due`).
"""

import asyncio
import datetime as dt
import logging
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ledgerlink.api.deps import AdminDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.api.schemas.common import MAX_OFFSET, MAX_PAGE_SIZE, Strict
from ledgerlink.api.xero_parts import get_gateway
from ledgerlink.store.repositories.export_jobs import ExportJob, ExportJobRepository
from ledgerlink.sync.exports import ExportRunner
from ledgerlink.sync.imports.offload import in_thread

log = logging.getLogger(__name__)

router = APIRouter(prefix="/companies/{company_id}", tags=["xero exports"])


class ExportRequest(Strict):
    kind: str = Field(
        description="customers (as Xero contacts) or products (as Xero items)",
        examples=["customers"],
    )


class ExportStarted(BaseModel):
    id: UUID
    kind: str
    state: str
    url: str


class ExportFailurePublic(BaseModel):
    id: str
    name: str
    reason: str


class ExportJobPublic(BaseModel):
    id: UUID
    kind: str
    state: str = Field(description="queued, running, waiting, done, failed or needs_reconnect")
    message: str | None
    total: int | None = Field(description="records here when the job started")
    done: int = Field(description="records dealt with so far")
    linked: int = Field(description="linked to a contact or item Xero already had")
    created: int = Field(description="created in Xero")
    already: int = Field(description="linked to Xero before the job")
    failed: int
    failures: list[ExportFailurePublic]
    api_calls: int
    resume_at: dt.datetime | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class ExportJobsPublic(BaseModel):
    data: list[ExportJobPublic]


def _public(job: ExportJob) -> ExportJobPublic:
    return ExportJobPublic(
        id=job.id,
        kind=job.kind,
        state=job.state,
        message=job.message,
        total=job.total,
        done=job.done,
        linked=job.linked,
        created=job.created,
        already=job.already,
        failed=job.failed,
        failures=[ExportFailurePublic(**failure) for failure in job.failures],
        api_calls=job.api_calls,
        resume_at=job.resume_at,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def runner_of(request: Request) -> ExportRunner:
    """An export runner on the app's gateway, clock and database."""
    state = request.app.state
    return ExportRunner(state.uow_factory, get_gateway(request), clock=state.clock)


def _in_background(request: Request, job_id: UUID, runner: ExportRunner) -> None:
    tasks: set[asyncio.Task[Any]] = request.app.state.export_tasks
    task = asyncio.get_running_loop().create_task(runner.run_or_record(job_id))
    tasks.add(task)  # held, so the task is not collected before it ends

    def settled(done: asyncio.Task[Any]) -> None:
        tasks.discard(done)
        if not done.cancelled() and done.exception() is not None:
            # The job's lease runs out and the worker takes it over.
            log.error("export job left to the worker", exc_info=done.exception())

    task.add_done_callback(settled)


@router.post(
    "/xero/exports",
    response_model=ExportStarted,
    status_code=202,
    summary="Export every customer or every product to Xero, once",
    description="Records already linked to Xero are left as they are; the others are "
    "matched to what Xero holds (customers by contact number or name in any letter case, "
    "products by code) and linked, and the rest created, 50 a call. Follow the job at "
    "its url. While one of a kind is under way, starting another gives it back.",
)
async def start_export(body: ExportRequest, request: Request, access: AdminDep) -> ExportStarted:
    runner = runner_of(request)
    job = await in_thread(runner.start, access.company_id, body.kind)
    if job.state == "queued":
        _in_background(request, job.id, runner)
    return ExportStarted(
        id=job.id,
        kind=job.kind,
        state=job.state,
        url=f"/api/v1/companies/{access.company_id}/xero/exports/{job.id}",
    )


@router.get("/xero/exports", response_model=ExportJobsPublic, summary="List export jobs")
def list_exports(
    access: AdminDep,
    uow: UowDep,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> ExportJobsPublic:
    jobs = ExportJobRepository(uow.session).list(access.company_id, limit=limit, offset=offset)
    return ExportJobsPublic(data=[_public(job) for job in jobs])


@router.get(
    "/xero/exports/{job_id}",
    response_model=ExportJobPublic,
    summary="An export job: state, progress, counts and the records that failed, with why",
)
def get_export(job_id: UUID, access: AdminDep, uow: UowDep) -> ExportJobPublic:
    job = ExportJobRepository(uow.session).get(access.company_id, job_id)
    if job is None:
        raise not_found(f"export job {job_id}")
    return _public(job)
