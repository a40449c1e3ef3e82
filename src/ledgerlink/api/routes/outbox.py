"""`/companies/{company_id}/outbox`: the changes waiting to reach Xero, oldest first."""

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ledgerlink.api.deps import CompanyDep, UowDep
from ledgerlink.api.schemas.common import MAX_OFFSET

# The states of store.tables.outbox.OUTBOX_STATES: waiting, taken by a worker, sent, given
# up, and not sent (a change of a kind that does not reach Xero yet).
OutboxState = Literal["pending", "claimed", "done", "failed", "not_sent"]

router = APIRouter(prefix="/companies/{company_id}", tags=["sync"])


class OutboxEntryPublic(BaseModel):
    id: int
    kind: str
    document_id: UUID
    event_type: str
    version: int
    reaches_xero: bool
    state: str
    attempts: int
    created_at: dt.datetime
    last_error: str | None
    payload: dict[str, Any]


class OutboxPublic(BaseModel):
    data: list[OutboxEntryPublic]


@router.get("/outbox", summary="List the changes recorded for Xero, oldest first")
def list_outbox(
    access: CompanyDep,
    uow: UowDep,
    state: Annotated[OutboxState | None, Query(description="Only rows in this state")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> OutboxPublic:
    rows = uow.outbox.list(access.company_id, state=state, limit=limit, offset=offset)
    return OutboxPublic(
        data=[
            OutboxEntryPublic(
                id=row.id,
                kind=row.kind,
                document_id=row.document_id,
                event_type=row.event_type,
                version=row.version,
                reaches_xero=row.reaches_xero,
                state=row.state,
                attempts=row.attempts,
                created_at=row.created_at,
                last_error=row.last_error,
                payload=row.payload,
            )
            for row in rows
        ]
    )
