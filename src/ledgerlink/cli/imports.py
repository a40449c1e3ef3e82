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

KINDS_HELP = (
    "accounts, tax-rates, tracking-categories, items, suppliers, customers, "
    "or all (every kind, in that order)"
)
PICK_HELP = (
    "--all for every one in Xero, --search TEXT for those whose name contains TEXT, "
    "or --id XERO_ID (repeatable) for given ones"
)
MAX_SKIPS_SHOWN = 20
_SINGULAR = {
    "accounts": "account",
    "tax-rates": "tax rate",
    "tracking-categories": "tracking category",
    "items": "item",
    "suppliers": "supplier",
    "customers": "customer",
}


def _kinds(kind: str) -> tuple[ImportKind, ...]:
    return IMPORT_ORDER if kind == "all" else (parse_kind(kind),)


def check_picked(
    kind: str, *, import_all: bool, search: str | None, ids: Sequence[str], refresh: bool
) -> None:
    """Refuse, in the command's own words, a kind whose records must be picked but are not.

    Raises:
        DomainError: an unknown kind, nothing picked, or `--id` with `--all`.
    """
    kinds = _kinds(kind)
    if ids and import_all:
        raise DomainError("--id", "pick records with --id, or import them all with --all; not both")
    if ids and kind == "all":
        raise DomainError("--id", "--id picks records of one kind; name that kind, not all")
    if kind == "all" or refresh or import_all or ids or (search and search.strip()):
        return
    for each in kinds:
        if not each.picked_whole:
            raise DomainError("kind", f"say which {each.value} to import: {PICK_HELP}")


async def import_kinds(
    container: Container,
    clients: XeroClients,
    kind: str,
    company: str,
    *,
    import_all: bool = False,
    search: str | None = None,
    ids: Sequence[str] = (),
    refresh: bool = False,
    out: Console = console,
) -> list[ImportJob]:
    """Run one import job per kind (every kind for ``all``), drawing their progress."""
    kinds = _kinds(kind)
    check_picked(kind, import_all=import_all, search=search, ids=ids, refresh=refresh)
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
                xero_ids=ids,
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


def _print_report(jobs: Sequence[ImportJob], out: Console, search: str | None = None) -> None:
    out.print(summary(jobs))
    for job in jobs:
        found = job.created + job.updated + job.unchanged + job.skipped
        if search and job.state == DONE and found == 0:
            out.print(f"nothing matched {search.strip()!r} among Xero's {job.kind}")
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


def import_command(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP, metavar="KIND")],
    company: Annotated[str, typer.Option(help="The company's name.")],
    import_all: Annotated[
        bool, typer.Option("--all", help="Import every supplier, customer or item in Xero.")
    ] = False,
    search: Annotated[
        str | None, typer.Option(help="Import the records whose name contains this text.")
    ] = None,
    ids: Annotated[
        list[str] | None,
        typer.Option(
            "--id", help="Import the record of this Xero id; repeat for more.", metavar="XERO_ID"
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Bring in only what changed since the last import.")
    ] = False,
) -> None:
    """Import KIND (accounts, tax-rates, tracking-categories, items, suppliers, customers, or
    all of them) from the company's Xero organisation; prints a summary at the end.

    Accounts, tax rates and tracking categories come in whole. Suppliers, customers and
    items are picked: --all, --search TEXT, or --id XERO_ID (repeatable).
    """
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
                ids=ids or (),
                refresh=refresh,
            )
        )
    except (DomainError, SecretKeyError) as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from error
    finally:
        container.close()
    _print_report(jobs, console, search)
    if any(job.state != DONE for job in jobs):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `import` command to ``app``."""
    app.command("import", context_settings={"allow_interspersed_args": True})(import_command)
