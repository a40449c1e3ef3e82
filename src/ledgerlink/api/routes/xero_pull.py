"""`POST .../xero/pull`: read what changed in Xero now, as a job to follow (admins);
`GET .../xero/new-contacts`: contacts added in Xero waiting for review.

The job runs as an asyncio task of the API process, its database work on threads; the
job row is the truth (`GET .../xero/pull/{job_id}`). It is the same pull as
`ledgerlink sync pull`.
"""

import datetime as dt
from uuid import UUID

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ledgerlink.api.deps import AdminDep, CompanyDep, UowDep
from ledgerlink.api.problems import Problem, not_found
from ledgerlink.api.xero_parts import get_gateway
from ledgerlink.store.repositories.contacts_for_review import ContactReviewRepository
from ledgerlink.store.repositories.pull_jobs import PullJob, PullJobRepository
from ledgerlink.sync.inbound import on_demand
from ledgerlink.sync.inbound.pull import STEPS

router = APIRouter(prefix="/companies/{company_id}", tags=["xero imports"])


class PullJobPublic(BaseModel):
    id: UUID
    state: str = Field(description="queued, running, done or failed")
    step: str | None = Field(description="The step running now: " + ", ".join(STEPS))
    steps_done: int
    steps_total: int
    read: int = Field(description="Records read from Xero so far")
    applied: int = Field(description="Of those, the ones linked here and now in line")
    message: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    url: str


def _public(job: PullJob) -> PullJobPublic:
    return PullJobPublic(
        id=job.id,
        state=job.state,
        step=job.step,
        steps_done=job.steps_done,
        steps_total=len(STEPS),
        read=job.read,
        applied=job.applied,
        message=job.message,
        created_at=job.created_at,
        finished_at=job.finished_at,
        url=f"/api/v1/companies/{job.company_id}/xero/pull/{job.id}",
    )


@router.post(
    "/xero/pull",
    response_model=PullJobPublic,
    status_code=202,
    summary="Pull what changed in Xero now (payments, credit notes, invoices, contacts)",
    description="The same pull as `ledgerlink sync pull`: a job to follow at its `url`.",
)
async def start_pull(request: Request, access: AdminDep) -> PullJobPublic:
    job = await on_demand.start_pull(
        request.app.state.uow_factory,
        request.app.state.clock,
        get_gateway(request).client,
        access.company_id,
        request.app.state.import_tasks,
    )
    if job is None:
        raise Problem(409, "Not connected to Xero", "connect the company to Xero, then pull again")
    return _public(job)


@router.get("/xero/pull/{job_id}", response_model=PullJobPublic, summary="Follow a pull")
def get_pull(job_id: UUID, access: AdminDep, uow: UowDep) -> PullJobPublic:
    job = PullJobRepository(uow.session).get(access.company_id, job_id)
    if job is None:
        raise not_found(f"pull job {job_id}")
    return _public(job)


class NewContactPublic(BaseModel):
    xero_id: str
    name: str
    kinds: list[str] = Field(description="supplier and/or customer, as Xero marks it")
    noticed_at: dt.datetime
    fix: str = Field(description="How to add it here")


class NewContactsPublic(BaseModel):
    data: list[NewContactPublic]


@router.get(
    "/xero/new-contacts",
    response_model=NewContactsPublic,
    summary="Contacts added in Xero, waiting for review",
    description="With the setting `xero_new_contacts: review`, a contact added in Xero is "
    "listed here until it is imported (`POST .../xero/imports`, or the command in `fix`).",
)
def list_new_contacts(access: CompanyDep, uow: UowDep) -> NewContactsPublic:
    waiting = ContactReviewRepository(uow.session).waiting(access.company_id)
    return NewContactsPublic(
        data=[
            NewContactPublic(
                xero_id=contact.xero_id,
                name=contact.name,
                kinds=list(contact.kinds),
                noticed_at=contact.noticed_at,
                fix=import_command(contact.kinds, contact.xero_id),
            )
            for contact in waiting
        ]
    )


def import_command(kinds: tuple[str, ...], xero_id: str) -> str:
    """The command that adds a contact for review here."""
    return " and ".join(
        f"`ledgerlink import {kind}s --company NAME --id {xero_id}`" for kind in kinds
    )
