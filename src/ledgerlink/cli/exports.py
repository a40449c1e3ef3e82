"""`ledgerlink export KIND --all --company NAME`: send every customer or product to Xero
once, matching what Xero already holds first, with progress and a summary."""

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.crypto import SecretKeyError
from ledgerlink.store.repositories.export_jobs import DONE, ExportJob
from ledgerlink.sync.exports import ExportRunner, export_kind
from ledgerlink.sync.imports import XeroClients

KINDS_HELP = "customers (as Xero contacts) or products (as Xero items)"
MAX_FAILURES_SHOWN = 20


async def export_all(
    container: Container, clients: XeroClients, kind: str, company: str, out: Console = console
) -> ExportJob:
    """Run one export job of ``kind`` for the company named ``company``, drawing its progress."""
    chosen = export_kind(kind)
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
    if found is None:
        raise DomainError("company", f"no company named {company!r}; see `ledgerlink users add`")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=False) as progress:
        task = progress.add_task(chosen.name.value, total=None)

        def report(job: ExportJob) -> None:
            described = f"{job.kind}: {job.message}" if job.state == "waiting" else job.kind
            progress.update(task, total=job.total, completed=job.done, description=described)

        runner = ExportRunner(container.uow, clients, clock=container.clock, on_progress=report)
        job = runner.start(found.id, chosen.name.value)
        return await runner.run(job.id)


def summary(job: ExportJob) -> Table:
    """What the job did, in one row."""
    table = Table(title="Exported to Xero")
    for column in ("kind", "state", "done", "linked", "created", "already", "failed",
                   "API calls"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("kind", "state") else "right")
    table.add_row(
        job.kind, job.state, str(job.done), str(job.linked), str(job.created), str(job.already),
        str(job.failed), str(job.api_calls),
    )  # fmt: skip
    return table


def _print_report(job: ExportJob, out: Console) -> None:
    out.print(summary(job))
    if job.message:
        out.print(job.message if job.state == DONE else f"[red]{job.message}[/]")
    for failure in job.failures[:MAX_FAILURES_SHOWN]:
        out.print(f"  failed {failure['name']}: {failure['reason']}")
    if job.failed > MAX_FAILURES_SHOWN:
        out.print(f"  ... and {job.failed - MAX_FAILURES_SHOWN} more failed")


def export_command(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP, metavar="KIND")],
    company: Annotated[str, typer.Option(help="The company's name.")],
    export_all_: Annotated[
        bool,
        typer.Option("--all", help="Every one of them here (required: the export is of all)."),
    ] = False,
) -> None:
    """Export every customer (as a Xero contact) or every product (as a Xero item) of the
    company to its Xero organisation, once; prints a summary at the end.

    Before creating anything, each is matched to what Xero already holds and linked
    instead: customers by contact number or by name (any letter case), products by code.
    Those already linked are left as they are. Created 50 a call.
    """
    container = build()
    try:
        if not export_all_:
            raise DomainError("--all", f"say --all to export every one of the {kind}")
        job = asyncio.run(export_all(container, container.xero_gateway, kind, company))
    except (DomainError, SecretKeyError) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    finally:
        container.close()
    _print_report(job, console)
    if job.state != DONE or job.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `export` command to ``app``."""
    app.command("export", context_settings={"allow_interspersed_args": True})(export_command)
