"""Files and notes on documents: add, list, read, delete, and their way towards Xero.

A file's bytes are stored once per company and content hash (`file_contents`), in the
database by default or in a folder (`files_dir`, for SQLite installs that prefer it).
Deleting a file here keeps its row (`deleted_at`), so the log can say what Xero still has;
its bytes go with the last live file that uses them.

Towards Xero each file or note goes `pending` → `sending` (the call may be on its way:
look in Xero before sending again) → `sent`, or `refused` (Xero said no; the error says
why). A file deleted before it was sent is never sent.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.attachments import check_room, content_hash
from ledgerlink.store.clock import Clock
from ledgerlink.store.tables.attachments import document_files, document_notes, file_contents

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
REFUSED = "refused"
#: The states of what still has to reach Xero.
UNSENT = (PENDING, SENDING)


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """One file on a document."""

    id: UUID
    company_id: UUID
    kind: str
    document_id: UUID
    file_name: str
    mime_type: str
    sha256: str
    size: int
    created_at: datetime
    deleted_at: datetime | None
    xero_state: str
    xero_attachment_id: str | None
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True, slots=True)
class DocumentNote:
    """One note on a document."""

    id: UUID
    company_id: UUID
    kind: str
    document_id: UUID
    text: str
    author: str | None
    created_at: datetime
    xero_state: str
    sent_at: datetime | None
    error: str | None


class AttachmentRepository:
    """Files and notes of one session; see the module docstring."""

    def __init__(self, session: Session, clock: Clock, files_dir: Path | None = None) -> None:
        self._session = session
        self._clock = clock
        self._files_dir = files_dir
        self._doomed: list[tuple[UUID, str]] = []

    # -- files -------------------------------------------------------------------------

    def add_file(
        self,
        company_id: UUID,
        kind: str,
        document_id: UUID,
        file_name: str,
        mime_type: str,
        content: bytes,
    ) -> DocumentFile:
        """Attach a file (checked by the caller) to a document; its bytes are stored once.

        Raises:
            InvalidDocument: the document has a file of that name, or Xero's count of files.
        """
        self._one_upload_at_a_time(document_id)
        live = self.files(company_id, kind, document_id)
        check_room([f.file_name for f in live], file_name)
        sha256 = content_hash(content)
        now = self._clock()
        self._keep_content(company_id, sha256, content, now)
        row = {
            "id": uuid.uuid4(),
            "company_id": company_id,
            "kind": kind,
            "document_id": document_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "sha256": sha256,
            "size": len(content),
            "created_at": now,
            "deleted_at": None,
            "xero_attachment_id": None,
            "xero_state": PENDING,
            "sent_at": None,
            "error": None,
        }
        self._session.execute(document_files.insert().values(**row))
        return _file(row)

    def files(
        self, company_id: UUID, kind: str, document_id: UUID, *, with_deleted: bool = False
    ) -> list[DocumentFile]:
        """A document's files, oldest first (deleted ones too when asked)."""
        query = select(document_files).where(
            document_files.c.company_id == company_id,
            document_files.c.kind == kind,
            document_files.c.document_id == document_id,
        )
        if not with_deleted:
            query = query.where(document_files.c.deleted_at.is_(None))
        rows = self._session.execute(
            query.order_by(document_files.c.created_at, document_files.c.id)
        )
        return [_file(row) for row in rows.mappings()]

    def get_file(
        self, company_id: UUID, kind: str, document_id: UUID, file_id: UUID
    ) -> DocumentFile | None:
        """One live file of a document, or None."""
        row = (
            self._session.execute(
                select(document_files).where(
                    document_files.c.company_id == company_id,
                    document_files.c.kind == kind,
                    document_files.c.document_id == document_id,
                    document_files.c.id == file_id,
                    document_files.c.deleted_at.is_(None),
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _file(row)

    def content(self, company_id: UUID, sha256: str) -> bytes:
        """The bytes of a stored file."""
        row = self._session.execute(
            select(file_contents.c.content).where(
                file_contents.c.company_id == company_id, file_contents.c.sha256 == sha256
            )
        ).one()
        if row.content is not None:
            return bytes(row.content)
        return self._path(company_id, sha256).read_bytes()

    def delete_file(self, document_file: DocumentFile) -> None:
        """Mark a file deleted; its bytes go when no live file uses them any more."""
        now = self._clock()
        self._session.execute(
            update(document_files)
            .where(document_files.c.id == document_file.id)
            .values(deleted_at=now)
        )
        # Wait for an upload of the same bytes under way (`_keep_content` locks the row),
        # then count the files that use them, its file included.
        self._session.execute(
            select(file_contents.c.sha256)
            .where(
                file_contents.c.company_id == document_file.company_id,
                file_contents.c.sha256 == document_file.sha256,
            )
            .with_for_update()
        )
        live = self._session.execute(
            select(func.count()).where(
                document_files.c.company_id == document_file.company_id,
                document_files.c.sha256 == document_file.sha256,
                document_files.c.deleted_at.is_(None),
            )
        ).scalar_one()
        if live:
            return
        self._session.execute(
            delete(file_contents).where(
                file_contents.c.company_id == document_file.company_id,
                file_contents.c.sha256 == document_file.sha256,
            )
        )
        if self._files_dir is not None:
            # Gone only once the deletion commits: a rollback must not lose the bytes.
            self._doomed.append((document_file.company_id, document_file.sha256))

    def after_commit(self) -> None:
        """Remove from the folder the files whose last use was deleted and committed."""
        doomed, self._doomed = self._doomed, []
        for company_id, sha256 in doomed:
            used_again = self._session.execute(
                select(func.count()).where(
                    file_contents.c.company_id == company_id, file_contents.c.sha256 == sha256
                )
            ).scalar_one()
            if not used_again:
                self._path(company_id, sha256).unlink(missing_ok=True)

    def after_rollback(self) -> None:
        """Keep every file: the deletions were not committed."""
        self._doomed.clear()

    def _postgres(self) -> bool:
        return self._session.get_bind().dialect.name == "postgresql"

    def _one_upload_at_a_time(self, document_id: UUID) -> None:
        """Uploads to one document wait for each other until commit, so that the name and
        count checks see the other's file (SQLite's `BEGIN IMMEDIATE` does it there)."""
        if self._postgres():
            self._session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext('document_files'), hashtext(:doc))"),
                {"doc": str(document_id)},
            )

    def _keep_content(self, company_id: UUID, sha256: str, content: bytes, now: datetime) -> None:
        """Store the bytes unless stored; the row stays locked until commit, so a file
        deleted meanwhile (`delete_file`) does not take them away from this one."""
        in_folder = self._files_dir is not None
        if in_folder:
            self._write(company_id, sha256, content)
        insert = postgresql.insert if self._postgres() else sqlite.insert
        values = {"company_id": company_id, "sha256": sha256, "size": len(content),
                  "content": None if in_folder else content, "created_at": now}  # fmt: skip
        statement = insert(file_contents).values(**values)
        # Another upload of the same bytes at the same moment: theirs is kept, and locked.
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[file_contents.c.company_id, file_contents.c.sha256],
                set_={"size": statement.excluded.size},
            )
        )

    def _path(self, company_id: UUID, sha256: str) -> Path:
        assert self._files_dir is not None, "files are in the database"
        return self._files_dir / str(company_id) / sha256[:2] / sha256

    def _write(self, company_id: UUID, sha256: str, content: bytes) -> None:
        """Write the bytes beside their final name, then rename: never a half file."""
        path = self._path(company_id, sha256)
        if path.exists() and path.stat().st_size == len(content):
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{sha256[:8]}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    # -- notes -------------------------------------------------------------------------

    def add_note(
        self, company_id: UUID, kind: str, document_id: UUID, text: str, author: str | None
    ) -> DocumentNote:
        """Add a note (checked by the caller) to a document."""
        row = {
            "id": uuid.uuid4(),
            "company_id": company_id,
            "kind": kind,
            "document_id": document_id,
            "text": text,
            "author": author,
            "created_at": self._clock(),
            "xero_state": PENDING,
            "sent_at": None,
            "error": None,
        }
        self._session.execute(document_notes.insert().values(**row))
        return _note(row)

    def notes(self, company_id: UUID, kind: str, document_id: UUID) -> list[DocumentNote]:
        """A document's notes, oldest first."""
        rows = self._session.execute(
            select(document_notes)
            .where(
                document_notes.c.company_id == company_id,
                document_notes.c.kind == kind,
                document_notes.c.document_id == document_id,
            )
            .order_by(document_notes.c.created_at, document_notes.c.id)
        )
        return [_note(row) for row in rows.mappings()]

    # -- towards Xero ------------------------------------------------------------------

    def companies_with_unsent(self) -> list[UUID]:
        """Companies with a live file or a note not yet in Xero."""
        files = select(document_files.c.company_id).where(
            document_files.c.xero_state.in_(UNSENT), document_files.c.deleted_at.is_(None)
        )
        notes = select(document_notes.c.company_id).where(document_notes.c.xero_state.in_(UNSENT))
        found = self._session.execute(files.union(notes)).scalars()
        return sorted(set(found))

    def unsent_files(self, company_id: UUID) -> list[DocumentFile]:
        """The company's live files not yet in Xero, oldest first."""
        rows = self._session.execute(
            select(document_files)
            .where(
                document_files.c.company_id == company_id,
                document_files.c.xero_state.in_(UNSENT),
                document_files.c.deleted_at.is_(None),
            )
            .order_by(document_files.c.created_at, document_files.c.id)
        )
        return [_file(row) for row in rows.mappings()]

    def unsent_notes(self, company_id: UUID) -> list[DocumentNote]:
        """The company's notes not yet in Xero, oldest first."""
        rows = self._session.execute(
            select(document_notes)
            .where(
                document_notes.c.company_id == company_id,
                document_notes.c.xero_state.in_(UNSENT),
            )
            .order_by(document_notes.c.created_at, document_notes.c.id)
        )
        return [_note(row) for row in rows.mappings()]

    def mark_files(
        self,
        ids: Sequence[UUID],
        state: str,
        *,
        error: str | None = None,
        xero_attachment_id: str | None = None,
    ) -> None:
        """Move files to `state` (`sent` stamps the time and keeps Xero's id)."""
        values: dict[str, object] = {"xero_state": state, "error": error}
        if state == SENT:
            values.update(sent_at=self._clock(), xero_attachment_id=xero_attachment_id)
        self._session.execute(
            update(document_files).where(document_files.c.id.in_(list(ids))).values(**values)
        )

    def mark_notes(self, ids: Sequence[UUID], state: str, *, error: str | None = None) -> None:
        """Move notes to `state` (`sent` stamps the time)."""
        values: dict[str, object] = {"xero_state": state, "error": error}
        if state == SENT:
            values["sent_at"] = self._clock()
        self._session.execute(
            update(document_notes).where(document_notes.c.id.in_(list(ids))).values(**values)
        )


def _file(row: RowMapping | dict[str, object]) -> DocumentFile:
    return DocumentFile(**{name: row[name] for name in DocumentFile.__slots__})  # type: ignore[arg-type]


def _note(row: RowMapping | dict[str, object]) -> DocumentNote:
    return DocumentNote(**{name: row[name] for name in DocumentNote.__slots__})  # type: ignore[arg-type]
