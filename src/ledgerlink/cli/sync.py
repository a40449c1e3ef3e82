"""`ledgerlink sync status|retry|resolve|files|pull|reconcile`: documents by sync state
(and what differs from Xero), what a person does, a document's files and notes, a pull
from Xero now, and a comparison with Xero now."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from ledgerlink.bootstrap import Container, build
from ledgerlink.cli.common import console
from ledgerlink.domain.attachments import DOCUMENT_KINDS
from ledgerlink.domain.errors import DomainError, InvalidValue
from ledgerlink.store.repositories.contacts_for_review import ContactReviewRepository
from ledgerlink.store.repositories.pull_jobs import PullJob
from ledgerlink.store.repositories.reconciliations import Reconciliation, ReconciliationRepository
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.sync.engine.document_files import files_and_notes, size_words
from ledgerlink.sync.engine.document_names import LABELS, find_document, name_of, resend
from ledgerlink.sync.engine.manual import NotTracked, resolve, retry, sync_kind
from ledgerlink.sync.engine.overview import sync_states
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.inbound.pull import STEPS, PullRunner
from ledgerlink.sync.inbound.reconcile import Reconciler, next_run
from xero_client import XeroError

app = typer.Typer(
    help="What the worker sends to Xero (suppliers, customers, items, purchase orders, "
    "bills, sales invoices, credit notes, payments, refunds, store credit, each credit "
    "use (an allocation, a refund paid out, an overpayment) and stock takes): status, retry, "
    "resolve; files, "
    "a document's files and notes; pull, what changed in Xero, now; and reconcile, what "
    "differs from Xero, now.",
    no_args_is_help=True,
)

CompanyOption = Annotated[str, typer.Option(help="The company's name.")]
KindArgument = Annotated[
    str,
    typer.Argument(
        help="purchase_order, bill, sales_invoice, credit_note, supplier, customer, item "
        "or payment."
    ),
]
DocumentArgument = Annotated[
    str,
    typer.Argument(help="The document's number (PO-1001), a supplier's name, or an id."),
]


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
    """List documents by sync state, with Xero's error and the fix for failed ones, then what
    the last comparison with Xero found and the contacts added in Xero waiting for review."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            found = sync_states(uow, _now, company_id, state=state, limit=limit)
            names = {
                (e.kind, e.document_id): name_of(uow, company_id, e.kind, e.document_id)
                for e in found
            }
            reconciled = ReconciliationRepository(uow.session).latest(company_id)
            waiting = ContactReviewRepository(uow.session).waiting(company_id)
            next_at = next_run(uow, company_id, _now())
    except DomainError as error:
        raise _fail(error) from error
    finally:
        container.close()
    table = Table("kind", "document", "state", "in Xero", "attempts", "id")
    for entry in found:
        table.add_row(
            LABELS.get(entry.kind, entry.kind),
            names[(entry.kind, entry.document_id)],
            entry.state,
            entry.xero_status or "",
            str(entry.attempts),
            str(entry.document_id),
        )
    console.print(table)
    for entry in found:
        named = f"{LABELS.get(entry.kind, entry.kind)} {names[(entry.kind, entry.document_id)]}"
        lines = []
        if entry.last_error:
            lines.append(f"  error: {entry.last_error}")
        if entry.fix:
            lines.append(f"  fix: {entry.fix}")
        if entry.total_mismatch:
            lines.append(f"  total: ours {entry.total_ours}, Xero {entry.total_xero}")
        if lines:
            console.print(named, highlight=False)
            for line in lines:
                console.print(line, highlight=False, soft_wrap=True)
    console.print(f"{len(found)} document(s)")
    _print_drift(reconciled, next_at)
    for contact in waiting:
        commands = " and ".join(
            f"ledgerlink import {kind}s --company {company!r} --id {contact.xero_id}"
            for kind in contact.kinds
        )
        console.print(
            f"Added in Xero, waiting for review: {contact.name} "
            f"({', '.join(contact.kinds)}): {commands}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )


def _print_drift(run: Reconciliation | None, next_at: datetime) -> None:
    """The last comparison with Xero: when, and each difference with its fix."""
    when = f"next at {next_at:%Y-%m-%d %H:%M} UTC"
    if run is None:
        console.print(f"Compared with Xero: not yet ({when})", highlight=False)
        return
    console.print(
        f"Compared with Xero: {run.finished_at:%Y-%m-%d %H:%M} UTC, {run.state}: "
        f"{run.message} ({when})",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    for drift in run.drift:
        label = LABELS.get(drift.kind, drift.kind)
        console.print(
            f"{label} {drift.number}: {drift.field} here {drift.ours}, Xero {drift.xero}\n"
            f"  fix: {drift.fix}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )


@app.command("retry")
def retry_command(
    company: CompanyOption,
    kind: KindArgument,
    document: DocumentArgument,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Send it again although Xero already has its current version."
        ),
    ] = False,
) -> None:
    """Send a document to Xero again (after fixing it here or in Xero)."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            kind = sync_kind(kind)
            document_id = find_document(uow, company_id, kind, document)
            named = f"{LABELS[kind]} {name_of(uow, company_id, kind, document_id)}"
            current = SyncStateRepository(uow.session, _now).get(company_id, kind, document_id)
            if current is not None and current.state == "sent" and not force:
                console.print(
                    f"{named} is in Xero already at its current version: nothing to send. "
                    f"To send it again anyway: ledgerlink sync retry --force "
                    f"--company {company!r} {kind} {document!r}",
                    highlight=False,
                    soft_wrap=True,
                )
                return
            send = resend if force else retry
            send(uow, company_id, kind, document_id, _now())
            uow.commit()
    except (DomainError, NotTracked) as error:
        raise _fail(error) from error
    console.print(f"{named} is pending: the worker sends it next", highlight=False)


@app.command("resolve")
def resolve_command(company: CompanyOption, kind: KindArgument, document: DocumentArgument) -> None:
    """Mark a document as handled manually in Xero: nothing more is sent for it."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            kind = sync_kind(kind)
            document_id = find_document(uow, company_id, kind, document)
            named = f"{LABELS[kind]} {name_of(uow, company_id, kind, document_id)}"
            resolve(uow, company_id, kind, document_id, _now())
            uow.commit()
    except (DomainError, NotTracked) as error:
        raise _fail(error) from error
    console.print(f"{named} is marked as handled manually", highlight=False)


@app.command("files")
def files_command(
    company: CompanyOption,
    kind: Annotated[
        str, typer.Argument(help="purchase_order, bill, sales_invoice or credit_note.")
    ],
    document: Annotated[str, typer.Argument(help="The document's number (PO-1001) or id.")],
) -> None:
    """List a document's files and notes, each with whether it is in Xero yet (or why not)."""
    container = build()
    try:
        company_id = _company_id(container, company)
        with container.uow() as uow:
            kind = sync_kind(kind)
            if kind not in DOCUMENT_KINDS:
                raise InvalidValue("kind", f"use one of {', '.join(DOCUMENT_KINDS)}; got {kind!r}")
            document_id = find_document(uow, company_id, kind, document)
            named = f"{LABELS[kind]} {name_of(uow, company_id, kind, document_id)}"
            found = files_and_notes(uow, company_id, kind, document_id)
    except DomainError as error:
        raise _fail(error) from error
    finally:
        container.close()
    console.print(
        f"{named}: {len(found.files)} file(s), {len(found.notes)} note(s)", highlight=False
    )
    for file in found.files:
        console.print(
            f"{file.file_name}  {size_words(file.size)}  {file.mime_type}  id {file.id}\n"
            f"  Xero: {found.xero(file)}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
    for note in found.notes:
        by = f" {note.author}" if note.author else ""
        console.print(
            f"{note.created_at:%Y-%m-%d %H:%M}{by}: {note.text}\n  Xero: {found.xero(note)}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )


async def pull_company(container: Container, company_id: UUID) -> PullJob:
    """Run one pull of the company, drawing its steps as they go."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("pull", total=len(STEPS))

        def report(job: PullJob) -> None:
            step = f"pull: {job.step}, {job.read} read" if job.step else f"pull: {job.state}"
            progress.update(task, completed=job.steps_done, description=step)

        runner = PullRunner(
            container.uow, container.xero_gateway.client, clock=container.clock, on_progress=report
        )
        return await runner.run(runner.start(company_id))


@app.command("pull")
def pull_command(company: CompanyOption) -> None:
    """Read what changed in Xero now (payments, credit notes, invoices, contacts) and apply it."""
    container = build()
    try:
        company_id = _company_id(container, company)
        job = asyncio.run(pull_company(container, company_id))
    except DomainError as error:
        raise _fail(error) from error
    finally:
        container.close()
    if job.state != "done":
        console.print(f"[red]pull failed: {job.message}[/]", highlight=False)
        raise typer.Exit(1)
    console.print(f"pull done: {job.message}", highlight=False)


async def reconcile_company(container: Container, company_id: UUID) -> Reconciliation:
    """Compare the company's linked documents with Xero, drawing the batches as they go."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("compare with Xero", total=None)

        def report(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        reconciler = Reconciler(container.uow, container.clock)
        async with container.xero_gateway.client(company_id) as client:
            return await reconciler.run(company_id, client, on_progress=report)


@app.command("reconcile")
def reconcile_command(company: CompanyOption) -> None:
    """Compare every linked bill, sales invoice, credit and purchase order with Xero now and
    list what differs."""
    container = build()
    try:
        company_id = _company_id(container, company)
        run = asyncio.run(reconcile_company(container, company_id))
        with container.uow() as uow:
            next_at = next_run(uow, company_id, _now())
    except DomainError as error:
        raise _fail(error) from error
    except GatewayError as error:
        raise _fail(error) from error
    except XeroError as error:
        raise _fail(error) from error
    finally:
        container.close()
    _print_drift(run, next_at)
    if run.state != "done":
        raise typer.Exit(1)
