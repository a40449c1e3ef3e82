"""Documents by sync state, for the API and the CLI (``state=failed|pending|sent|resolved``).

Documents approved but not yet taken up by the worker have no sync state yet; they are
listed as pending from their outbox rows.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.repositories.sync_states import (
    SyncState,
    SyncStateRepository,
    check_state,
)
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.manual import sync_kind
from ledgerlink.sync.export.base import KINDS


def sync_states(
    uow: SqlUnitOfWork,
    clock: Clock,
    company_id: UUID,
    *,
    state: str | None = None,
    kind: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[SyncState]:
    """The company's documents in ``state`` (all when None), newest change first."""
    if state is not None:
        check_state(state)
    wanted_kind = sync_kind(kind) if kind is not None else None
    found = SyncStateRepository(uow.session, clock).list(
        company_id, state=state, kind=wanted_kind, limit=limit, offset=offset
    )
    if state not in (None, "pending") or offset:
        return found
    tracked = {
        (s.kind, s.document_id)
        for s in SyncStateRepository(uow.session, clock).list(company_id, limit=10_000)
    }
    query = (
        select(outbox.c.kind, outbox.c.document_id, outbox.c.created_at)
        .where(
            outbox.c.company_id == company_id,
            outbox.c.reaches_xero.is_(True),
            outbox.c.kind.in_([wanted_kind] if wanted_kind else KINDS),
            outbox.c.state.in_(("pending", "claimed")),
        )
        .order_by(outbox.c.id)
    )
    seen: set[tuple[str, UUID]] = set()
    for row_kind, document_id, created_at in uow.session.execute(query):
        key = (row_kind, UUID(document_id))
        if key in tracked or key in seen or len(found) >= limit:
            continue
        seen.add(key)
        found.append(
            SyncState(
                company_id=company_id,
                kind=row_kind,
                document_id=key[1],
                state="pending",
                updated_at=created_at,
            )
        )
    return found


def sync_log(
    uow: SqlUnitOfWork, clock: Clock, company_id: UUID, kind: str, document_id: UUID
) -> list[SyncLogEntry]:
    """One document's sync log, oldest first."""
    return SyncLogRepository(uow.session, clock).for_document(
        company_id, sync_kind(kind), document_id, limit=500
    )
