"""`ledgerlink connect`, `disconnect` and `xero-status`: a company's Xero connection."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import datetime
from typing import Annotated
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import typer
import uvicorn

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.sync.connect import ConnectionReport, XeroConnector

#: How often to look whether the admin came back from Xero.
POLL_SECONDS = 0.25
#: After Xero redirected back, how long the callback may take to store the connection.
SETTLE_SECONDS = 2.0

CompanyOption = Annotated[str, typer.Option(help="The company's name.")]


def register(app: typer.Typer) -> None:
    app.command()(connect)
    app.command()(disconnect)
    app.command("xero-status")(xero_status)


def connect(
    company: CompanyOption,
    timeout: Annotated[
        int, typer.Option(help="Seconds to wait for the consent (the link lasts 10 minutes).")
    ] = 600,
) -> None:
    """Connect a company to Xero: print the consent URL, then wait for the way back.

    Open the printed URL in a browser, sign in to Xero, choose the organisation and press
    "Allow access". Xero then sends the browser to the redirect URI
    (LEDGERLINK_XERO_REDIRECT_URI, by default http://127.0.0.1:8000/xero/callback). When
    nothing listens on that address (the API is not running), this command serves the
    callback there itself until the connection is made; when the API runs, the API receives
    it and this command watches the database for the connection. It gives up after
    --timeout seconds.
    """
    container = build()
    company_id = _company_id(container, company)
    connector = XeroConnector(container.xero_gateway)
    before = asyncio.run(connector.report(company_id))
    link = asyncio.run(connector.start(company_id, None))
    state = parse_qs(urlsplit(link.url).query)["state"][0]
    console.print(f"Open this URL to connect [bold]{company}[/] to Xero:")
    typer.echo(link.url)
    redirect = urlsplit(container.settings.xero_redirect_uri)
    host, port = redirect.hostname or "127.0.0.1", redirect.port or 80
    server = _serve_callback(container, host, port) if _port_is_free(host, port) else None
    where = "here" if server else "by the running API"
    console.print(f"Waiting for Xero to come back to {redirect.geturl()} ({where})...")
    try:
        report = _wait(container, connector, company_id, state, before.connected_at, timeout)
    finally:
        if server is not None:
            server.should_exit = True
    _show(report, company)
    if report.status not in ("connected", "choose_organisation"):
        raise typer.Exit(1)


def disconnect(company: CompanyOption) -> None:
    """Disconnect a company from Xero (what was synced stays linked for a re-connect)."""
    container = build()
    company_id = _company_id(container, company)
    done = asyncio.run(XeroConnector(container.xero_gateway).disconnect(company_id))
    console.print(
        f"{company} is disconnected from Xero." if done else f"{company} was not connected."
    )


def xero_status(
    company: CompanyOption,
    check: Annotated[bool, typer.Option(help="Ask Xero whether the connection stands.")] = False,
) -> None:
    """Show a company's Xero connection, token health and rate budget."""
    container = build()
    company_id = _company_id(container, company)
    report = asyncio.run(XeroConnector(container.xero_gateway).report(company_id, check=check))
    _show(report, company)


def _company_id(container: Container, name: str) -> UUID:
    with container.uow() as uow:
        found = uow.companies.get_by_name(name)
    if found is None:
        console.print(
            f"[red]There is no company named {name!r}[/]; create it with "
            f"'ledgerlink users add EMAIL --company {name!r} --role admin'."
        )
        raise typer.Exit(2)
    return found.id


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) != 0


def _serve_callback(container: Container, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(container.api(), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="xero-callback", daemon=True).start()
    return server


def _wait(
    container: Container,
    connector: XeroConnector,
    company_id: UUID,
    state: str,
    connected_before: datetime | None,
    timeout: int,
) -> ConnectionReport:
    gateway = container.xero_gateway
    deadline = time.monotonic() + timeout
    came_back: float | None = None
    while True:
        report = asyncio.run(connector.report(company_id))
        if report.status != "not_connected" and report.connected_at != connected_before:
            return report
        if came_back is None and asyncio.run(gateway.read(lambda r: r.consent_used(state))):
            came_back = time.monotonic()
        if came_back is not None and time.monotonic() - came_back > SETTLE_SECONDS:
            console.print(
                "[red]Xero came back but the company was not connected[/]: the browser "
                "shows why. Run this command again to retry."
            )
            return report
        if time.monotonic() > deadline:
            console.print(f"[red]No answer from Xero within {timeout} seconds[/]; try again.")
            return report
        time.sleep(POLL_SECONDS)


def _show(report: ConnectionReport, company: str) -> None:
    if report.status == "not_connected":
        console.print(f"{company} is not connected to Xero.")
        return
    organisation = report.organisation
    if report.status == "choose_organisation":
        names = ", ".join(f"{c.tenant_name} ({c.tenant_id})" for c in report.choices)
        console.print(
            f"{company}: the consent covers several organisations ({names}); choose one with "
            f"POST /api/v1/companies/{report.company_id}/xero/organisation"
        )
        return
    name = organisation.tenant_name if organisation else "?"
    tenant = organisation.tenant_id if organisation else "?"
    console.print(f"{company}: {report.status.replace('_', ' ')} to {name} ({tenant})")
    console.print(f"  token: {report.token_health}; scopes: {' '.join(report.scopes)}")
    if report.problem:
        console.print(f"  problem: {report.problem}")
    if report.budget is not None:
        budget = report.budget
        parked = (
            f", parked until {budget.parked_until:%Y-%m-%d %H:%M} UTC"
            if budget.parked_until
            else ""
        )
        console.print(
            f"  budget: {budget.minute_remaining}/min, {budget.day_remaining}/day left, "
            f"{budget.in_flight} in flight{parked}"
        )
