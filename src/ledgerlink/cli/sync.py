"""`ledgerlink sync status|retry|resolve`: documents by sync state, and what a person does."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import typer
from rich.table import Table

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.domain.errors import DomainError
from ledgerlink.sync.engine.manual import NotTracked, resolve, retry
from ledgerlink.sync.engine.overview import sync_states

app = typer.Typer(help="Documents' sync with Xero: status, retry, resolve.", no_args_is_help=True)

CompanyOption = Annotated[str, typer.Option(help="The company's name.")]
KindArgument = Annotated[str, typer.Argument(help="purchase_order, bill or supplier.")]
DocumentArgument = Annotated[UUID, typer.Argument(help="The document's id.")]


def _now() -> datetime:
    return datetime.now(UTC)


def _company_id(container: Container, company: str) -> UUID:
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
    if found is None:
        raise DomainError("company", f"no company named {company!r}; see `ledgerlink users add`")
    return found.id


def _fail(error: Exception) -> typer.Exit:
    console.print(f"[red]{error}[/]")
    return typer.Exit(2)


@app.command("status")
def status(
    company: CompanyOption,
    state: Annotated[
        str | None, typer.Option(help="failed, pending, sent or resolved (all by default).")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many documents.")] = 100,
) -> None:
    """List documents by sync state, with Xero's error and the fix for failed ones."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            found = sync_states(uow, _now, company_id, state=state, limit=limit)
    except DomainError as error:
        raise _fail(error) from error
    table = Table("kind", "document", "state", "in Xero", "attempts")
    for entry in found:
        table.add_row(
            entry.kind,
            str(entry.document_id),
            entry.state,
            entry.xero_status or "",
            str(entry.attempts),
        )
    console.print(table)
    for entry in found:
        lines = []
        if entry.last_error:
            lines.append(f"  error: {entry.last_error}")
        if entry.fix:
            lines.append(f"  fix: {entry.fix}")
        if entry.total_mismatch:
            lines.append(f"  total: ours {entry.total_ours}, Xero {entry.total_xero}")
        if lines:
            console.print(f"{entry.kind} {entry.document_id}", highlight=False)
            for line in lines:
                console.print(line, highlight=False, soft_wrap=True)
    console.print(f"{len(found)} document(s)")


@app.command("retry")
def retry_command(company: CompanyOption, kind: KindArgument, document: DocumentArgument) -> None:
    """Send a document to Xero again (after fixing it here or in Xero)."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            state = retry(uow, company_id, kind, document, _now())
            uow.commit()
    except (DomainError, NotTracked) as error:
        raise _fail(error) from error
    console.print(f"{state.kind} {state.document_id} is pending: the worker sends it next")


@app.command("resolve")
def resolve_command(company: CompanyOption, kind: KindArgument, document: DocumentArgument) -> None:
    """Mark a document as handled manually in Xero: nothing more is sent for it."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            state = resolve(uow, company_id, kind, document, _now())
            uow.commit()
    except (DomainError, NotTracked) as error:
        raise _fail(error) from error
    console.print(f"{state.kind} {state.document_id} is marked as handled manually")
