"""`ledgerlink import KIND --company NAME`: bring Xero's reference data in, with progress."""

import asyncio
from collections.abc import Sequence
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.crypto import SecretKeyError
from ledgerlink.store.repositories.import_jobs import DONE, ImportJob
from ledgerlink.sync.imports import IMPORT_ORDER, ImportKind, ImportRunner, XeroClients, parse_kind

KINDS_HELP = "accounts, tracking-categories, suppliers, customers, items, tax-rates or all"
MAX_SKIPS_SHOWN = 20
_SINGULAR = {
    "accounts": "account",
    "tax-rates": "tax rate",
    "tracking-categories": "tracking category",
    "items": "item",
    "suppliers": "supplier",
    "customers": "customer",
}

app = typer.Typer(help="Import reference data from Xero.")


def _kinds(kind: str) -> tuple[ImportKind, ...]:
    return IMPORT_ORDER if kind == "all" else (parse_kind(kind),)


async def import_kinds(
    container: Container,
    clients: XeroClients,
    kind: str,
    company: str,
    *,
    import_all: bool = False,
    search: str | None = None,
    refresh: bool = False,
    out: Console = console,
) -> list[ImportJob]:
    """Run one import job per kind (every kind for ``all``), drawing their progress."""
    kinds = _kinds(kind)
    with container.uow() as uow:
        found = uow.companies.get_by_name(company)
    if found is None:
        raise DomainError("company", f"no company named {company!r}; see `ledgerlink users add`")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    jobs: list[ImportJob] = []
    with Progress(*columns, console=out, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def report(job: ImportJob) -> None:
            task = tasks[job.kind]
            description = f"{job.kind}: {job.message}" if job.state == "waiting" else job.kind
            progress.update(task, total=job.total, completed=job.processed, description=description)

        runner = ImportRunner(container.uow, clients, on_progress=report)
        for each in kinds:
            tasks[each.value] = progress.add_task(each.value, total=None)
            job = runner.start(
                found.id,
                each,
                import_all=import_all or kind == "all",
                search=search,
                refresh=refresh,
            )
            job = await runner.run(job.id)
            progress.update(tasks[each.value], total=job.total, completed=job.processed)
            jobs.append(job)
    return jobs


def summary(jobs: Sequence[ImportJob]) -> Table:
    """What each job did, one row per kind."""
    table = Table(title="Imported from Xero")
    for column in ("kind", "state", "created", "updated", "unchanged", "skipped", "API calls"):
        table.add_column(column, justify="left" if column in ("kind", "state") else "right")
    for job in jobs:
        table.add_row(
            job.kind,
            job.state,
            str(job.created),
            str(job.updated),
            str(job.unchanged),
            str(job.skipped),
            str(job.api_calls),
        )
    return table


def _print_report(jobs: Sequence[ImportJob], out: Console) -> None:
    out.print(summary(jobs))
    for job in jobs:
        for skip in job.skips[:MAX_SKIPS_SHOWN]:
            out.print(
                f"  skipped {_SINGULAR.get(job.kind, job.kind)} "
                f"{skip['name'] or skip['xero_id']}: {skip['reason']}"
            )
        if job.skipped > MAX_SKIPS_SHOWN:
            out.print(f"  ... and {job.skipped - MAX_SKIPS_SHOWN} more skipped {job.kind}")
        if job.state != DONE:
            out.print(f"[red]{job.kind}: {job.message}[/]")


@app.callback(invoke_without_command=True, context_settings={"allow_interspersed_args": True})
def import_command(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP)],
    company: Annotated[str, typer.Option(help="The company's name.")],
    import_all: Annotated[
        bool, typer.Option("--all", help="Import every supplier, customer or item in Xero.")
    ] = False,
    search: Annotated[
        str | None, typer.Option(help="Import the records whose name contains this text.")
    ] = None,
    refresh: Annotated[
        bool, typer.Option(help="Bring in only what changed in Xero since the last import.")
    ] = False,
) -> None:
    """Import KIND from the company's Xero organisation; prints a summary at the end."""
    container = build()
    try:
        clients = container.xero_gateway
        jobs = asyncio.run(
            import_kinds(
                container,
                clients,
                kind,
                company,
                import_all=import_all,
                search=search,
                refresh=refresh,
            )
        )
    except (DomainError, SecretKeyError) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    finally:
        container.close()
    _print_report(jobs, console)
    if any(job.state != DONE for job in jobs):
        raise typer.Exit(1)
