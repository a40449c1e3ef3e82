"""Files and notes follow their document to Xero, each once.

A step of the worker's pass, after the documents: for every company with a file or note
not yet in Xero on a document that is (it has a Xero link), it takes the company's lease
(one worker per organisation, as for documents, and fenced the same way: a worker taken
over sends and records nothing more, see ``company_leases``), opens the company's client
(so every call counts against the organisation's rate budget) and, per document:

- files: an upload carries the file's content hash as its ``Idempotency-Key``. A file is
  marked ``sending`` (committed) before its upload and ``sent`` after; a file found
  ``sending`` was perhaps uploaded by a worker that died before recording it, so the
  record's attachments are listed in Xero first and a file already there (same name,
  same size) is recorded without a second upload;
- notes: sent together to the record's History & Notes, with the same rule (a note found
  ``sending`` is looked for in the History before it is sent again).

Xero's refusals (a 4xx) are recorded on the file or note and in the sync log with the fix;
a 5xx, a timeout or a lost connection leaves that one file or note for a later pass (it is
looked up first) while the rest go on; a rate limit or a connection that does not allow
files stops the company's step. Either way the company then pauses, longer after each
failure in a row.
A file added after its document was sent simply goes on the next pass; a deleted one is
never sent, and one already in Xero stays there (the API route logs that).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.attachments import (
    PENDING,
    REFUSED,
    SENDING,
    SENT,
    DocumentFile,
    DocumentNote,
)
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.company_leases import CompanyLeases, LeaseLost
from ledgerlink.sync.engine.clients import ClientFactory
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.xero.outbound.fixes import fixes_for
from xero_client import (
    AuthError,
    FatalError,
    NotFound,
    RecordCollection,
    RetriableError,
    ValidationFailed,
    XeroClient,
    XeroError,
)

log = logging.getLogger("ledgerlink.worker.attachments")

#: Where each kind of document lives in Xero.
XERO_COLLECTIONS: dict[str, RecordCollection] = {
    "purchase_order": "PurchaseOrders",
    "bill": "Invoices",
    "sales_invoice": "Invoices",
    "credit_note": "CreditNotes",
}
#: Files of these are shown with the document online (Xero's `IncludeOnline`).
SHOWN_ONLINE = frozenset({"sales_invoice"})
#: The errors that mean Xero refused this one file or note (not: try later).
REFUSALS = (ValidationFailed, FatalError, NotFound)
#: After a company's step fails (Xero unreachable, busy, access refused), it waits this
#: long before trying again, doubling with each failure in a row up to the maximum.
PAUSE_SECONDS = 30.0
MAX_PAUSE_SECONDS = 3600.0
NO_ACCESS_FIX = (
    "Xero refused access to the organisation's files: connect the company to Xero again "
    "(the connection must allow accounting.attachments); the files are sent after that"
)
REFUSED_FIX = (
    "Xero refused the file for the reason above: delete it here and attach a corrected file"
)
_MESSAGE_FIXES = (
    ("not supported", "Xero does not take this type of file: delete it here and attach it "
     "as a PDF (or another type Xero takes)"),
    ("maximum number of attachments", "the record in Xero already has 10 files: remove one "
     "there, or merge files into one PDF here"),
)  # fmt: skip
_FIXES = (
    (413, "the file is larger than Xero takes (10 MB): replace it with a smaller file"),
    (404, "the document is no longer in Xero: send the document again, then retry"),
)


@dataclass
class AttachmentReport:
    """What one pass of the step did."""

    files_sent: int = 0
    files_found: int = 0
    notes_sent: int = 0
    notes_found: int = 0
    refused: int = 0
    #: Files or notes whose call failed in a way that may pass later (a 5xx, a timeout).
    deferred: int = 0


@dataclass(frozen=True)
class DocumentWork:
    """One document in Xero, and its files and notes still to send."""

    kind: str
    document_id: UUID
    xero_id: str
    files: list[DocumentFile] = field(default_factory=list)
    notes: list[DocumentNote] = field(default_factory=list)

    @property
    def collection(self) -> RecordCollection:
        return XERO_COLLECTIONS[self.kind]


def upload_key(file: DocumentFile, xero_id: str) -> str:
    """The upload's Idempotency-Key: this content, under this name, on this Xero record
    (the same bytes under another name are another upload, and Xero refuses a key reused
    for a different request)."""
    name = hashlib.sha256(file.file_name.lower().encode()).hexdigest()[:12]
    return f"file-{file.sha256}-{xero_id}-{name}"


def notes_key(notes: list[DocumentNote]) -> str:
    """The Idempotency-Key of one call adding these notes."""
    joined = ",".join(sorted(str(note.id) for note in notes))
    return "notes-" + hashlib.sha256(joined.encode()).hexdigest()


def _fix(error: XeroError) -> str:
    for status, fix in _FIXES:
        if error.status == status:
            return fix
    messages = [error.message]
    if isinstance(error, ValidationFailed):
        messages = [m for element in error.elements for m in element.messages] or messages
    text = " ".join(messages).lower()
    for words, fix in _MESSAGE_FIXES:
        if words in text:
            return fix
    return fixes_for(messages) if isinstance(error, ValidationFailed) else REFUSED_FIX


class _Deferred(Exception):
    """Some of a company's files or notes wait for a later try."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} file(s) or note(s) to try again later")


class AttachmentExport:
    """The step; see the module docstring."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        clients: ClientFactory,
        *,
        leases: CompanyLeases,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self._leases = leases
        self._clock = clock
        #: Companies whose last try failed: when to try again, and failures in a row.
        self._paused: dict[UUID, tuple[datetime, int]] = {}

    async def run_pass(self) -> AttachmentReport:
        """Send what is due, company by company; one company's trouble never stops the rest,
        and a company that failed waits (longer after each failure) before its next try."""
        report = AttachmentReport()
        for company_id in await asyncio.to_thread(self._companies):
            paused = self._paused.get(company_id)
            if paused is not None and paused[0] > self._clock():
                continue
            deferred = report.deferred
            try:
                await self._company(company_id, report)
                if report.deferred > deferred:
                    raise _Deferred(report.deferred - deferred)
            except LeaseLost as lost:  # what is left is the new holder's to send
                log.warning("%s; this worker leaves its files and notes", lost)
            except (GatewayError, XeroError, _Deferred) as error:
                log.warning("company %s: files and notes wait: %s", company_id, error)
                self._pause(company_id)
            except Exception:
                log.exception("company %s: files and notes stopped by an error", company_id)
                self._pause(company_id)
            else:
                self._paused.pop(company_id, None)
        return report

    def _pause(self, company_id: UUID) -> None:
        failures = self._paused.get(company_id, (self._clock(), 0))[1] + 1
        seconds = min(PAUSE_SECONDS * 2 ** (failures - 1), MAX_PAUSE_SECONDS)
        self._paused[company_id] = (self._clock() + timedelta(seconds=seconds), failures)

    def _companies(self) -> list[UUID]:
        with self._uow_factory() as uow:
            return uow.files.companies_with_unsent()

    def _fenced(self, company_id: UUID) -> SqlUnitOfWork:
        """A unit of work whose commit first checks the company is still this worker's."""
        return self._leases.fenced(company_id)()

    def _work(self, company_id: UUID) -> list[DocumentWork]:
        """The company's documents that are in Xero and have files or notes to send."""
        with self._uow_factory() as uow:
            files, notes = uow.files.unsent_files(company_id), uow.files.unsent_notes(company_id)
            found: dict[tuple[str, UUID], DocumentWork] = {}
            items: list[DocumentFile | DocumentNote] = [*files, *notes]
            for item in items:
                key = (item.kind, item.document_id)
                if key not in found:
                    link = uow.xero_links.get(company_id, item.kind, item.document_id)
                    if link is None or item.kind not in XERO_COLLECTIONS:
                        continue  # not in Xero yet: it follows once its document is
                    found[key] = DocumentWork(item.kind, item.document_id, link.xero_id)
                work = found[key]
                if isinstance(item, DocumentFile):
                    work.files.append(item)
                else:
                    work.notes.append(item)
        return list(found.values())

    async def _company(self, company_id: UUID, report: AttachmentReport) -> None:
        work = await asyncio.to_thread(self._work, company_id)
        if not work or not await asyncio.to_thread(self._leases.take, company_id):
            return
        try:
            async with self._clients(company_id) as client:
                client.guard_writes(self._leases.guard(company_id))
                for document in work:
                    await self._files(client, company_id, document, report)
                    await self._notes(client, company_id, document, report)
        finally:
            await asyncio.to_thread(self._leases.release, company_id)

    async def _files(
        self, client: XeroClient, company_id: UUID, document: DocumentWork, report: AttachmentReport
    ) -> None:
        pending = list(document.files)
        if any(f.xero_state == SENDING for f in pending):
            in_xero = await client.list_attachments(document.collection, document.xero_id)
            there = {(a.file_name or "").lower(): a for a in in_xero}
            for file in [f for f in pending if f.xero_state == SENDING]:
                found = there.get(file.file_name.lower())
                if found is not None and found.content_length == file.size:
                    pending.remove(file)
                    report.files_found += 1
                    await asyncio.to_thread(
                        self._settle_file, company_id, document, file, SENT, found.attachment_id,
                        "found in Xero, not sent again", None,
                    )  # fmt: skip
        for file in pending:
            content = await asyncio.to_thread(self._mark_sending, company_id, file)
            try:
                saved = await client.upload_attachment(
                    document.collection,
                    document.xero_id,
                    file.file_name,
                    content,
                    mime_type=file.mime_type,
                    include_online=document.kind in SHOWN_ONLINE,
                    idempotency_key=upload_key(file, document.xero_id),
                )
            except REFUSALS as refused:
                report.refused += 1
                await asyncio.to_thread(
                    self._settle_file, company_id, document, file, REFUSED, None,
                    f"refused by Xero: {refused.message}", refused,
                )  # fmt: skip
                continue
            except RetriableError as failed:
                # Perhaps stored: it stays `sending`, looked up before it is sent again.
                report.deferred += 1
                log.warning("file %s of %s %s waits: %s", file.id, document.kind,
                            document.document_id, failed)  # fmt: skip
                continue
            except AuthError as no_access:
                # Nothing was stored: the file waits for a connection that may add files.
                await asyncio.to_thread(self._no_access, company_id, document, file, no_access)
                raise
            report.files_sent += 1
            await asyncio.to_thread(
                self._settle_file, company_id, document, file, SENT, saved.attachment_id,
                "sent", None,
            )  # fmt: skip

    async def _notes(
        self, client: XeroClient, company_id: UUID, document: DocumentWork, report: AttachmentReport
    ) -> None:
        pending = list(document.notes)
        if not pending:
            return
        if any(n.xero_state == SENDING for n in pending):
            history = await client.list_history(document.collection, document.xero_id)
            there = [h.details for h in history if h.changes == "Note"]
            for note in [n for n in pending if n.xero_state == SENDING]:
                if note.text in there:
                    there.remove(note.text)
                    pending.remove(note)
                    report.notes_found += 1
                    await asyncio.to_thread(
                        self._settle_notes, company_id, document, [note], SENT,
                        "found in Xero's History & Notes, not sent again", None,
                    )  # fmt: skip
        if not pending:
            return
        await asyncio.to_thread(self._mark_notes_sending, company_id, pending)
        try:
            await client.add_notes(
                document.collection,
                document.xero_id,
                [note.text for note in pending],
                idempotency_key=notes_key(pending),
            )
        except RetriableError as failed:
            report.deferred += len(pending)
            log.warning("notes of %s %s wait: %s", document.kind, document.document_id, failed)
            return
        except REFUSALS as refused:
            report.refused += len(pending)
            await asyncio.to_thread(
                self._settle_notes, company_id, document, pending, REFUSED,
                f"refused by Xero: {refused.message}", refused,
            )  # fmt: skip
            return
        report.notes_sent += len(pending)
        await asyncio.to_thread(
            self._settle_notes, company_id, document, pending, SENT, "sent to History & Notes",
            None,
        )  # fmt: skip

    def _mark_sending(self, company_id: UUID, file: DocumentFile) -> bytes:
        with self._fenced(company_id) as uow:
            content = uow.files.content(company_id, file.sha256)
            uow.files.mark_files([file.id], SENDING)
            uow.commit()
        return content

    def _no_access(
        self, company_id: UUID, document: DocumentWork, file: DocumentFile, error: AuthError
    ) -> None:
        with self._fenced(company_id) as uow:
            uow.files.mark_files([file.id], PENDING, error=NO_ACCESS_FIX)
            if file.error != NO_ACCESS_FIX:  # said once, not on every try
                summary = f"file {file.file_name!r}: Xero refused access to files"
                entry = SyncLogEntry(
                    company_id=company_id, kind=document.kind, document_id=document.document_id,
                    action="attach", outcome="failed", summary=summary, answer=str(error),
                    fix=NO_ACCESS_FIX,
                )  # fmt: skip
                SyncLogRepository(uow.session, self._clock).add_many([entry])
            uow.commit()

    def _mark_notes_sending(self, company_id: UUID, notes: list[DocumentNote]) -> None:
        with self._fenced(company_id) as uow:
            uow.files.mark_notes([note.id for note in notes], SENDING)
            uow.commit()

    def _log(
        self,
        uow: SqlUnitOfWork,
        company_id: UUID,
        document: DocumentWork,
        action: str,
        summary: str,
        error: XeroError | None,
    ) -> None:
        entry = SyncLogEntry(
            company_id=company_id,
            kind=document.kind,
            document_id=document.document_id,
            action=action,
            outcome="failed" if error is not None else "sent",
            summary=summary,
            answer=None if error is None else str(error),
            fix=None if error is None else _fix(error),
        )
        SyncLogRepository(uow.session, self._clock).add_many([entry])

    def _settle_file(
        self,
        company_id: UUID,
        document: DocumentWork,
        file: DocumentFile,
        state: str,
        xero_attachment_id: str | None,
        what: str,
        error: XeroError | None,
    ) -> None:
        with self._fenced(company_id) as uow:
            uow.files.mark_files(
                [file.id],
                state,
                error=None if error is None else str(error),
                xero_attachment_id=xero_attachment_id,
            )
            summary = f"file {file.file_name!r} ({file.size} bytes): {what}"
            self._log(uow, company_id, document, "attach", summary, error)
            uow.commit()

    def _settle_notes(
        self,
        company_id: UUID,
        document: DocumentWork,
        notes: list[DocumentNote],
        state: str,
        what: str,
        error: XeroError | None,
    ) -> None:
        with self._fenced(company_id) as uow:
            uow.files.mark_notes(
                [note.id for note in notes], state, error=None if error is None else str(error)
            )
            summary = f"{len(notes)} note(s): {what}"
            self._log(uow, company_id, document, "note", summary, error)
            uow.commit()
