"""`/companies/{company_id}/sync`: documents by sync state, their log, retry and resolve."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import AdminDep, ClockDep, CompanyDep, UowDep
from ledgerlink.api.openapi_errors import problem_response
from ledgerlink.api.problems import Problem, not_found
from ledgerlink.api.schemas.common import MAX_OFFSET, cents, one_of
from ledgerlink.api.xero_parts import get_gateway
from ledgerlink.store.repositories.reconciliations import Reconciliation, ReconciliationRepository
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.tables.sync import SYNC_STATES
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.manual import NotTracked, resolve, retry
from ledgerlink.sync.engine.overview import sync_log, sync_state, sync_states
from ledgerlink.sync.inbound.on_demand import (
    NOT_CONNECTED,
    RATE_LIMITED,
    CompareRefused,
    compare_now,
)
from ledgerlink.sync.inbound.reconcile import next_run

router = APIRouter(prefix="/companies/{company_id}/sync", tags=["sync"])


class SyncStatePublic(BaseModel):
    kind: str
    document_id: UUID
    state: Annotated[str, one_of(SYNC_STATES)]
    attempts: int
    xero_id: str | None
    xero_status: str | None
    synced_version: int | None
    last_error: str | None
    fix: str | None
    total_ours: Decimal | None
    total_xero: Decimal | None
    total_mismatch: bool
    updated_at: dt.datetime | None


class SyncStatesPublic(BaseModel):
    data: list[SyncStatePublic]


class SyncLogEntryPublic(BaseModel):
    at: dt.datetime | None
    action: str
    outcome: str
    summary: str
    answer: str | None
    fix: str | None


class SyncDocumentPublic(SyncStatePublic):
    log: list[SyncLogEntryPublic]


class DriftPublic(BaseModel):
    kind: str = Field(
        description="bill, sales_invoice, credit_note, refund, store_credit, "
        "supplier_credit or purchase_order"
    )
    document_id: UUID
    number: str
    field: str = Field(
        description="status, amount_due (bills, sales invoices), remaining_credit (credits), "
        "total, or in_xero (Xero holds none)"
    )
    ours: str | None
    xero: str | None
    fix: str = Field(description="What to do about it, in plain words")


class ReconciliationPublic(BaseModel):
    state: str = Field(description="done or failed")
    checked: int = Field(description="Linked documents compared with Xero")
    message: str | None
    started_at: dt.datetime
    finished_at: dt.datetime


class DriftReportPublic(BaseModel):
    last_run: ReconciliationPublic | None = Field(
        description="The last comparison with Xero; null: none yet"
    )
    next_run_at: dt.datetime = Field(description="When the worker runs the next one")
    data: list[DriftPublic] = Field(description="What differed from Xero at the last run")


def _public(state: SyncState) -> SyncStatePublic:
    return SyncStatePublic(
        kind=state.kind,
        document_id=state.document_id,
        state=state.state,
        attempts=state.attempts,
        xero_id=state.xero_id,
        xero_status=state.xero_status,
        synced_version=state.synced_version,
        last_error=state.last_error,
        fix=state.fix,
        total_ours=cents(state.total_ours),
        total_xero=cents(state.total_xero),
        total_mismatch=state.total_mismatch,
        updated_at=state.updated_at,
    )


@router.get("", summary="Documents by sync state: failed, pending, sent or resolved")
def list_sync(
    access: CompanyDep,
    uow: UowDep,
    clock: ClockDep,
    state: Annotated[
        str | None,
        Query(
            description="failed, pending, sent or resolved",
            json_schema_extra={"enum": list(SYNC_STATES)},
        ),
    ] = None,
    kind: Annotated[
        str | None,
        Query(
            description="purchase_order, bill, sales_invoice, credit_note, supplier, "
            "customer or item"
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> SyncStatesPublic:
    found = sync_states(
        uow, clock, access.company_id, state=state, kind=kind, limit=limit, offset=offset
    )
    return SyncStatesPublic(data=[_public(s) for s in found])


def _report(uow: SqlUnitOfWork, company_id: UUID, now: dt.datetime) -> DriftReportPublic:
    run: Reconciliation | None = ReconciliationRepository(uow.session).latest(company_id)
    return DriftReportPublic(
        last_run=None
        if run is None
        else ReconciliationPublic(
            state=run.state,
            checked=run.checked,
            message=run.message,
            started_at=run.started_at,
            finished_at=run.finished_at,
        ),
        next_run_at=next_run(uow, company_id, now),
        data=[DriftPublic(**dataclasses.asdict(d)) for d in (run.drift if run is not None else [])],
    )


COMPARED = (
    "Each linked bill's and sales invoice's status, total and amount due, each linked credit "
    "note's, refund's, store credit's and supplier credit's status, total and credit left, "
    "and each linked purchase order's status and total"
)


@router.get(
    "/drift",
    summary="What differs from Xero: the last comparison of linked documents",
    description=f"{COMPARED}, compared with Xero by the worker each night (company setting "
    "`xero_reconcile_hour`), by `POST .../sync/reconcile` or by `ledgerlink sync reconcile`; "
    "each difference with its fix.",
)
def get_drift(access: CompanyDep, uow: UowDep, clock: ClockDep) -> DriftReportPublic:
    return _report(uow, access.company_id, clock())


@router.post(
    "/reconcile",
    summary="Compare the linked documents with Xero now (admins)",
    description=f"{COMPARED}, compared with Xero now, within the request: the same run as "
    "the nightly one and `ledgerlink sync reconcile`, read in batches (bills and invoices "
    "100 to a call, credits 40 to a call, purchase orders one call each) within the "
    "organisation's rate budget. Answers the drift report of `GET .../sync/drift`. Nothing "
    "is changed here or in Xero.",
    responses={
        409: problem_response(409, "The company is not connected to Xero, or must reconnect"),
        502: problem_response(502, "Xero failed; the run is kept as failed with Xero's answer"),
        503: problem_response(503, "Xero's rate limit is spent; `Retry-After` says when"),
    },
)
async def reconcile_now(request: Request, access: AdminDep) -> DriftReportPublic:
    uow_factory = request.app.state.uow_factory
    clock = request.app.state.clock
    try:
        await compare_now(uow_factory, clock, get_gateway(request).client, access.company_id)
    except CompareRefused as refused:
        raise _refusal(refused) from None
    with uow_factory() as uow:
        return _report(uow, access.company_id, clock())


def _refusal(refused: CompareRefused) -> Problem:
    if refused.why == RATE_LIMITED:
        wait = str(refused.retry_after or 1)
        return Problem(503, "Xero's rate limit", refused.message, headers={"Retry-After": wait})
    if refused.why == NOT_CONNECTED:
        return Problem(409, "Not connected to Xero", refused.message)
    return Problem(502, "Xero failed", refused.message)


@router.get("/{kind}/{document_id}", summary="One document's sync state and log")
def get_sync(
    kind: str, document_id: UUID, access: CompanyDep, uow: UowDep, clock: ClockDep
) -> SyncDocumentPublic:
    found = sync_state(uow, clock, access.company_id, kind, document_id)
    if found is None:
        raise not_found(f"sync state of {kind} {document_id}")
    entries = sync_log(uow, clock, access.company_id, kind, document_id)
    return SyncDocumentPublic(
        **_public(found).model_dump(),
        log=[
            SyncLogEntryPublic(
                at=e.at,
                action=e.action,
                outcome=e.outcome,
                summary=e.summary,
                answer=e.answer,
                fix=e.fix,
            )
            for e in entries
        ],
    )


@router.post("/{kind}/{document_id}/retry", summary="Send a document to Xero again")
def retry_sync(
    kind: str, document_id: UUID, access: CompanyDep, uow: UowDep, clock: ClockDep
) -> SyncStatePublic:
    try:
        state = retry(uow, access.company_id, kind, document_id, clock())
    except NotTracked as error:
        raise not_found(f"sync state of {error.kind} {document_id}") from None
    return commit_answering(uow, _public(state))


@router.post("/{kind}/{document_id}/resolve", summary="Mark a document as handled manually in Xero")
def resolve_sync(
    kind: str, document_id: UUID, access: CompanyDep, uow: UowDep, clock: ClockDep
) -> SyncStatePublic:
    try:
        state = resolve(uow, access.company_id, kind, document_id, clock())
    except NotTracked as error:
        raise not_found(f"sync state of {error.kind} {document_id}") from None
    return commit_answering(uow, _public(state))
