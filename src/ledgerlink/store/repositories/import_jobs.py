"""Import jobs, the marks incremental refreshes start from, and contact details from Xero."""

import builtins
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.repositories.job_leases import (
    DONE,
    FAILED,
    FINAL_STATES,
    NEEDS_RECONNECT,
    QUEUED,
    RUNNING,
    UNFINISHED_STATES,
    WAITING,
    LeasedJobRepository,
)
from ledgerlink.store.tables import (
    customers,
    import_jobs,
    import_refreshes,
    imported_contact_details,
    suppliers,
    xero_links,
)

__all__ = [
    "DONE",
    "FAILED",
    "FINAL_STATES",
    "NEEDS_RECONNECT",
    "QUEUED",
    "RUNNING",
    "UNFINISHED_STATES",
    "WAITING",
    "ContactDetailsRepository",
    "ImportJob",
    "ImportJobRepository",
    "RefreshMark",
    "RefreshMarkRepository",
    "add_new_contact_details",
    "add_new_links",
    "linked_records",
    "party_names_taken",
]

# A job report keeps this many skipped records by name; the count covers them all.
MAX_LISTED_SKIPS = 500


@dataclass
class ImportJob:
    """One import of one kind of reference data from Xero, and how far it got."""

    company_id: UUID
    kind: str
    mode: str
    created_at: datetime
    id: UUID = field(default_factory=uuid4)
    xero_ids: list[str] = field(default_factory=list)
    search: str | None = None
    state: str = QUEUED
    cursor: dict[str, Any] = field(default_factory=dict)
    total: int | None = None
    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skips: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
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
        """Count one record as ``created``, ``updated`` or ``unchanged``."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.processed += 1

    def skip(self, xero_id: str | None, name: str | None, reason: str) -> None:
        """Count one record as skipped, keeping its reason for the report."""
        self.skipped += 1
        self.processed += 1
        if len(self.skips) < MAX_LISTED_SKIPS:
            self.skips.append({"xero_id": xero_id, "name": name, "reason": reason})


class ImportJobRepository(LeasedJobRepository[ImportJob]):
    """Import jobs by id, per company, and those a worker should pick up."""

    table = import_jobs

    def from_row(self, row: RowMapping) -> ImportJob:
        values = {column.name: row[column.name] for column in import_jobs.columns}
        values["xero_ids"] = list(values["xero_ids"])
        values["cursor"] = dict(values["cursor"])
        values["skips"] = list(values["skips"])
        values["errors"] = list(values["errors"])
        return ImportJob(**values)


@dataclass(frozen=True, slots=True)
class RefreshMark:
    """Where the last import of one kind got to: ``modified_after`` feeds If-Modified-Since."""

    company_id: UUID
    kind: str
    scope: str
    modified_after: datetime | None
    refreshed_at: datetime


class RefreshMarkRepository:
    """One mark per company and kind."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, company_id: UUID, kind: str) -> RefreshMark | None:
        row = (
            self._session.execute(
                select(import_refreshes).where(
                    import_refreshes.c.company_id == company_id, import_refreshes.c.kind == kind
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else RefreshMark(**row)

    def list(self, company_id: UUID) -> builtins.list[RefreshMark]:
        rows = self._session.execute(
            select(import_refreshes).where(import_refreshes.c.company_id == company_id)
        ).mappings()
        return [RefreshMark(**row) for row in rows]

    def save(self, mark: RefreshMark) -> None:
        values = {
            "scope": mark.scope,
            "modified_after": mark.modified_after,
            "refreshed_at": mark.refreshed_at,
        }
        result = self._session.execute(
            import_refreshes.update()
            .where(
                import_refreshes.c.company_id == mark.company_id,
                import_refreshes.c.kind == mark.kind,
            )
            .values(values)
        )
        if rowcount(result) == 0:
            self._session.execute(
                import_refreshes.insert().values(
                    company_id=mark.company_id, kind=mark.kind, **values
                )
            )


class ContactDetailsRepository:
    """What Xero holds on a contact beyond the party's fields (addresses, default accounts)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, company_id: UUID, kind: str, party_id: UUID) -> dict[str, Any] | None:
        details = self._session.execute(
            select(imported_contact_details.c.details).where(
                imported_contact_details.c.company_id == company_id,
                imported_contact_details.c.kind == kind,
                imported_contact_details.c.party_id == party_id,
            )
        ).scalar_one_or_none()
        return None if details is None else dict(details)

    def get_many(
        self, company_id: UUID, kind: str, party_ids: Iterable[UUID]
    ) -> dict[UUID, dict[str, Any]]:
        """The details of each of ``party_ids`` that has some."""
        wanted = sorted(set(party_ids))
        found: dict[UUID, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            rows = self._session.execute(
                select(
                    imported_contact_details.c.party_id, imported_contact_details.c.details
                ).where(
                    imported_contact_details.c.company_id == company_id,
                    imported_contact_details.c.kind == kind,
                    imported_contact_details.c.party_id.in_(wanted[start : start + 500]),
                )
            )
            found.update({party_id: dict(details) for party_id, details in rows})
        return found

    def save(
        self,
        company_id: UUID,
        kind: str,
        party_id: UUID,
        details: dict[str, Any],
        *,
        known: dict[UUID, dict[str, Any]] | None = None,
    ) -> bool:
        """Store the details; False when they were already exactly these.

        ``known`` holds details already read (by `get_many`), to skip reading them again.
        """
        current = known.get(party_id) if known is not None else None
        if current is None:
            current = self.get(company_id, kind, party_id)
        if current == details:
            return False
        result = self._session.execute(
            imported_contact_details.update()
            .where(
                imported_contact_details.c.company_id == company_id,
                imported_contact_details.c.kind == kind,
                imported_contact_details.c.party_id == party_id,
            )
            .values(details=details)
        )
        if rowcount(result) == 0:
            self._session.execute(
                imported_contact_details.insert().values(
                    company_id=company_id, kind=kind, party_id=party_id, details=details
                )
            )
        return True


def linked_records(
    session: Session, company_id: UUID, kind: str, xero_ids: Iterable[str]
) -> dict[str, str]:
    """For each of ``xero_ids`` linked to a record of ``kind`` here: Xero id → record id."""
    wanted = sorted({xero_id.lower() for xero_id in xero_ids})
    found: dict[str, str] = {}
    # Chunks keep the IN list well under every database's parameter limit.
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(xero_links.c.xero_id, xero_links.c.entity_id).where(
                xero_links.c.company_id == company_id,
                xero_links.c.kind == kind,
                xero_links.c.xero_id.in_(wanted[start : start + 500]),
            )
        )
        found.update({xero_id: entity_id for xero_id, entity_id in rows})
    return found


def party_names_taken(
    session: Session, company_id: UUID, kind: str, names: Iterable[str]
) -> set[str]:
    """Which of ``names`` (compared in lower case) a supplier/customer here already has."""
    table = suppliers if kind == "supplier" else customers
    wanted = sorted({name.strip().lower() for name in names})
    taken: set[str] = set()
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(func.lower(table.c.name)).where(
                table.c.company_id == company_id,
                func.lower(table.c.name).in_(wanted[start : start + 500]),
            )
        )
        taken.update(name for (name,) in rows)
    return taken


def add_new_links(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the links of records just imported (none of them linked yet), in one go."""
    if rows:
        session.execute(xero_links.insert(), rows)


def add_new_contact_details(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert the details of parties just imported, in one go."""
    if rows:
        session.execute(imported_contact_details.insert(), rows)
