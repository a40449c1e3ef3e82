"""Documents by sync state, for the API and the CLI (``state=failed|pending|sent|resolved``).

Documents approved but not yet taken up by the worker have no sync state yet; they are
listed as pending from their outbox rows.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import exists, func, select

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.repositories.sync_states import (
    SyncState,
    SyncStateRepository,
    check_state,
)
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.sync import sync_states as sync_states_table
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.manual import sync_kind
from ledgerlink.sync.export.kinds import KINDS


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
    if len(found) >= limit:
        return found
    untracked = ~exists().where(
        sync_states_table.c.company_id == outbox.c.company_id,
        sync_states_table.c.kind == outbox.c.kind,
        sync_states_table.c.document_id == outbox.c.document_id,
    )
    query = (
        select(outbox.c.kind, outbox.c.document_id, func.min(outbox.c.created_at))
        .where(
            outbox.c.company_id == company_id,
            outbox.c.reaches_xero.is_(True),
            outbox.c.kind.in_([wanted_kind] if wanted_kind else KINDS),
            outbox.c.state.in_(("pending", "claimed")),
            untracked,
        )
        .group_by(outbox.c.kind, outbox.c.document_id)
        .order_by(func.min(outbox.c.id))
        .limit(limit - len(found))
    )
    for row_kind, document_id, created_at in uow.session.execute(query):
        found.append(
            SyncState(
                company_id=company_id,
                kind=row_kind,
                document_id=UUID(document_id),
                state="pending",
                updated_at=created_at,
            )
        )
    return found


def sync_state(
    uow: SqlUnitOfWork, clock: Clock, company_id: UUID, kind: str, document_id: UUID
) -> SyncState | None:
    """One document's state, or pending when only its outbox rows exist yet."""
    wanted_kind = sync_kind(kind)
    found = SyncStateRepository(uow.session, clock).get(company_id, wanted_kind, document_id)
    if found is not None:
        return found
    waiting = uow.session.execute(
        select(func.min(outbox.c.created_at)).where(
            outbox.c.company_id == company_id,
            outbox.c.reaches_xero.is_(True),
            outbox.c.kind == wanted_kind,
            outbox.c.document_id == str(document_id),
            outbox.c.state.in_(("pending", "claimed")),
        )
    ).scalar_one()
    if waiting is None:
        return None
    return SyncState(
        company_id=company_id,
        kind=wanted_kind,
        document_id=document_id,
        state="pending",
        updated_at=waiting,
    )


def sync_log(
    uow: SqlUnitOfWork, clock: Clock, company_id: UUID, kind: str, document_id: UUID
) -> list[SyncLogEntry]:
    """One document's sync log, oldest first."""
    return SyncLogRepository(uow.session, clock).for_document(
        company_id, sync_kind(kind), document_id, limit=500
    )
