"""`/companies/{company_id}/outbox`: the changes waiting to reach Xero, oldest first."""

import datetime as dt
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ledgerlink.api.deps import CompanyDep, UowDep

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
    state: str | None = Query(None, description="pending, sent, failed, ..."),
    limit: int = Query(100, ge=1, le=1000),
) -> OutboxPublic:
    rows = uow.outbox.list(access.company_id, state=state, limit=limit)
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
