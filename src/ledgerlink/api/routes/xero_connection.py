"""A company's Xero connection: connect, Xero's redirect back, pick the organisation,
status, disconnect.

`GET /xero/callback` lives outside `/api/v1` (it is the app's redirect URI, opened by the
admin's browser on the way back from Xero); it is authenticated by the single-use `state`
bound to the company and admin who started connecting.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from ledgerlink.api.deps import AdminDep, CompanyDep
from ledgerlink.api.problems import PROBLEM_JSON, Problem
from ledgerlink.api.xero_parts import GatewayDep
from ledgerlink.store.repositories.xero_connections import Organisation
from ledgerlink.sync.connect import ConnectFailed, ConnectionReport, ConnectOutcome, XeroConnector

router = APIRouter(tags=["xero"])
callback_router = APIRouter(tags=["xero"])

API_PREFIX = "/api/v1"


def get_connector(gateway: GatewayDep) -> XeroConnector:
    """A connector on the app's gateway."""
    return XeroConnector(gateway)


ConnectorDep = Annotated[XeroConnector, Depends(get_connector)]


class OrganisationPublic(BaseModel):
    tenant_id: str
    name: str | None


class ConsentLinkPublic(BaseModel):
    authorize_url: str = Field(description="Xero's consent page; send the admin's browser here.")
    expires_at: datetime


class RateBudgetPublic(BaseModel):
    minute_remaining: int
    day_remaining: int
    in_flight: int
    parked_until: datetime | None


class TokenHealthPublic(BaseModel):
    health: str = Field(description="ok, refreshing (renewed on the next call) or needs_reconnect")
    access_expires_at: datetime | None


class XeroConnectionPublic(BaseModel):
    company_id: UUID
    connected: bool
    status: str = Field(
        description="not_connected, choose_organisation, connected or needs_reconnect"
    )
    organisation: OrganisationPublic | None
    scopes: list[str]
    token: TokenHealthPublic | None
    problem: str | None
    budget: RateBudgetPublic | None
    choices: list[OrganisationPublic]
    connected_at: datetime | None
    links: dict[str, str]


class ConnectOutcomePublic(BaseModel):
    status: str = Field(description="connected or choose_organisation")
    company_id: UUID
    organisation: OrganisationPublic | None
    choices: list[OrganisationPublic]
    next: dict[str, str]


class OrganisationChoice(BaseModel):
    tenant_id: str = Field(min_length=1, max_length=64, description="A tenant_id of `choices`.")


class DisconnectedPublic(BaseModel):
    company_id: UUID
    status: str


def _organisation(found: Organisation | None) -> OrganisationPublic | None:
    return (
        None
        if found is None
        else OrganisationPublic(tenant_id=found.tenant_id, name=found.tenant_name)
    )


def _base(company_id: UUID) -> str:
    return f"{API_PREFIX}/companies/{company_id}/xero"


def _report(report: ConnectionReport) -> XeroConnectionPublic:
    base = _base(report.company_id)
    links = {"self": base, "connect": f"{base}/connect"}
    if report.status == "choose_organisation":
        links["choose"] = f"{base}/organisation"
    budget = report.budget
    return XeroConnectionPublic(
        company_id=report.company_id,
        connected=report.connected,
        status=report.status,
        organisation=_organisation(report.organisation),
        scopes=list(report.scopes),
        token=None
        if report.token_health is None
        else TokenHealthPublic(
            health=report.token_health, access_expires_at=report.token_expires_at
        ),
        problem=report.problem,
        budget=None
        if budget is None
        else RateBudgetPublic(
            minute_remaining=budget.minute_remaining,
            day_remaining=budget.day_remaining,
            in_flight=budget.in_flight,
            parked_until=budget.parked_until,
        ),
        choices=[o for o in (_organisation(c) for c in report.choices) if o is not None],
        connected_at=report.connected_at,
        links=links,
    )


def _outcome(outcome: ConnectOutcome) -> ConnectOutcomePublic:
    base = _base(outcome.company_id)
    following = {"status": base}
    if outcome.status == "choose_organisation":
        following["choose"] = f"{base}/organisation"
    return ConnectOutcomePublic(
        status=outcome.status,
        company_id=outcome.company_id,
        organisation=_organisation(outcome.organisation),
        choices=[o for o in (_organisation(c) for c in outcome.choices) if o is not None],
        next=following,
    )


def _failed(failed: ConnectFailed) -> Problem:
    titles = {400: "Connection refused", 409: "Conflict", 422: "Validation failed"}
    title = titles.get(failed.status, "Xero failed")
    errors = [{"field": "xero", "message": failed.message, "reason": failed.reason}]
    return Problem(failed.status, title, failed.message, errors)


@router.get(
    "/companies/{company_id}/xero",
    summary="The company's Xero connection, token health and rate budget",
)
async def connection_status(
    access: CompanyDep,
    connector: ConnectorDep,
    check: Annotated[
        bool, Query(description="Ask Xero now whether the connection still stands.")
    ] = False,
) -> XeroConnectionPublic:
    try:
        report = await connector.report(access.company_id, check=check)
    except ConnectFailed as failed:
        raise _failed(failed) from None
    return _report(report)


@router.get(
    "/companies/{company_id}/xero/connect",
    summary="Start connecting to Xero: the consent page to send the admin to (admin only)",
)
async def connect(access: AdminDep, connector: ConnectorDep) -> ConsentLinkPublic:
    link = await connector.start(access.company_id, access.caller.user_id)
    return ConsentLinkPublic(authorize_url=link.url, expires_at=link.expires_at)


@router.post(
    "/companies/{company_id}/xero/organisation",
    summary="Choose the organisation when the consent covered several (admin only)",
)
async def choose_organisation(
    access: AdminDep, connector: ConnectorDep, choice: OrganisationChoice
) -> ConnectOutcomePublic:
    try:
        outcome = await connector.choose(access.company_id, choice.tenant_id)
    except ConnectFailed as failed:
        raise _failed(failed) from None
    return _outcome(outcome)


@router.delete(
    "/companies/{company_id}/xero",
    summary="Disconnect from Xero; what was synced stays linked (admin only)",
)
async def disconnect(access: AdminDep, connector: ConnectorDep) -> DisconnectedPublic:
    done = await connector.disconnect(access.company_id)
    return DisconnectedPublic(
        company_id=access.company_id, status="disconnected" if done else "not_connected"
    )


@callback_router.get(
    "/xero/callback",
    summary="Xero's redirect back after the consent page (the app's redirect URI)",
    response_model=ConnectOutcomePublic,
)
async def callback(
    request: Request,
    connector: ConnectorDep,
    state: str | None = None,
    code: str | None = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response:
    wants_html = "text/html" in request.headers.get("accept", "")
    try:
        outcome = await connector.complete(
            state, code, error=error, error_description=error_description
        )
    except ConnectFailed as failed:
        if wants_html:
            return HTMLResponse(_page("Not connected to Xero", failed.message, {}), failed.status)
        problem = _failed(failed)
        return JSONResponse(
            problem.body(request.url.path), status_code=problem.status, media_type=PROBLEM_JSON
        )
    public = _outcome(outcome)
    if wants_html:
        return HTMLResponse(_outcome_page(public))
    return JSONResponse(public.model_dump(mode="json"))


def _outcome_page(public: ConnectOutcomePublic) -> str:
    if public.status == "connected" and public.organisation is not None:
        name = public.organisation.name or public.organisation.tenant_id
        return _page("Connected to Xero", f"The company is now connected to {name}.", public.next)
    names = ", ".join(f"{c.name} ({c.tenant_id})" for c in public.choices)
    return _page(
        "Choose the organisation",
        f"The consent covers several organisations: {names}. Choose one with "
        f'POST {public.next.get("choose", "")} and {{"tenant_id": ...}}.',
        public.next,
    )


def _page(title: str, message: str, links: dict[str, Any]) -> str:
    items = "".join(
        f'<li><a href="{escape(str(url))}">{escape(name)}</a></li>' for name, url in links.items()
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><main><h1>{escape(title)}</h1><p>{escape(message)}</p>"
        f"<ul>{items}</ul></main></body></html>"
    )
