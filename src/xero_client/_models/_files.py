"""Files attached to Xero records, and their History & Notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ._base import XeroModel


@dataclass(frozen=True, kw_only=True)
class Attachment(XeroModel):
    """One file on an invoice, credit note, purchase order, bank transaction or contact."""

    attachment_id: str | None = None
    file_name: str | None = None
    url: str | None = None
    mime_type: str | None = None
    content_length: int | None = None
    include_online: bool | None = None


@dataclass(frozen=True, kw_only=True)
class HistoryRecord(XeroModel):
    """One entry of a record's History & Notes (``changes`` is ``"Note"`` for a note)."""

    details: str | None = None
    changes: str | None = None
    user: str | None = None
    date_utc: datetime | None = None
