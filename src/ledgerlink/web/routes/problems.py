"""Sync problems: every failed document with its fix first, and Retry all after fixing."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from starlette.responses import Response

from ledgerlink.sync.engine.manual import retry_failed
from ledgerlink.sync.engine.overview import sync_states
from ledgerlink.web.auth import AdminPageDep, CompanyPageDep, UowDep
from ledgerlink.web.documents import KINDS
from ledgerlink.web.render import redirect, render

router = APIRouter()

SHOWN = 500


@router.get("/companies/{company_id}/problems")
def problems(request: Request, page: CompanyPageDep, uow: UowDep) -> Response:
    failed = sync_states(uow, request.app.state.clock, page.company_id, state="failed", limit=SHOWN)
    wanted: dict[str, list[UUID]] = defaultdict(list)
    for state in failed:
        wanted[state.kind].append(state.document_id)
    documents: dict[UUID, Any] = {}
    for kind, ids in wanted.items():
        if kind in KINDS:
            documents.update(KINDS[kind].repository(uow).get_many(page.company_id, ids))
    rows = [
        {
            "state": state,
            "kind": KINDS.get(state.kind),
            "document": documents.get(state.document_id),
        }
        for state in failed
    ]
    return render(request, "problems.html", {"current": "Sync problems", "rows": rows})


@router.post("/companies/{company_id}/problems/retry-all")
def retry_all(request: Request, page: AdminPageDep, uow: UowDep) -> Response:
    retry_failed(uow, page.company_id, request.app.state.clock())
    uow.commit()
    return redirect(request, f"/companies/{page.company_id}/problems?done=retried-all")
