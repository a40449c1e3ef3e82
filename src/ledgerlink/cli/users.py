"""`ledgerlink users`: users, their roles per company, and API tokens."""

from typing import Annotated

import typer

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.records import Role

app = typer.Typer(help="Users, their roles per company, and API tokens.", no_args_is_help=True)


def add_user(container: Container, email: str, company: str, role: Role, token_name: str) -> str:
    """Add `email` to `company` (creating either if new) with `role`; return a new token."""
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


@app.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="The user's email address.")],
    company: Annotated[str, typer.Option(help="The company's name; created if new.")],
    role: Annotated[Role, typer.Option(help="admin (connects, imports, settings) or member.")] = (
        Role.MEMBER
    ),
    label: Annotated[str, typer.Option(help="A label for the new API token.")] = "cli",
) -> None:
    """Add a user to a company (creating either if new) and print a new API token."""
    try:
        secret = add_user(build(), email, company, role, label)
    except DomainError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    console.print(f"{email} is {role.value} of {company}. API token (shown once):")
    typer.echo(secret)
