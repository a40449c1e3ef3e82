"""Worker heartbeats: each worker stamps its row now and then; readiness reads the newest."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables.workers import worker_heartbeats


def beat(session: Session, worker: str, now: datetime) -> None:
    """Record that ``worker`` is alive at ``now`` (no commit)."""
    result = session.execute(
        worker_heartbeats.update().where(worker_heartbeats.c.worker == worker).values(seen_at=now)
    )
    if rowcount(result) == 0:
        session.execute(worker_heartbeats.insert().values(worker=worker, seen_at=now))


def last_seen(session: Session) -> datetime | None:
    """When any worker was last seen, or None when none ever was."""
    seen: datetime | None = session.execute(
        select(func.max(worker_heartbeats.c.seen_at))
    ).scalar_one()
    return seen
