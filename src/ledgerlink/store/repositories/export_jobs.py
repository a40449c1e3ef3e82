"""One-time export jobs (every customer, or every product, to Xero) and their progress."""

import builtins
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.repositories.job_leases import (
    DONE,
    FAILED,
    FINAL_STATES,
    NEEDS_RECONNECT,
    QUEUED,
    RUNNING,
    WAITING,
    LeasedJobRepository,
)
from ledgerlink.store.tables import customers, export_jobs, items

__all__ = [
    "DONE",
    "FAILED",
    "NEEDS_RECONNECT",
    "QUEUED",
    "RUNNING",
    "WAITING",
    "ExportJob",
    "ExportJobRepository",
]

# A job keeps this many failed records by name; the count covers them all.
MAX_LISTED_FAILURES = 500


@dataclass
class ExportJob:
    """One export of every record of one kind here to Xero, and how far it got.

    ``done`` counts the records dealt with: ``linked`` to a record Xero already had,
    ``created`` in Xero, ``already`` in Xero before the job (linked earlier), or
    ``failed`` (each with its reason in ``failures``).
    """

    company_id: UUID
    kind: str
    created_at: datetime
    id: UUID = field(default_factory=uuid4)
    state: str = QUEUED
    cursor: dict[str, Any] = field(default_factory=dict)
    total: int | None = None
    done: int = 0
    linked: int = 0
    created: int = 0
    already: int = 0
    failed: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    api_calls: int = 0
    message: str | None = None
    resume_at: datetime | None = None
    lease_until: datetime | None = None
    lease_owner: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    def count(self, outcome: str) -> None:
        """Count one record as ``linked``, ``created`` or ``already``."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.done += 1

    def fail(self, record_id: UUID, name: str, reason: str) -> None:
        """Count one record as failed, keeping its reason for the report."""
        self.failed += 1
        self.done += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append({"id": str(record_id), "name": name, "reason": reason})


class ExportJobRepository(LeasedJobRepository[ExportJob]):
    """Export jobs by id, per company, and those a worker should pick up."""

    table = export_jobs

    def from_row(self, row: RowMapping) -> ExportJob:
        values = {column.name: row[column.name] for column in export_jobs.columns}
        values["cursor"] = dict(values["cursor"])
        values["failures"] = list(values["failures"])
        return ExportJob(**values)


def record_ids_after(
    session: Session, kind: str, company_id: UUID, after: str | None, limit: int
) -> builtins.list[UUID]:
    """The ids of the company's customers (``kind`` "customer") or items ("item") past
    ``after``, in id order: where an export goes on from."""
    table = {"customer": customers, "item": items}[kind]
    query = select(table.c.id).where(table.c.company_id == company_id)
    if after is not None:
        query = query.where(table.c.id > UUID(after))
    return list(session.scalars(query.order_by(table.c.id).limit(limit)))


def record_count(session: Session, kind: str, company_id: UUID) -> int:
    """How many customers or items the company has."""
    table = {"customer": customers, "item": items}[kind]
    return int(
        session.execute(
            select(func.count()).select_from(table).where(table.c.company_id == company_id)
        ).scalar_one()
    )
