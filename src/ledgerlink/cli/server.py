"""`ledgerlink serve` and `ledgerlink up`: the API server, and everything for newcomers."""

import secrets
from typing import Annotated

import typer
import uvicorn

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.access_log import log_config
from ledgerlink.cli.children import running_sandbox, running_worker
from ledgerlink.cli.common import console
from ledgerlink.cli.db import migrate
from ledgerlink.cli.users import add_user
from ledgerlink.config import Settings, forget_sandbox_env, load_settings, write_sandbox_env
from ledgerlink.store.records import Role

DEMO_COMPANY = "Demo Company"
DEMO_ADMIN = "admin@example.com"
DEMO_TOKEN_NAME = "ledgerlink up"  # noqa: S105 - a label, not a secret
# A fixed name for logs; a restarted worker (another run) takes its company leases over once
# the killed run's have run out.
UP_WORKER_NAME = "ledgerlink-up"

HostOption = Annotated[str | None, typer.Option(help="Address to listen on.")]
PortOption = Annotated[int | None, typer.Option(help="Port to listen on.")]


def serve(host: HostOption = None, port: PortOption = None) -> None:
    """Serve the REST API (and its OpenAPI document at /api/v1/openapi.json)."""
    run_api(build(), host, port)


def run_api(container: Container, host: str | None, port: int | None) -> None:
    server = uvicorn.Server(server_config(container, host, port))
    server.run()
    if not server.started:  # uvicorn has said why (the port is taken, ...)
        raise typer.Exit(3)


def server_config(container: Container, host: str | None, port: int | None) -> uvicorn.Config:
    """The API server's configuration; its access log never shows Xero's callback secrets."""
    settings = container.settings
    return uvicorn.Config(
        container.api(),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        log_config=log_config(settings.log_format),
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
    worker: Annotated[
        bool, typer.Option(help="Run a worker that sends approved documents to Xero.")
    ] = True,
) -> None:
    """Everything a newcomer needs: migrate, a demo admin with a fresh token, Xero sandbox, API."""
    settings = load_settings()
    if not sandbox:
        forget_sandbox_env(settings.var_dir)
        _up(Container(load_settings()), host, port, None, worker)
        return
    data_file = settings.var_dir / "xero-sandbox.json"
    # `ledgerlink connect` run from this folder sends Xero back to this API, on any port.
    set_by_environment = "xero_redirect_uri" in Settings().model_fields_set
    callback = None if set_by_environment else callback_uri(settings, host, port)
    # The sandbox posts its webhooks to this API, signed with the key it checks.
    webhooks = (webhooks_uri(settings, host, port), settings.xero_webhook_key)
    with running_sandbox(settings.host, sandbox_port, data_file, webhooks) as root:
        write_sandbox_env(settings.var_dir, root, callback)
        _up(Container(load_settings()), host, port, root, worker)


def _up(
    container: Container, host: str | None, port: int | None, sandbox: str | None, worker: bool
) -> None:
    settings = container.settings
    if "xero_redirect_uri" not in settings.model_fields_set:
        # Xero sends the admin back to this API, wherever `--host/--port` put it.
        callback = callback_uri(settings, host, port)
        container = Container(settings.model_copy(update={"xero_redirect_uri": callback}))
        settings = container.settings
    migrate(container)
    password = secrets.token_urlsafe(12)
    secret = demo_admin_token(container, password)
    base = f"http://{host or settings.host}:{port or settings.port}"
    xero = f"the Xero sandbox at {sandbox}" if sandbox else settings.xero_api_url
    console.print(
        f"\n[bold green]ledgerlink is up[/] at {base}\n"
        f"  Console:    {base}/ (sign in as {DEMO_ADMIN}, password {password})\n"
        f"  API docs:   {base}/api/v1/docs\n"
        f"  Company:    {DEMO_COMPANY} (admin {DEMO_ADMIN})\n"
        f"  API token:  {secret}\n"
        f"  Xero:       {xero}\n"
        f"  Worker:     {'sending approved documents to Xero' if worker else 'not started'}\n"
        f"  Try:        curl -H 'Authorization: Bearer {secret}' {base}/api/v1/companies\n",
        highlight=False,
        soft_wrap=True,
    )
    if not worker:
        run_api(container, host, port)
        return
    with running_worker(UP_WORKER_NAME):
        run_api(container, host, port)


def callback_uri(settings: Settings, host: str | None, port: int | None) -> str:
    """Xero's way back to the API listening on `host` and `port`."""
    return f"http://{host or settings.host}:{port or settings.port}/xero/callback"


def webhooks_uri(settings: Settings, host: str | None, port: int | None) -> str:
    """Where Xero posts its webhooks to the API listening on `host` and `port`."""
    return f"http://{host or settings.host}:{port or settings.port}/xero/webhooks"


def demo_admin_token(container: Container, password: str | None = None) -> str:
    """The demo admin of the demo company, with a new token replacing the last `up`'s (and
    with `password`, a new console password)."""
    return add_user(
        container,
        DEMO_ADMIN,
        DEMO_COMPANY,
        Role.ADMIN,
        DEMO_TOKEN_NAME,
        replace=True,
        password=password,
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(up)
