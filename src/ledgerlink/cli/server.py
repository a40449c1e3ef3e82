"""`ledgerlink serve` and `ledgerlink up`: the API server, and everything for newcomers."""

from typing import Annotated

import typer
import uvicorn

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.cli.db import migrate
from ledgerlink.cli.users import add_user
from ledgerlink.store.records import Role

DEMO_COMPANY = "Demo Company"
DEMO_ADMIN = "admin@example.com"

HostOption = Annotated[str | None, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on.")]


def serve(host: HostOption = None, port: PortOption = None) -> None:
    """Serve the REST API (and its OpenAPI document at /api/v1/openapi.json)."""
    run_api(build(), host, port)


def run_api(container: Container, host: str | None, port: int | None) -> None:
    settings = container.settings
    uvicorn.run(
        container.api(),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


def up(host: HostOption = None, port: PortOption = None) -> None:
    """Everything a newcomer needs: migrate, make a demo admin with a fresh token, serve."""
    container = build()
    settings = container.settings
    migrate(container)
    secret = add_user(container, DEMO_ADMIN, DEMO_COMPANY, Role.ADMIN, "ledgerlink up")
    base = f"http://{host or settings.host}:{port or settings.port}"
    console.print(
        f"\n[bold green]ledgerlink is up[/] at {base}\n"
        f"  API docs:   {base}/api/v1/docs\n"
        f"  Company:    {DEMO_COMPANY} (admin {DEMO_ADMIN})\n"
        f"  API token:  {secret}\n"
        f"  Try:        curl -H 'Authorization: Bearer {secret}' {base}/api/v1/companies\n"
    )
    run_api(container, host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(up)
