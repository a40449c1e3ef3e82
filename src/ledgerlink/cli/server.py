"""`ledgerlink serve` and `ledgerlink up`: the API server, and everything for newcomers."""

from typing import Annotated

import typer
import uvicorn

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.cli.db import migrate
from ledgerlink.cli.sandbox_process import running_sandbox
from ledgerlink.cli.users import add_user
from ledgerlink.config import forget_sandbox_env, load_settings, write_sandbox_env
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


def up(
    host: HostOption = None,
    port: PortOption = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            help="Start the offline Xero sandbox and point ledgerlink at it "
            "(--no-sandbox to use the Xero URLs from the environment)."
        ),
    ] = True,
    sandbox_port: Annotated[int, typer.Option(help="Port of the sandbox.")] = 8400,
) -> None:
    """Everything a newcomer needs: migrate, a demo admin with a fresh token, Xero sandbox, API."""
    settings = load_settings()
    if not sandbox:
        forget_sandbox_env(settings.var_dir)
        _up(Container(load_settings()), host, port, None)
        return
    data_file = settings.var_dir / "xero-sandbox.json"
    with running_sandbox(settings.host, sandbox_port, data_file) as root:
        write_sandbox_env(settings.var_dir, root)
        _up(Container(load_settings()), host, port, root)


def _up(container: Container, host: str | None, port: int | None, sandbox: str | None) -> None:
    settings = container.settings
    migrate(container)
    secret = add_user(container, DEMO_ADMIN, DEMO_COMPANY, Role.ADMIN, "ledgerlink up")
    base = f"http://{host or settings.host}:{port or settings.port}"
    xero = f"the Xero sandbox at {sandbox}" if sandbox else settings.xero_api_url
    console.print(
        f"\n[bold green]ledgerlink is up[/] at {base}\n"
        f"  API docs:   {base}/api/v1/docs\n"
        f"  Company:    {DEMO_COMPANY} (admin {DEMO_ADMIN})\n"
        f"  API token:  {secret}\n"
        f"  Xero:       {xero}\n"
        f"  Try:        curl -H 'Authorization: Bearer {secret}' {base}/api/v1/companies\n",
        highlight=False,
        soft_wrap=True,
    )
    run_api(container, host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(up)
