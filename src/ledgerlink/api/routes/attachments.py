"""Files and notes on purchase orders, bills, sales invoices and credit notes.

`/companies/{company_id}/{documents}/{document_id}/attachments` (multipart upload, list,
download, delete) and `.../notes` (add, list). Members read; admins write. A file Xero
would refuse (type, size, an eleventh file) is refused here before anything is stored.
They follow their document to Xero once it is there (`sync.export.attachments`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, File, Response, UploadFile, status
from pydantic import BaseModel, Field

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import AdminDep, ClockDep, CompanyAccess, CompanyDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.api.schemas.common import Strict
from ledgerlink.domain.attachments import MAX_NOTE_LENGTH
from ledgerlink.store.repositories.attachments import DocumentFile, DocumentNote
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.document_files import attach_file, write_note

router = APIRouter(prefix="/companies/{company_id}", tags=["files and notes"])


@dataclass(frozen=True)
class _Documents:
    path: str
    kind: str
    label: str
    find: Callable[[SqlUnitOfWork, UUID, UUID], Any]


DOCUMENTS = (
    _Documents("purchase-orders", "purchase_order", "purchase order",
               lambda uow, c, d: uow.purchase_orders.get(c, d)),
    _Documents("bills", "bill", "bill", lambda uow, c, d: uow.bills.get(c, d)),
    _Documents("invoices", "sales_invoice", "invoice",
               lambda uow, c, d: uow.sales_invoices.get(c, d)),
    _Documents("credit-notes", "credit_note", "credit note",
               lambda uow, c, d: uow.credit_notes.get(c, d)),
)  # fmt: skip


class AttachmentPublic(BaseModel):
    id: UUID
    file_name: str
    mime_type: str
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="The content's SHA-256; the same file is stored once.")
    created_at: datetime
    xero_state: str = Field(
        description="pending, sending (may have reached Xero), sent, or refused (see error)."
    )
    xero_attachment_id: str | None
    sent_at: datetime | None
    error: str | None


class AttachmentsPublic(BaseModel):
    data: list[AttachmentPublic]


class NoteCreate(Strict):
    text: str = Field(max_length=MAX_NOTE_LENGTH, description="Goes to Xero's History & Notes.")


class NotePublic(BaseModel):
    id: UUID
    text: str
    author: str | None
    created_at: datetime
    xero_state: str
    sent_at: datetime | None
    error: str | None


class NotesPublic(BaseModel):
    data: list[NotePublic]


def _file_public(file: DocumentFile) -> AttachmentPublic:
    return AttachmentPublic(
        id=file.id,
        file_name=file.file_name,
        mime_type=file.mime_type,
        size=file.size,
        sha256=file.sha256,
        created_at=file.created_at,
        xero_state=file.xero_state,
        xero_attachment_id=file.xero_attachment_id,
        sent_at=file.sent_at,
        error=file.error,
    )


def _note_public(note: DocumentNote) -> NotePublic:
    return NotePublic(
        id=note.id,
        text=note.text,
        author=note.author,
        created_at=note.created_at,
        xero_state=note.xero_state,
        sent_at=note.sent_at,
        error=note.error,
    )


def _routes(documents: _Documents) -> None:
    base = f"/{documents.path}/{{document_id}}"
    kind, label = documents.kind, documents.label
    tag = documents.path.replace("-", "_")

    def document_of(uow: SqlUnitOfWork, access: CompanyAccess, document_id: UUID) -> None:
        if documents.find(uow, access.company_id, document_id) is None:
            raise not_found(f"{label} {document_id}")

    def upload(
        document_id: UUID,
        access: AdminDep,
        uow: UowDep,
        file: Annotated[UploadFile, File(description="The file (at most 10 MB).")],
    ) -> AttachmentPublic:
        document_of(uow, access, document_id)
        saved = attach_file(
            uow, access.company_id, kind, document_id, file.filename, file.content_type,
            file.file.read,
        )  # fmt: skip
        return commit_answering(uow, _file_public(saved))

    def list_files(document_id: UUID, access: CompanyDep, uow: UowDep) -> AttachmentsPublic:
        document_of(uow, access, document_id)
        files = uow.files.files(access.company_id, kind, document_id)
        return AttachmentsPublic(data=[_file_public(f) for f in files])

    def download(document_id: UUID, file_id: UUID, access: CompanyDep, uow: UowDep) -> Response:
        document_of(uow, access, document_id)
        found = uow.files.get_file(access.company_id, kind, document_id, file_id)
        if found is None:
            raise not_found(f"file {file_id}")
        content = uow.files.content(access.company_id, found.sha256)
        disposition = f"attachment; filename*=UTF-8''{quote(found.file_name, safe='')}"
        return Response(
            content, media_type=found.mime_type, headers={"Content-Disposition": disposition}
        )

    def delete(
        document_id: UUID, file_id: UUID, access: AdminDep, uow: UowDep, clock: ClockDep
    ) -> Response:
        document_of(uow, access, document_id)
        found = uow.files.get_file(access.company_id, kind, document_id, file_id)
        if found is None:
            raise not_found(f"file {file_id}")
        uow.files.delete_file(found)
        if found.xero_state in ("sent", "sending"):
            maybe = "" if found.xero_state == "sent" else " (it may have reached Xero)"
            SyncLogRepository(uow.session, clock).add_many(
                [
                    SyncLogEntry(
                        company_id=access.company_id,
                        kind=kind,
                        document_id=document_id,
                        action="attach",
                        outcome="left_in_xero",
                        summary=f"file {found.file_name!r} deleted here; it stays on the "
                        f"{label} in Xero{maybe}",
                        fix="Xero's API cannot delete an attachment: remove the file from "
                        f"the {label} in Xero by hand if it must go",
                    )
                ]
            )
        uow.commit()
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    def add_note(document_id: UUID, body: NoteCreate, access: AdminDep, uow: UowDep) -> NotePublic:
        document_of(uow, access, document_id)
        note = write_note(uow, access.company_id, kind, document_id, body.text, access.caller.email)
        return commit_answering(uow, _note_public(note))

    def list_notes(document_id: UUID, access: CompanyDep, uow: UowDep) -> NotesPublic:
        document_of(uow, access, document_id)
        notes = uow.files.notes(access.company_id, kind, document_id)
        return NotesPublic(data=[_note_public(n) for n in notes])

    files, one = f"{base}/attachments", f"{base}/attachments/{{file_id}}"
    router.add_api_route(
        files, upload, methods=["POST"], status_code=201, operation_id=f"upload_{tag}_file",
        summary=f"Attach a file to a {label} (multipart field `file`; Xero's types, "
        "at most 10 MB, at most 10 files)",
    )  # fmt: skip
    router.add_api_route(
        files, list_files, methods=["GET"], operation_id=f"list_{tag}_files",
        summary=f"The files of a {label}",
    )  # fmt: skip
    router.add_api_route(
        one, download, methods=["GET"], operation_id=f"download_{tag}_file",
        summary=f"Download one file of a {label}", response_class=Response,
        responses={200: {"content": {"application/octet-stream": {}}}},
    )  # fmt: skip
    router.add_api_route(
        one, delete, methods=["DELETE"], status_code=204, operation_id=f"delete_{tag}_file",
        summary=f"Delete a file of a {label} (a copy already in Xero stays there)",
        response_class=Response,
    )  # fmt: skip
    notes = f"{base}/notes"
    router.add_api_route(
        notes, add_note, methods=["POST"], status_code=201, operation_id=f"add_{tag}_note",
        summary=f"Add a note to a {label} (it goes to Xero's History & Notes)",
    )  # fmt: skip
    router.add_api_route(
        notes, list_notes, methods=["GET"], operation_id=f"list_{tag}_notes",
        summary=f"The notes of a {label}",
    )  # fmt: skip


for _documents in DOCUMENTS:
    _routes(_documents)
