"""A document's files and notes as a person reads them: each with whether it is in Xero
yet, or why not. The console's document page and `ledgerlink sync files` show this."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from ledgerlink.domain.attachments import (
    MAX_FILE_BYTES,
    check_file_name,
    check_file_size,
    check_note,
    mime_type_of,
)
from ledgerlink.store.repositories.attachments import (
    PENDING,
    REFUSED,
    SENDING,
    SENT,
    DocumentFile,
    DocumentNote,
)
from ledgerlink.store.uow import SqlUnitOfWork


@dataclass(frozen=True)
class FilesAndNotes:
    """``in_xero``: the document itself is in Xero (files and notes follow it there)."""

    files: list[DocumentFile]
    notes: list[DocumentNote]
    in_xero: bool

    def xero(self, item: DocumentFile | DocumentNote) -> str:
        """Whether the file or note is in Xero, or why not, in a few words."""
        return xero_words(item.xero_state, item.error, in_xero=self.in_xero)


def xero_words(state: str, error: str | None, *, in_xero: bool) -> str:
    """The words for a file's or note's ``xero_state``."""
    if state == SENT:
        return "in Xero"
    if state == REFUSED:
        return f"refused by Xero: {error}" if error else "refused by Xero"
    if state == SENDING:
        return "being sent (it may have reached Xero)"
    if state == PENDING and not in_xero:
        return "not yet: it follows once its document is in Xero"
    return "not yet: the worker sends it next"


def files_and_notes(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID
) -> FilesAndNotes:
    """The document's live files and its notes, oldest first."""
    return FilesAndNotes(
        files=uow.files.files(company_id, kind, document_id),
        notes=uow.files.notes(company_id, kind, document_id),
        in_xero=uow.xero_links.get(company_id, kind, document_id) is not None,
    )


def attach_file(
    uow: SqlUnitOfWork,
    company_id: UUID,
    kind: str,
    document_id: UUID,
    file_name: str | None,
    declared_type: str | None,
    read: Callable[[int], bytes],
) -> DocumentFile:
    """Attach an uploaded file (``read(n)`` gives at most n of its bytes), or refuse it as
    Xero would, by name, before anything is stored. The caller commits.

    Raises:
        InvalidValue: its name, type or size; InvalidDocument: no room for it.
    """
    name = check_file_name(file_name)
    content = read(MAX_FILE_BYTES + 1)
    check_file_size(len(content))
    mime_type = mime_type_of(declared_type, name)
    return uow.files.add_file(company_id, kind, document_id, name, mime_type, content)


def write_note(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID, text: str, author: str
) -> DocumentNote:
    """Add a note (checked: not empty, not too long). The caller commits."""
    return uow.files.add_note(company_id, kind, document_id, check_note(text), author)


def size_words(size: int) -> str:
    """A file's size for people: 812 bytes, 14.2 KB, 3.1 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
