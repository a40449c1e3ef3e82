"""Each document's sync state: pending, sent, failed or resolved by a person."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables.sync import SYNC_STATES, sync_states


@dataclass(frozen=True, slots=True)
class SyncState:
    """Where one document stands with Xero.

    ``in_flight_key`` is set while a create may have reached Xero without our knowing
    (the worker reconciles it by looking the document up before any resend).
    ``total_mismatch`` flags a Xero total different from ours (both kept).
    """

    company_id: UUID
    kind: str
    document_id: UUID
    state: str = "pending"
    attempts: int = 0
    synced_version: int | None = None
    xero_id: str | None = None
    xero_status: str | None = None
    in_flight_key: str | None = None
    last_error: str | None = None
    fix: str | None = None
    total_ours: Decimal | None = None
    total_xero: Decimal | None = None
    total_mismatch: bool = False
    updated_at: datetime | None = None

    def but(self, **changes: object) -> SyncState:
        """A copy with ``changes``."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def check_state(state: str) -> str:
    """``state`` if it is a sync state, else a clear error naming the allowed ones."""
    if state not in SYNC_STATES:
        raise InvalidValue("state", f"use one of {', '.join(SYNC_STATES)}, got {state!r}")
    return state


class SyncStateRepository:
    """Read and write sync states, always within one company."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def get(self, company_id: UUID, kind: str, document_id: UUID) -> SyncState | None:
        row = (
            self._session.execute(
                select(sync_states).where(
                    sync_states.c.company_id == company_id,
                    sync_states.c.kind == kind,
                    sync_states.c.document_id == str(document_id),
                )
            )
            .mappings()
            .first()
        )
        return None if row is None else _state(row)

    def get_many(
        self, company_id: UUID, kind: str, document_ids: Iterable[UUID]
    ) -> dict[UUID, SyncState]:
        """The states of several documents of one kind, by document id."""
        wanted = [str(i) for i in document_ids]
        found: dict[UUID, SyncState] = {}
        for start in range(0, len(wanted), 500):
            rows = self._session.execute(
                select(sync_states).where(
                    sync_states.c.company_id == company_id,
                    sync_states.c.kind == kind,
                    sync_states.c.document_id.in_(wanted[start : start + 500]),
                )
            ).mappings()
            for row in rows:
                state = _state(row)
                found[state.document_id] = state
        return found

    def list(
        self,
        company_id: UUID,
        *,
        state: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[SyncState]:
        """States newest change first, optionally in one state or of one kind."""
        query = select(sync_states).where(sync_states.c.company_id == company_id)
        if state is not None:
            query = query.where(sync_states.c.state == check_state(state))
        if kind is not None:
            query = query.where(sync_states.c.kind == kind)
        query = query.order_by(sync_states.c.updated_at.desc(), sync_states.c.document_id)
        rows = self._session.execute(query.limit(limit).offset(offset)).mappings()
        return [_state(row) for row in rows]

    def count(self, company_id: UUID, state: str) -> int:
        return self._session.execute(
            select(func.count())
            .select_from(sync_states)
            .where(sync_states.c.company_id == company_id, sync_states.c.state == state)
        ).scalar_one()

    def save(self, state: SyncState) -> SyncState:
        """Create or replace one document's state, stamped now."""
        saved = state.but(state=check_state(state.state), updated_at=self._clock())
        values = {
            name: getattr(saved, name)
            for name in (
                "state",
                "attempts",
                "synced_version",
                "xero_id",
                "xero_status",
                "in_flight_key",
                "last_error",
                "fix",
                "total_ours",
                "total_xero",
                "total_mismatch",
                "updated_at",
            )
        }
        result = self._session.execute(
            sync_states.update()
            .where(
                sync_states.c.company_id == saved.company_id,
                sync_states.c.kind == saved.kind,
                sync_states.c.document_id == str(saved.document_id),
            )
            .values(**values)
        )
        if rowcount(result) == 0:
            self._session.execute(
                sync_states.insert().values(
                    company_id=saved.company_id,
                    kind=saved.kind,
                    document_id=str(saved.document_id),
                    **values,
                )
            )
        return saved


def _state(row: RowMapping) -> SyncState:
    return SyncState(
        company_id=row["company_id"],
        kind=row["kind"],
        document_id=UUID(row["document_id"]),
        state=row["state"],
        attempts=row["attempts"],
        synced_version=row["synced_version"],
        xero_id=row["xero_id"],
        xero_status=row["xero_status"],
        in_flight_key=row["in_flight_key"],
        last_error=row["last_error"],
        fix=row["fix"],
        total_ours=row["total_ours"],
        total_xero=row["total_xero"],
        total_mismatch=row["total_mismatch"],
        updated_at=row["updated_at"],
    )
