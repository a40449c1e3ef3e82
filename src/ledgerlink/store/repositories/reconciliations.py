"""Reconciliations: each comparison of a company's linked documents with Xero, its drift,
and which companies are due for their nightly one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.records import CompanySettings
from ledgerlink.store.tables import companies, reconciliations, xero_connections, xero_links

DONE, FAILED = "done", "failed"
MESSAGE_LENGTH = 2000
#: Runs kept per company; older ones are dropped as new ones are saved.
KEPT_RUNS = 30
#: A failed run is tried again this long after it started, not only the next night.
RETRY_FAILED_AFTER = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Drift:
    """One way a linked document differs from Xero, and what to do about it."""

    kind: str
    document_id: UUID
    number: str
    field: str
    ours: str | None
    xero: str | None
    fix: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "document_id": str(self.document_id),
            "number": self.number,
            "field": self.field,
            "ours": self.ours,
            "xero": self.xero,
            "fix": self.fix,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Drift:
        return cls(
            kind=str(raw["kind"]),
            document_id=UUID(str(raw["document_id"])),
            number=str(raw["number"]),
            field=str(raw["field"]),
            ours=raw.get("ours"),
            xero=raw.get("xero"),
            fix=str(raw["fix"]),
        )


@dataclass
class Reconciliation:
    """One run: when, how many documents it compared, what differed, how it ended."""

    company_id: UUID
    started_at: datetime
    finished_at: datetime
    state: str = DONE
    checked: int = 0
    drift: list[Drift] = field(default_factory=list)
    message: str | None = None
    id: UUID = field(default_factory=uuid4)


def _run(row: RowMapping) -> Reconciliation:
    return Reconciliation(
        id=row["id"],
        company_id=row["company_id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        state=row["state"],
        checked=row["checked"],
        drift=[Drift.from_json(item) for item in row["drift"] or []],
        message=row["message"],
    )


def hour_setting(options: dict[str, Any] | Any, key: str, default: int) -> int:
    """The hour of the day (UTC, 0-23) from a company's options."""
    hour = options.get(key, default)
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        return default
    return hour


def last_slot(now: datetime, hour: int) -> datetime:
    """The latest `hour`:00 UTC at or before `now`."""
    today = datetime.combine(now.date(), time(hour), tzinfo=now.tzinfo)
    return today if today <= now else today - timedelta(days=1)


class ReconciliationRepository:
    """Save and read runs; find the linked documents and the companies due for a run."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, run: Reconciliation) -> None:
        """Save a finished run, dropping the company's runs beyond the last `KEPT_RUNS`."""
        self._session.execute(
            reconciliations.insert().values(
                id=run.id,
                company_id=run.company_id,
                state=run.state,
                checked=run.checked,
                drift=[item.as_json() for item in run.drift],
                message=None if run.message is None else run.message[:MESSAGE_LENGTH],
                started_at=run.started_at,
                finished_at=run.finished_at,
            )
        )
        kept = (
            select(reconciliations.c.id)
            .where(reconciliations.c.company_id == run.company_id)
            .order_by(reconciliations.c.started_at.desc())
            .limit(KEPT_RUNS)
        )
        self._session.execute(
            delete(reconciliations).where(
                reconciliations.c.company_id == run.company_id,
                reconciliations.c.id.not_in(kept.scalar_subquery()),
            )
        )

    def latest(self, company_id: UUID) -> Reconciliation | None:
        """The company's last run, or None when it never ran."""
        row = (
            self._session.execute(
                select(reconciliations)
                .where(reconciliations.c.company_id == company_id)
                .order_by(reconciliations.c.started_at.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _run(row)

    def linked(self, company_id: UUID, tenant_id: str, kinds: tuple[str, ...]) -> list[Any]:
        """(kind, entity id, Xero id) of the company's records of `kinds` linked in `tenant_id`."""
        rows = self._session.execute(
            select(xero_links.c.kind, xero_links.c.entity_id, xero_links.c.xero_id)
            .where(
                xero_links.c.company_id == company_id,
                xero_links.c.tenant_id == tenant_id,
                xero_links.c.kind.in_(kinds),
            )
            .order_by(xero_links.c.kind, xero_links.c.entity_id)
        )
        return list(rows)

    def oldest_link(self, company_id: UUID, tenant_id: str, kind: str) -> datetime | None:
        """When the company's least recently written link of `kind` was written, if any."""
        found = self._session.execute(
            select(func.min(xero_links.c.updated_at)).where(
                xero_links.c.company_id == company_id,
                xero_links.c.tenant_id == tenant_id,
                xero_links.c.kind == kind,
            )
        ).scalar_one_or_none()
        return found if isinstance(found, datetime) else None

    def due(self, now: datetime, setting: str, default_hour: int) -> list[UUID]:
        """Connected companies whose nightly run is due: the hour of `setting` has come
        since their last run (or since they connected), or their last run failed an hour
        ago or more."""
        newest = (
            select(
                reconciliations.c.company_id,
                func.max(reconciliations.c.started_at).label("started_at"),
            )
            .group_by(reconciliations.c.company_id)
            .subquery()
        )
        last = select(
            reconciliations.c.company_id, reconciliations.c.started_at, reconciliations.c.state
        ).join(
            newest,
            (newest.c.company_id == reconciliations.c.company_id)
            & (newest.c.started_at == reconciliations.c.started_at),
        )
        latest: dict[UUID, tuple[datetime, str]] = {
            company_id: (started_at, state)
            for company_id, started_at, state in self._session.execute(last)
        }
        rows = self._session.execute(
            select(companies.c.id, companies.c.settings, xero_connections.c.created_at)
            .join(xero_connections, xero_connections.c.company_id == companies.c.id)
            .where(xero_connections.c.status == "connected")
            .order_by(companies.c.id)
        )
        due: list[UUID] = []
        for company_id, settings, connected_at in rows:
            hour = hour_setting(CompanySettings.from_json(settings).options, setting, default_hour)
            started_at, state = latest.get(company_id, (connected_at, DONE))
            if last_slot(now, hour) > started_at or (
                state == FAILED and started_at + RETRY_FAILED_AFTER <= now
            ):
                due.append(company_id)
        return due
