"""The sync log: every attempt to bring a document to Xero, with Xero's answer and a fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories._bulk import insert_rows
from ledgerlink.store.tables.sync import sync_log

SUMMARY_MAX_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class SyncLogEntry:
    """One attempt: what was done (``action``), how it ended (``outcome``), what Xero said."""

    company_id: UUID
    kind: str
    document_id: UUID
    action: str
    outcome: str
    summary: str
    answer: str | None = None
    fix: str | None = None
    at: datetime | None = None
    id: int | None = None


class SyncLogRepository:
    """Append to and read the sync log of one company's documents."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def add_many(self, entries: list[SyncLogEntry]) -> None:
        """Append entries, stamped now."""
        if not entries:
            return
        now = self._clock()
        insert_rows(
            self._session,
            sync_log,
            [
                {
                    "company_id": e.company_id,
                    "kind": e.kind,
                    "document_id": str(e.document_id),
                    "at": now,
                    "action": e.action,
                    "outcome": e.outcome,
                    "summary": e.summary[:SUMMARY_MAX_LENGTH],
                    "answer": e.answer,
                    "fix": e.fix,
                }
                for e in entries
            ],
        )

    def for_document(
        self, company_id: UUID, kind: str, document_id: UUID, *, limit: int = 100
    ) -> list[SyncLogEntry]:
        """One document's log, oldest first."""
        rows = self._session.execute(
            select(sync_log)
            .where(
                sync_log.c.company_id == company_id,
                sync_log.c.kind == kind,
                sync_log.c.document_id == str(document_id),
            )
            .order_by(sync_log.c.id)
            .limit(limit)
        ).mappings()
        return [_entry(row) for row in rows]


def _entry(row: RowMapping) -> SyncLogEntry:
    return SyncLogEntry(
        id=row["id"],
        company_id=row["company_id"],
        kind=row["kind"],
        document_id=UUID(row["document_id"]),
        at=row["at"],
        action=row["action"],
        outcome=row["outcome"],
        summary=row["summary"],
        answer=row["answer"],
        fix=row["fix"],
    )
