"""The `ledgerlink` command: database, users, the API server and `up` for newcomers."""

from typing import Annotated

import typer
import uvicorn
from rich.console import Console

from ledgerlink.bootstrap import Container, build
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.migrate import current_revision, head_revision, upgrade
from ledgerlink.store.records import Role

app = typer.Typer(
    help="ledgerlink: purchasing and billing in step with Xero.", no_args_is_help=True
)
db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
users_app = typer.Typer(
    help="Users, their roles per company, and API tokens.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")

console = Console()
DEMO_COMPANY = "Demo Company"
DEMO_ADMIN = "admin@example.com"


@app.callback()
def _root() -> None:
    """ledgerlink: purchasing and billing in step with Xero."""


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo("ledgerlink 0.1.0")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database at LEDGERLINK_DATABASE_URL (default: var/ledgerlink.db)."""
    container = build()
    _migrate(container)


def _migrate(container: Container) -> None:
    url = container.settings.database_url
    before = current_revision(url)
    upgrade(url)
    after = head_revision()
    if before == after:
        console.print(f"Database is up to date (revision {after}).")
    else:
        console.print(f"Database migrated from {before or 'empty'} to {after}.")


def _add_user(container: Container, email: str, company: str, role: Role, token_name: str) -> str:
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
        company_record = found or uow.companies.add(company)
        user = uow.users.get_by_email(email) or uow.users.add(email)
        uow.users.grant(user.id, company_record.id, role)
        issued = uow.tokens.issue(user.id, token_name)
        uow.commit()
    if found is None:
        console.print(f"Created company [bold]{company_record.name}[/].")
    return issued.secret


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="The user's email address.")],
    company: Annotated[str, typer.Option(help="The company's name; created if new.")],
    role: Annotated[Role, typer.Option(help="admin (connects, imports, settings) or member.")] = (
        Role.MEMBER
    ),
    label: Annotated[str, typer.Option(help="A label for the new API token.")] = "cli",
) -> None:
    """Add a user to a company (creating either if new) and print a new API token."""
    container = build()
    try:
        secret = _add_user(container, email, company, role, label)
    except DomainError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    console.print(f"{email} is {role.value} of {company}. API token (shown once):")
    typer.echo(secret)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the REST API (and its OpenAPI document at /api/v1/openapi.json)."""
    container = build()
    _serve(container, host, port)


def _serve(container: Container, host: str | None, port: int | None) -> None:
    settings = container.settings
    uvicorn.run(
        container.api(),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Everything a newcomer needs: migrate, make a demo admin with a fresh token, serve."""
    container = build()
    settings = container.settings
    _migrate(container)
    secret = _add_user(container, DEMO_ADMIN, DEMO_COMPANY, Role.ADMIN, "ledgerlink up")
    base = f"http://{host or settings.host}:{port or settings.port}"
    console.print(
        f"\n[bold green]ledgerlink is up[/] at {base}\n"
        f"  API docs:   {base}/api/v1/docs\n"
        f"  Company:    {DEMO_COMPANY} (admin {DEMO_ADMIN})\n"
        f"  API token:  {secret}\n"
        f"  Try:        curl -H 'Authorization: Bearer {secret}' {base}/api/v1/companies\n"
    )
    _serve(container, host, port)


def main() -> None:
    app()
