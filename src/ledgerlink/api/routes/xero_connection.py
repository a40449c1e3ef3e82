"""A company's Xero connection: connect, Xero's redirect back, pick the organisation,
status, disconnect.

`GET /xero/callback` lives outside `/api/v1` (it is the app's redirect URI, opened by the
admin's browser on the way back from Xero); it is authenticated by the single-use `state`
bound to the company and admin who started connecting.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ledgerlink.api.deps import AdminDep, CompanyDep
from ledgerlink.api.pages import html_page, wants_json
from ledgerlink.api.problems import PROBLEM_JSON, Problem
from ledgerlink.api.schemas.common import one_of
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
    status: Annotated[
        str, one_of(("not_connected", "choose_organisation", "connected", "needs_reconnect"))
    ]
    organisation: OrganisationPublic | None
    scopes: list[str]
    token: TokenHealthPublic | None
    problem: str | None
    budget: RateBudgetPublic | None
    choices: list[OrganisationPublic]
    connected_at: datetime | None
    links: dict[str, str]


class ConnectOutcomePublic(BaseModel):
    status: Annotated[str, one_of(("connected", "choose_organisation"))]
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
    description="A page saying what happened and what to do next; JSON when the client "
    "asks for application/json.",
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
    try:
        outcome = await connector.complete(
            state, code, error=error, error_description=error_description
        )
    except ConnectFailed as failed:
        if not wants_json(request):
            return HTMLResponse(_failed_page(request, failed), failed.status)
        problem = _failed(failed)
        return JSONResponse(
            problem.body(request.url.path), status_code=problem.status, media_type=PROBLEM_JSON
        )
    public = _outcome(outcome)
    if wants_json(request):
        return JSONResponse(public.model_dump(mode="json"))
    # A person who started from the web console goes back to it.
    console_return = getattr(request.app.state, "console_return", None)
    back = console_return(request, outcome.company_id) if console_return else None
    if back is not None:
        return RedirectResponse(back, status_code=303)
    return HTMLResponse(_outcome_page(public, _company_name(request, outcome.company_id)))


def _company_name(request: Request, company_id: UUID | None) -> str:
    if company_id is None:
        return "The company"
    with request.app.state.uow_factory() as uow:
        company = uow.companies.get(company_id)
    return company.name if company is not None else "The company"


def _connect_command(company: str, organisation: str | None = None) -> str:
    command = f"ledgerlink connect --company {_quoted(company)}"
    return command if organisation is None else f"{command} --organisation {_quoted(organisation)}"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _outcome_page(public: ConnectOutcomePublic, company: str) -> str:
    if public.status == "connected" and public.organisation is not None:
        name = public.organisation.name or public.organisation.tenant_id
        return html_page(
            "Connected to Xero",
            [
                f"{company} is now connected to the Xero organisation {name}.",
                "Next, import Xero's accounts, tax rates, tracking categories, items and "
                "contacts into ledgerlink with this command; then you can close this page.",
            ],
            commands=[f"ledgerlink import all --company {_quoted(company)}"],
        )
    names = ", ".join(c.name or c.tenant_id for c in public.choices)
    return html_page(
        "Choose the organisation",
        [
            f"{company} is not connected yet: the consent in Xero covered several "
            f"organisations ({names}), and a company is connected to one.",
            "If `ledgerlink connect` is waiting in your terminal, answer its question there. "
            "Otherwise choose the organisation with one of these commands (or POST "
            f'{public.next.get("choose", "")} with {{"tenant_id": "..."}}):',
        ],
        commands=[_connect_command(company, c.name or c.tenant_id) for c in public.choices],
    )


def _failed_page(request: Request, failed: ConnectFailed) -> str:
    company = _company_name(request, failed.company_id)
    return html_page(
        "Not connected to Xero",
        [
            f"{company} was not connected: {failed.message}.",
            "To try again, start connecting from ledgerlink (a consent link is good once "
            "and for 10 minutes):",
        ],
        commands=[
            _connect_command(company) if failed.company_id else "ledgerlink connect --company NAME"
        ],
    )
