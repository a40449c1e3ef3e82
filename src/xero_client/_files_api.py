"""Attachments and History & Notes on invoices, credit notes, purchase orders, bank
transactions and contacts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from urllib.parse import quote

from . import _wire
from ._core import Params, XeroCore, query
from ._errors import FatalError, InvalidRequest
from ._models import Attachment, HistoryRecord

#: Xero's limits on a record's files: how many, and how big each.
MAX_ATTACHMENTS_PER_RECORD = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024

RecordCollection = Literal[
    "Invoices", "CreditNotes", "PurchaseOrders", "BankTransactions", "Contacts"
]
_COLLECTIONS: frozenset[str] = frozenset(
    {"Invoices", "CreditNotes", "PurchaseOrders", "BankTransactions", "Contacts"}
)


def _record_path(collection: str, record_id: str) -> str:
    if collection not in _COLLECTIONS:
        raise InvalidRequest(
            f"collection {collection!r} has no attachments; use one of "
            + ", ".join(sorted(_COLLECTIONS))
        )
    if not record_id or not record_id.strip():
        raise InvalidRequest("record_id is empty; pass the record's Xero id")
    return f"/{collection}/{quote(record_id.strip(), safe='')}"


class FileMethods(XeroCore):
    """The files and notes side of :class:`XeroClient` (documented there)."""

    async def upload_attachment(
        self,
        collection: RecordCollection,
        record_id: str,
        file_name: str,
        content: bytes,
        *,
        mime_type: str = "application/octet-stream",
        include_online: bool = False,
        idempotency_key: str | None = None,
    ) -> Attachment:
        """Attaches a file to a record (``PUT .../Attachments/{FileName}``).

        A file with the same name on the record is replaced (Xero matches on the name).
        ``idempotency_key`` should name the file's content (e.g. its hash and the record),
        so that a retry after a lost answer does not upload it again.
        ``include_online`` shows the file with a sales invoice online.
        """
        if not file_name or not file_name.strip():
            raise InvalidRequest("file_name is empty; pass the file's name with its extension")
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise InvalidRequest(
                f"content is {len(content)} bytes; Xero takes at most "
                f"{MAX_ATTACHMENT_BYTES} bytes (10 MB) a file: send a smaller file"
            )
        path = f"{_record_path(collection, record_id)}/Attachments/{quote(file_name, safe='')}"
        body = await self.request_raw(
            "PUT",
            path,
            content=content,
            mime_type=mime_type,
            params=query(IncludeOnline=True if include_online else None),
            idempotency_key=idempotency_key,
        )
        saved = _attachments(body, f"PUT {path}")
        if not saved:
            raise FatalError("Xero returned no Attachments", status=200, endpoint=f"PUT {path}")
        return saved[0]

    async def list_attachments(
        self, collection: RecordCollection, record_id: str
    ) -> list[Attachment]:
        """The files on a record (``GET .../Attachments``)."""
        path = f"{_record_path(collection, record_id)}/Attachments"
        return _attachments(await self.request("GET", path), f"GET {path}")

    async def download_attachment(
        self, collection: RecordCollection, record_id: str, attachment: str
    ) -> bytes:
        """The bytes of one file, by its AttachmentID or its FileName."""
        path = f"{_record_path(collection, record_id)}/Attachments/{quote(attachment, safe='')}"
        response = await self._send("GET", path, headers={"Accept": "*/*"})
        return response.content

    async def add_notes(
        self,
        collection: RecordCollection,
        record_id: str,
        notes: Sequence[str],
        *,
        idempotency_key: str | None = None,
    ) -> list[HistoryRecord]:
        """Adds notes to a record's History & Notes (``PUT .../History``)."""
        if not notes or any(not note.strip() for note in notes):
            raise InvalidRequest("notes must be one or more non-empty texts")
        path = f"{_record_path(collection, record_id)}/History"
        body = await self.request(
            "PUT",
            path,
            json={"HistoryRecords": [{"Details": note} for note in notes]},
            idempotency_key=idempotency_key,
        )
        return _history(body, f"PUT {path}")

    async def list_history(
        self, collection: RecordCollection, record_id: str
    ) -> list[HistoryRecord]:
        """A record's History & Notes, oldest first."""
        path = f"{_record_path(collection, record_id)}/History"
        return _history(await self.request("GET", path), f"GET {path}")

    async def request_raw(
        self,
        method: str,
        path: str,
        *,
        content: bytes,
        mime_type: str,
        params: Params | None = None,
        idempotency_key: str | None = None,
    ) -> object:
        """Sends raw bytes (a file) and returns the JSON answer."""
        response = await self._send(
            method,
            path,
            params=params,
            content=content,
            headers={"Content-Type": mime_type},
            idempotency_key=idempotency_key,
        )
        return _wire.loads(response.content) if response.content.strip() else None


def _items(body: object, collection: str, endpoint: str) -> list[dict[str, object]]:
    items = body.get(collection) if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise FatalError(f"Xero's answer has no {collection} list", endpoint=endpoint)
    return [item for item in items if isinstance(item, dict)]


def _attachments(body: object, endpoint: str) -> list[Attachment]:
    return [Attachment.from_xero(item) for item in _items(body, "Attachments", endpoint)]


def _history(body: object, endpoint: str) -> list[HistoryRecord]:
    return [HistoryRecord.from_xero(item) for item in _items(body, "HistoryRecords", endpoint)]
