"""`ledgerlink users`: users, their roles per company, and API tokens."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import typer

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.records import ApiToken, Role, User
from ledgerlink.store.uow import SqlUnitOfWork

app = typer.Typer(help="Users, their roles per company, and API tokens.", no_args_is_help=True)

EmailArgument = Annotated[str, typer.Argument(help="The user's email address.")]


def add_user(
    container: Container,
    email: str,
    company: str,
    role: Role,
    token_name: str,
    *,
    replace: bool = False,
    password: str | None = None,
) -> str:
    """Add `email` to `company` (creating either if new) with `role`; return a new token.

    With `replace`, the user's live tokens named `token_name` are revoked first, so that
    one such token is ever live. With `password`, it becomes their console password.
    """
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
        company_record = found or uow.companies.add(company)
        user = uow.users.get_by_email(email) or uow.users.add(email)
        uow.users.grant(user.id, company_record.id, role)
        if password is not None:
            uow.users.set_password(user.id, password)
        if replace:
            uow.tokens.revoke_all(user.id, name=token_name)
        issued = uow.tokens.issue(user.id, token_name)
        uow.commit()
    if found is None:
        console.print(f"Created company [bold]{company_record.name}[/].")
    return issued.secret


def set_password(container: Container, email: str, password: str) -> None:
    """Give an existing user a new console password (their sessions end)."""
    with container.uow() as uow:
        uow.users.set_password(_user(uow, email).id, password)
        uow.commit()


def _user(uow: SqlUnitOfWork, email: str) -> User:
    user = uow.users.get_by_email(email)
    if user is None:
        raise DomainError("email", f"no user with email {email!r}; see `ledgerlink users add`")
    return user


def issue_token(container: Container, email: str, name: str, company: str | None) -> str:
    """A new token for an existing user, reaching `company` only when given; its secret."""
    with container.uow() as uow:
        user = _user(uow, email)
        scope = None
        if company is not None:
            found = uow.companies.get_by_name(company)
            if found is None or found.id not in uow.users.roles(user.id):
                raise DomainError(
                    "company", f"{email} is not a user of a company named {company!r}"
                )
            scope = found.id
        issued = uow.tokens.issue(user.id, name, scope)
        uow.commit()
    return issued.secret


def list_tokens(container: Container, email: str) -> tuple[list[ApiToken], dict[UUID, str]]:
    """The user's tokens, oldest first, and the names of the companies they are scoped to."""
    with container.uow() as uow:
        tokens = uow.tokens.list(_user(uow, email).id)
        names = {}
        for company_id in {t.company_id for t in tokens if t.company_id is not None}:
            company = uow.companies.get(company_id)
            names[company_id] = company.name if company else str(company_id)
    return tokens, names


def revoke_tokens(container: Container, email: str, token_id: str | None) -> int:
    """Revoke one of the user's tokens by id, or all of them (None); how many were live."""
    with container.uow() as uow:
        user = _user(uow, email)
        if token_id is None:
            revoked = uow.tokens.revoke_all(user.id)
        else:
            try:
                found = uow.tokens.get(user.id, UUID(token_id.strip()))
            except ValueError:
                found = None
            if found is None:
                raise DomainError(
                    "token",
                    f"{email} has no token {token_id!r}; see `ledgerlink users tokens {email}`",
                )
            revoked = int(uow.tokens.revoke(user.id, found.id))
        uow.commit()
    return revoked


def _fail(error: DomainError) -> typer.Exit:
    console.print(f"[red]{error}[/]")
    return typer.Exit(2)


def _columns(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


@app.command("add")
def users_add(
    email: EmailArgument,
    company: Annotated[str, typer.Option(help="The company's name; created if new.")],
    role: Annotated[Role, typer.Option(help="admin (connects, imports, settings) or member.")] = (
        Role.MEMBER
    ),
    label: Annotated[str, typer.Option(help="A label for the new API token.")] = "cli",
    password: Annotated[
        bool, typer.Option("--password", help="Ask for a password to sign in to the console.")
    ] = False,
) -> None:
    """Add a user to a company (creating either if new) and print a new API token."""
    chosen = _ask_password() if password else None
    try:
        secret = add_user(build(), email, company, role, label, password=chosen)
    except DomainError as error:
        raise _fail(error) from error
    console.print(f"{email} is {role.value} of {company}. API token (shown once):")
    typer.echo(secret)


def _ask_password() -> str:
    typed: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return typed


@app.command("set-password")
def users_set_password(email: EmailArgument) -> None:
    """Set a user's password for the web console (asked twice, never echoed)."""
    try:
        set_password(build(), email, _ask_password())
    except DomainError as error:
        raise _fail(error) from error
    console.print(f"{email} can sign in to the console with the new password.", highlight=False)


@app.command("token")
def users_token(
    email: EmailArgument,
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    company: Annotated[
        str | None,
        typer.Option(help="Reach only this company (one of the user's); all of them if left out."),
    ] = None,
) -> None:
    """Print a new API token for an existing user (shown once)."""
    try:
        secret = issue_token(build(), email, name, company)
    except DomainError as error:
        raise _fail(error) from error
    reach = f"{company} only" if company else "all of their companies"
    console.print(f"API token for {email}, reaching {reach} (shown once):", highlight=False)
    typer.echo(secret)


@app.command("tokens")
def users_tokens(email: EmailArgument) -> None:
    """List a user's API tokens: id, prefix, name, scope, created, last used, revoked."""
    try:
        tokens, names = list_tokens(build(), email)
    except DomainError as error:
        raise _fail(error) from error
    rows = [
        [
            str(token.id),
            token.prefix,
            token.name,
            "all" if token.company_id is None else names[token.company_id],
            _when(token.created_at),
            _when(token.last_used_at),
            _when(token.revoked_at),
        ]
        for token in tokens
    ]
    # Plain aligned columns: ids are copied into `users revoke` and must never be cut.
    for line in _columns(
        ["id", "prefix", "name", "scope", "created", "last used", "revoked"], rows
    ):
        typer.echo(line)
    console.print(f"{len(tokens)} token(s)")


@app.command("revoke")
def users_revoke(
    email: EmailArgument,
    token: Annotated[
        str | None, typer.Option(help="The id of the token to revoke (see `users tokens`).")
    ] = None,
    all_tokens: Annotated[
        bool, typer.Option("--all", help="Revoke every token of the user.")
    ] = False,
) -> None:
    """Revoke one of a user's API tokens (--token ID) or all of them (--all)."""
    if (token is None) == (not all_tokens):
        console.print("[red]say which: --token ID or --all[/]")
        raise typer.Exit(2)
    try:
        revoked = revoke_tokens(build(), email, None if all_tokens else token)
    except DomainError as error:
        raise _fail(error) from error
    console.print(f"Revoked {revoked} token(s) of {email}.", highlight=False)
