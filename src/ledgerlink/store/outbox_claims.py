"""Claiming outbox work: one worker per company at a time, rows under a lease.

A worker first takes the lease of a company with work waiting (``take_lease``): one row
in ``sync_leases`` that only it may renew until ``leased_until``. It then claims that
company's rows (``claim_rows``), ``FOR UPDATE SKIP LOCKED`` on PostgreSQL so that any
number of workers on any number of machines never wait on one another; on SQLite every
transaction begins ``IMMEDIATE`` (see ``store.engine``), which serialises claims the same
way for one worker process. A killed worker's lease and claims run out and are taken
again; a worker restarted under the same name takes them back at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.sync import sync_leases, sync_parks


def _claimable(now: datetime, kinds: Sequence[str]) -> Any:
    return and_(
        outbox.c.reaches_xero.is_(True),
        outbox.c.kind.in_(kinds),
        or_(
            and_(outbox.c.state == "pending", outbox.c.available_at <= now),
            and_(outbox.c.state == "claimed", outbox.c.claimed_until < now),
        ),
    )


def companies_with_work(
    session: Session, now: datetime, *, kinds: Sequence[str], limit: int = 50
) -> list[UUID]:
    """Companies with claimable rows of ``kinds``, not parked, not leased by a live worker."""
    parked = select(sync_parks.c.company_id).where(sync_parks.c.parked_until > now)
    leased = select(sync_leases.c.company_id).where(sync_leases.c.leased_until > now)
    rows = session.execute(
        select(outbox.c.company_id)
        .where(
            _claimable(now, kinds),
            outbox.c.company_id.not_in(parked),
            outbox.c.company_id.not_in(leased),
        )
        .group_by(outbox.c.company_id)
        .order_by(func.min(outbox.c.id))
        .limit(limit)
    )
    return [company_id for (company_id,) in rows]


def own_leases(session: Session, worker: str) -> list[UUID]:
    """Companies whose lease ``worker`` holds (live or run out), e.g. after a restart."""
    return list(
        session.scalars(select(sync_leases.c.company_id).where(sync_leases.c.worker == worker))
    )


def take_lease(
    session: Session, company_id: UUID, worker: str, now: datetime, until: datetime
) -> bool:
    """Take or renew the lease of one company; False when another live worker holds it."""
    result = session.execute(
        update(sync_leases)
        .where(
            sync_leases.c.company_id == company_id,
            or_(sync_leases.c.worker == worker, sync_leases.c.leased_until < now),
        )
        .values(worker=worker, leased_until=until)
    )
    if rowcount(result) == 1:
        return True
    try:
        with session.begin_nested():
            session.execute(
                sync_leases.insert().values(
                    company_id=company_id, worker=worker, leased_until=until
                )
            )
    except IntegrityError:
        return False
    return True


def release_lease(session: Session, company_id: UUID, worker: str) -> None:
    """Give a company back (only if ``worker`` still holds it)."""
    session.execute(
        delete(sync_leases).where(
            sync_leases.c.company_id == company_id, sync_leases.c.worker == worker
        )
    )


def claim_rows(
    session: Session,
    company_id: UUID,
    worker: str,
    now: datetime,
    until: datetime,
    *,
    kinds: Sequence[str],
    limit: int = 1000,
) -> list[OutboxMessage]:
    """Claim up to ``limit`` of one company's claimable rows of ``kinds``, oldest first.

    Rows ``worker`` itself claimed before (a restart under the same name) are included.
    """
    query = (
        select(outbox.c.id)
        .where(
            outbox.c.company_id == company_id,
            or_(
                _claimable(now, kinds),
                and_(
                    outbox.c.state == "claimed",
                    outbox.c.claimed_by == worker,
                    outbox.c.kind.in_(kinds),
                ),
            ),
        )
        .order_by(outbox.c.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if not ids:
        return []
    session.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(state="claimed", claimed_by=worker, claimed_until=until)
    )
    rows = session.execute(select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.id))
    return [OutboxMessage.from_row(row) for row in rows.mappings()]


def finish_rows(
    session: Session, ids: Sequence[int], *, state: str = "done", error: str | None = None
) -> None:
    """Mark claimed rows done (or failed, with the error)."""
    for start in range(0, len(ids), 500):
        session.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids[start : start + 500]))
            .values(state=state, claimed_by=None, claimed_until=None, last_error=error)
        )


def retry_rows(
    session: Session,
    ids: Sequence[int],
    *,
    available_at: datetime,
    error: str | None,
    only_claimed_by: str | None = None,
) -> None:
    """Give claimed rows back for a later attempt, counting one more attempt.

    With ``only_claimed_by``, rows already settled (or taken by another worker) stay as
    they are.
    """
    for start in range(0, len(ids), 500):
        where: list[ColumnElement[bool]] = [outbox.c.id.in_(ids[start : start + 500])]
        if only_claimed_by is not None:
            where += [outbox.c.state == "claimed", outbox.c.claimed_by == only_claimed_by]
        session.execute(
            update(outbox)
            .where(*where)
            .values(
                state="pending",
                claimed_by=None,
                claimed_until=None,
                available_at=available_at,
                attempts=outbox.c.attempts + 1,
                last_error=error,
            )
        )


def reopen_document_rows(
    session: Session, company_id: UUID, kind: str, document_id: UUID, now: datetime
) -> int:
    """Make a document's failed rows pending again (a person's retry); returns how many."""
    result = session.execute(
        update(outbox)
        .where(
            outbox.c.company_id == company_id,
            outbox.c.kind == kind,
            outbox.c.document_id == str(document_id),
            outbox.c.state == "failed",
        )
        .values(state="pending", available_at=now, attempts=0, last_error=None)
    )
    return rowcount(result)


def park(session: Session, company_id: UUID, until: datetime, reason: str) -> None:
    """Hold a company's work until ``until`` (its daily Xero budget is spent)."""
    result = session.execute(
        update(sync_parks)
        .where(sync_parks.c.company_id == company_id)
        .values(parked_until=until, reason=reason)
    )
    if rowcount(result) == 0:
        session.execute(
            sync_parks.insert().values(company_id=company_id, parked_until=until, reason=reason)
        )


def parked_until(session: Session, company_id: UUID, now: datetime) -> datetime | None:
    """When a parked company's work resumes, or None when it is not parked."""
    found = session.scalars(
        select(sync_parks.c.parked_until).where(
            sync_parks.c.company_id == company_id, sync_parks.c.parked_until > now
        )
    ).first()
    return found
