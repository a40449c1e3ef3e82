"""Documents by kind, status and sync state; one document with its lines, totals, Xero
status, sync timeline, files and notes; Send again, Mark as handled, upload a file and add
a note (admins)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import Response

from ledgerlink.config import XERO_API_URL
from ledgerlink.domain.attachments import MAX_NOTE_LENGTH
from ledgerlink.domain.errors import DomainError
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.tables.sync import SYNC_STATES
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.document_files import attach_file, files_and_notes, write_note
from ledgerlink.sync.engine.manual import NotTracked, resolve, retry
from ledgerlink.sync.engine.overview import sync_log, sync_state, sync_states
from ledgerlink.web.auth import AdminPageDep, CompanyPage, CompanyPageDep, PageNotFound, UowDep
from ledgerlink.web.documents import KINDS, DocumentKind, party_names
from ledgerlink.web.render import redirect, render
from ledgerlink.web.xero import connection_report

router = APIRouter()

PAGE_SIZE = 25


def _kind(key: str) -> DocumentKind:
    found = KINDS.get(key)
    if found is None:
        raise PageNotFound()
    return found


def _page_of(
    uow: SqlUnitOfWork,
    request: Request,
    company_id: UUID,
    kind: DocumentKind,
    status: str | None,
    sync: str | None,
    offset: int,
) -> tuple[list[Any], dict[UUID, SyncState]]:
    """One page of documents (one more than shown, to tell whether there is a next page)."""
    clock = request.app.state.clock
    repository = kind.repository(uow)
    if sync is not None and kind.synced:
        found = sync_states(
            uow, clock, company_id, state=sync, kind=kind.key, limit=PAGE_SIZE + 1, offset=offset
        )
        by_id = repository.get_many(company_id, [s.document_id for s in found])
        documents = [by_id[s.document_id] for s in found if s.document_id in by_id]
        if status is not None:
            documents = [d for d in documents if d.status.value == status]
        return documents, {s.document_id: s for s in found}
    if sync is not None:
        return [], {}
    documents = repository.list(company_id, status=status, limit=PAGE_SIZE + 1, offset=offset)
    states = (
        SyncStateRepository(uow.session, clock).get_many(
            company_id, kind.key, [d.id for d in documents]
        )
        if kind.synced
        else {}
    )
    return documents, states


@router.get("/companies/{company_id}/documents")
def documents(
    request: Request,
    page: CompanyPageDep,
    uow: UowDep,
    kind: str = "purchase_order",
    status: str = "",
    sync: str = "",
    offset: int = 0,
) -> Response:
    chosen = _kind(kind)
    statuses = [s.value for s in chosen.statuses]
    wanted_status = status if status in statuses else None
    wanted_sync = sync if sync in SYNC_STATES else None
    offset = max(0, min(offset, 1_000_000))
    found, states = _page_of(
        uow, request, page.company_id, chosen, wanted_status, wanted_sync, offset
    )
    context = {
        "current": "Documents",
        "kinds": KINDS.values(),
        "kind": chosen,
        "statuses": statuses,
        "sync_states": SYNC_STATES,
        "status": wanted_status or "",
        "sync": wanted_sync or "",
        "documents": found[:PAGE_SIZE],
        "states": states,
        "parties": party_names(uow, page.company_id, found),
        "offset": offset,
        "previous": max(0, offset - PAGE_SIZE) if offset else None,
        "next": offset + PAGE_SIZE if len(found) > PAGE_SIZE else None,
    }
    return render(request, "documents.html", context)


def xero_page(request: Request, kind: DocumentKind, xero_id: str, tenant_id: str | None) -> str:
    """Where the document is seen in Xero (the sandbox's organisation page locally)."""
    api_url = request.app.state.settings.xero_api_url.rstrip("/")
    if api_url == XERO_API_URL:
        return "https://go.xero.com/" + kind.xero_path.format(id=xero_id)
    return f"{api_url}/_sandbox/orgs/{tenant_id}" if tenant_id else api_url


def _found(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: str
) -> tuple[DocumentKind, Any]:
    """The kind and the company's document it names, or 404."""
    chosen = _kind(kind)
    try:
        wanted = UUID(document_id)
    except ValueError:
        raise PageNotFound() from None
    found = chosen.repository(uow).get(company_id, wanted)
    if found is None:
        raise PageNotFound()
    return chosen, found


@router.get("/companies/{company_id}/documents/{kind}/{document_id}")
async def document(
    request: Request, page: CompanyPageDep, uow: UowDep, kind: str, document_id: str
) -> Response:
    return await _document_page(request, page, uow, kind, document_id)


async def _document_page(
    request: Request,
    page: CompanyPage,
    uow: SqlUnitOfWork,
    kind: str,
    document_id: str,
    error: str | None = None,
    note: str = "",
) -> Response:
    chosen, found = _found(uow, page.company_id, kind, document_id)
    clock = request.app.state.clock
    state = sync_state(uow, clock, page.company_id, kind, found.id) if chosen.synced else None
    log = sync_log(uow, clock, page.company_id, kind, found.id) if chosen.synced else []
    link = None
    if state is not None and state.xero_id:
        report = await connection_report(request, page.company_id, uow)
        tenant = report.organisation.tenant_id if report and report.organisation else None
        link = xero_page(request, chosen, state.xero_id, tenant)
    context = {
        "current": "Documents",
        "kind": chosen,
        "document": found,
        "party": party_names(uow, page.company_id, [found]).get(found.id),
        "state": state,
        "log": list(reversed(log)),
        "xero_link": link,
        "attached": files_and_notes(uow, page.company_id, chosen.key, found.id),
        "error": error,
        "note": note,
    }
    return render(request, "document.html", context, status=422 if error else 200)


@router.get("/companies/{company_id}/documents/{kind}/{document_id}/files/{file_id}")
def download(
    page: CompanyPageDep, uow: UowDep, kind: str, document_id: str, file_id: str
) -> Response:
    chosen, found = _found(uow, page.company_id, kind, document_id)
    try:
        wanted = UUID(file_id)
    except ValueError:
        raise PageNotFound() from None
    file = uow.files.get_file(page.company_id, chosen.key, found.id, wanted)
    if file is None:
        raise PageNotFound()
    content = uow.files.content(page.company_id, file.sha256)
    disposition = f"attachment; filename*=UTF-8''{quote(file.file_name, safe='')}"
    return Response(
        content,
        media_type=file.mime_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


@router.post("/companies/{company_id}/documents/{kind}/{document_id}/files")
async def upload(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    kind: str,
    document_id: str,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    chosen, found = _found(uow, page.company_id, kind, document_id)
    if file is None:
        error = "File: choose a file to upload."
        return await _document_page(request, page, uow, kind, document_id, error)
    try:
        attach_file(
            uow, page.company_id, chosen.key, found.id, file.filename, file.content_type,
            file.file.read,
        )  # fmt: skip
    except DomainError as error:
        uow.rollback()
        message = f"File: {error.message}."
        return await _document_page(request, page, uow, kind, document_id, message)
    uow.commit()
    return redirect(request, f"{_path(page, chosen, found)}?done=file-added")


@router.post("/companies/{company_id}/documents/{kind}/{document_id}/notes")
async def add_a_note(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    kind: str,
    document_id: str,
    text: Annotated[str, Form(max_length=MAX_NOTE_LENGTH * 4)] = "",
) -> Response:
    chosen, found = _found(uow, page.company_id, kind, document_id)
    try:
        write_note(uow, page.company_id, chosen.key, found.id, text, page.person.email)
    except DomainError as error:
        uow.rollback()
        message = f"Note: {error.message}."
        return await _document_page(request, page, uow, kind, document_id, message, text)
    uow.commit()
    return redirect(request, f"{_path(page, chosen, found)}?done=note-added")


def _path(page: CompanyPage, kind: DocumentKind, document: Any) -> str:
    return f"/companies/{page.company_id}/documents/{kind.key}/{document.id}"


@router.post("/companies/{company_id}/documents/{kind}/{document_id}/retry")
def send_again(
    request: Request, page: AdminPageDep, uow: UowDep, kind: str, document_id: str
) -> Response:
    return _act(request, page.company_id, uow, kind, document_id, "retried")


@router.post("/companies/{company_id}/documents/{kind}/{document_id}/resolve")
def mark_handled(
    request: Request, page: AdminPageDep, uow: UowDep, kind: str, document_id: str
) -> Response:
    return _act(request, page.company_id, uow, kind, document_id, "resolved")


def _act(
    request: Request, company_id: UUID, uow: UowDep, kind: str, document_id: str, done: str
) -> Response:
    chosen = _kind(kind)
    try:
        wanted = UUID(document_id)
    except ValueError:
        raise PageNotFound() from None
    if not chosen.synced or chosen.repository(uow).get(company_id, wanted) is None:
        raise PageNotFound()
    action = retry if done == "retried" else resolve
    try:
        action(uow, company_id, chosen.key, wanted, request.app.state.clock())
    except NotTracked:
        raise PageNotFound() from None
    uow.commit()
    return redirect(request, f"/companies/{company_id}/documents/{kind}/{wanted}?done={done}")
