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
from ledgerlink.sync.connect import (
    ConnectFailed,
    ConnectionReport,
    XeroConnector,
    is_organisation,
)

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
    organisation: Annotated[
        str | None,
        typer.Option(
            metavar="NAME|TENANT_ID",
            help="The Xero organisation to connect when the consent covers several; if the "
            "company already waits for a choice, it is made without a new consent.",
        ),
    ] = None,
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
    --timeout seconds. If the consent covers several organisations, it connects the one
    named by --organisation, or asks which.
    """
    container = build()
    company_id = _company_id(container, company)
    connector = XeroConnector(container.xero_gateway)
    before = asyncio.run(connector.report(company_id))
    if organisation is not None and before.status == "choose_organisation":
        report = _choose(connector, company, before, organisation)
    else:
        report = _consent(container, connector, company, before, timeout)
        if report.status == "choose_organisation":
            report = _choose(connector, company, report, organisation)
    _show(report, company)
    if report.status != "connected":
        raise typer.Exit(1)
    bound = report.organisation
    if organisation is not None and bound is not None and not is_organisation(bound, organisation):
        console.print(
            f"[yellow]Note[/]: the consent covered only {bound.tenant_name}, not "
            f"{organisation!r}; to change, run this command again and pick it in Xero."
        )


def _consent(
    container: Container,
    connector: XeroConnector,
    company: str,
    before: ConnectionReport,
    timeout: int,
) -> ConnectionReport:
    """Print the consent URL and wait until the browser came back through the callback."""
    company_id = before.company_id
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
        return _wait(container, connector, company_id, state, before.connected_at, timeout)
    finally:
        if server is not None:
            server.should_exit = True


def _choose(
    connector: XeroConnector, company: str, report: ConnectionReport, wanted: str | None
) -> ConnectionReport:
    """Connect one of the organisations the consent covered: `wanted`, or the one asked for."""
    choices = report.choices
    if wanted is not None:
        picked = report.choice(wanted)
        if picked is None:
            console.print(f"[red]No organisation {wanted!r} among those of the consent[/].")
            _print_choices(company, report)
            raise typer.Exit(2)
    else:
        console.print("The consent in Xero covers several organisations:")
        for number, choice in enumerate(choices, start=1):
            console.print(f"  {number}. {choice.tenant_name} ({choice.tenant_id})")
        try:
            number = _ask_number("Which one is this company's? Number", len(choices))
        except typer.Abort:
            console.print("\nNo organisation was chosen.")
            _print_choices(company, report)
            raise typer.Exit(1) from None
        picked = choices[number - 1]
    try:
        asyncio.run(connector.choose(report.company_id, picked.tenant_id))
    except ConnectFailed as failed:
        console.print(f"[red]Not connected[/]: {failed.message}")
        raise typer.Exit(1) from None
    return asyncio.run(connector.report(report.company_id))


def _ask_number(question: str, highest: int) -> int:
    """A number from 1 to `highest` typed at the terminal (1 when just Enter is pressed)."""
    while True:
        answer = str(typer.prompt(question, default="1")).strip()
        if answer.isdigit() and 1 <= int(answer) <= highest:
            return int(answer)
        console.print(f"Type a number from 1 to {highest}.")


def _print_choices(company: str, report: ConnectionReport) -> None:
    console.print("Choose one with:")
    for choice in report.choices:
        console.print(
            f"  ledgerlink connect --company {company!r} --organisation {choice.tenant_name!r}",
            highlight=False,
            soft_wrap=True,
        )


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
            f"{company} is not connected yet: the consent covers several organisations "
            f"({names}); choose an organisation with "
            f"`ledgerlink connect --company {company!r} --organisation NAME|TENANT_ID`"
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
