"""Connect to Xero: the button to Xero's consent page, the organisation picker when the
consent covered several, and disconnect after a confirmation that says what stops."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from ledgerlink.sync.connect import ConnectFailed
from ledgerlink.web.auth import AdminPageDep, CompanyPageDep, UowDep
from ledgerlink.web.render import redirect, render
from ledgerlink.web.xero import connection_report, connector_of, release

router = APIRouter()


async def _page(
    request: Request, page: CompanyPageDep, uow: UowDep, error: str | None = None
) -> Response:
    report = await connection_report(request, page.company_id, uow)
    context = {"current": "Connect", "report": report, "error": error}
    return render(request, "connect.html", context, status=400 if error else 200)


@router.get("/companies/{company_id}/connect")
async def connect_page(request: Request, page: CompanyPageDep, uow: UowDep) -> Response:
    return await _page(request, page, uow)


@router.post("/companies/{company_id}/connect")
async def start_connecting(request: Request, page: AdminPageDep, uow: UowDep) -> Response:
    release(uow)
    connector = connector_of(request)
    if connector is None:
        return await _page(request, page, uow, "Xero is not set up for this installation.")
    link = await connector.start(page.company_id, page.person.user_id)
    return redirect(request, link.url)


@router.post("/companies/{company_id}/connect/organisation")
async def choose_organisation(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    tenant_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    release(uow)
    connector = connector_of(request)
    if connector is None or not tenant_id:
        return await _page(request, page, uow, "Choose one of the organisations.")
    try:
        await connector.choose(page.company_id, tenant_id)
    except ConnectFailed as failed:
        return await _page(request, page, uow, failed.message)
    return redirect(request, f"/companies/{page.company_id}/connect?done=connected")


@router.post("/companies/{company_id}/connect/disconnect")
async def disconnect(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    release(uow)
    connector = connector_of(request)
    if confirm != "yes":
        return await _page(
            request, page, uow, "Tick the box to confirm that sending to Xero should stop."
        )
    if connector is not None:
        await connector.disconnect(page.company_id)
    return redirect(request, f"/companies/{page.company_id}/connect?done=disconnected")
