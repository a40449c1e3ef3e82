"""`/companies/{company_id}/sync`: documents by sync state, their log, retry and resolve."""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import ClockDep, CompanyDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.api.schemas.common import cents, one_of
from ledgerlink.store.repositories.reconciliations import ReconciliationRepository
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.tables.sync import SYNC_STATES
from ledgerlink.sync.engine.manual import NotTracked, resolve, retry
from ledgerlink.sync.engine.overview import sync_log, sync_state, sync_states
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
    kind: str = Field(description="bill or sales_invoice")
    document_id: UUID
    number: str
    field: str = Field(description="status, amount_due, total, or in_xero (Xero holds none)")
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
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SyncStatesPublic:
    found = sync_states(
        uow, clock, access.company_id, state=state, kind=kind, limit=limit, offset=offset
    )
    return SyncStatesPublic(data=[_public(s) for s in found])


@router.get(
    "/drift",
    summary="What differs from Xero: the last nightly comparison of linked documents",
    description="Each linked bill's and sales invoice's status, total and amount due, "
    "compared with Xero by the worker each night (company setting `xero_reconcile_hour`) "
    "or by `ledgerlink sync reconcile`; each difference with its fix.",
)
def get_drift(access: CompanyDep, uow: UowDep, clock: ClockDep) -> DriftReportPublic:
    run = ReconciliationRepository(uow.session).latest(access.company_id)
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
        next_run_at=next_run(uow, access.company_id, clock()),
        data=[DriftPublic(**dataclasses.asdict(d)) for d in (run.drift if run is not None else [])],
    )


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
