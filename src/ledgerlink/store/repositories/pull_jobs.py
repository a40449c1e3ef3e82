"""Pull jobs: a pull of what changed in Xero, run on demand, and how far it got."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.store.tables import pull_jobs, xero_connections

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
MESSAGE_LENGTH = 2000


@dataclass
class PullJob:
    """One pull: its state, the step it is at, and what it read and applied."""

    company_id: UUID
    created_at: datetime
    id: UUID = field(default_factory=uuid4)
    state: str = QUEUED
    step: str | None = None
    steps_done: int = 0
    read: int = 0
    applied: int = 0
    message: str | None = None
    finished_at: datetime | None = None

    def values(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "step": self.step,
            "steps_done": self.steps_done,
            "read": self.read,
            "applied": self.applied,
            "message": None if self.message is None else self.message[:MESSAGE_LENGTH],
            "finished_at": self.finished_at,
        }


def _job(row: RowMapping) -> PullJob:
    return PullJob(
        id=row["id"],
        company_id=row["company_id"],
        created_at=row["created_at"],
        state=row["state"],
        step=row["step"],
        steps_done=row["steps_done"],
        read=row["read"],
        applied=row["applied"],
        message=row["message"],
        finished_at=row["finished_at"],
    )


class PullJobRepository:
    """Add, save and read pull jobs, always within one company."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, job: PullJob) -> None:
        self._session.execute(
            pull_jobs.insert().values(
                id=job.id, company_id=job.company_id, created_at=job.created_at, **job.values()
            )
        )

    def save(self, job: PullJob) -> None:
        self._session.execute(
            pull_jobs.update()
            .where(pull_jobs.c.id == job.id, pull_jobs.c.company_id == job.company_id)
            .values(**job.values())
        )

    def get(self, company_id: UUID, job_id: UUID) -> PullJob | None:
        row = (
            self._session.execute(
                select(pull_jobs).where(
                    pull_jobs.c.id == job_id, pull_jobs.c.company_id == company_id
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _job(row)

    def connected(self, company_id: UUID) -> bool:
        """True when the company is connected to a Xero organisation (a pull can run)."""
        status = self._session.execute(
            select(xero_connections.c.status).where(xero_connections.c.company_id == company_id)
        ).scalar_one_or_none()
        return status == "connected"
