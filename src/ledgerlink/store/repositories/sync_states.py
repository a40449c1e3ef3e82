"""Each document's sync state: pending, sent, failed or resolved by a person."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories._bulk import insert_rows, update_rows
from ledgerlink.store.repositories._rows import among, rowcount
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
                    among(self._session, sync_states.c.document_id, wanted[start : start + 500]),
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

    def keys_in_state(self, company_id: UUID, state: str) -> set[tuple[str, UUID]]:
        """Every ``(kind, document_id)`` of the company in ``state``, however many."""
        rows = self._session.execute(
            select(sync_states.c.kind, sync_states.c.document_id).where(
                sync_states.c.company_id == company_id,
                sync_states.c.state == check_state(state),
            )
        )
        return {(kind, UUID(document_id)) for kind, document_id in rows}

    def count(self, company_id: UUID, state: str) -> int:
        return self._session.execute(
            select(func.count())
            .select_from(sync_states)
            .where(sync_states.c.company_id == company_id, sync_states.c.state == state)
        ).scalar_one()

    def save(self, state: SyncState) -> SyncState:
        """Create or replace one document's state, stamped now; returns it as stored."""
        stamped = state.but(updated_at=self._clock())
        self.save_many([stamped], stamp=False)
        return stamped

    def save_many(
        self,
        states: builtins.list[SyncState],
        *,
        existing: Set[tuple[str, UUID]] | None = None,
        stamp: bool = True,
    ) -> None:
        """Create or replace several states at once, stamped now (unless ``stamp`` is
        False: as they are).

        ``existing`` names the ``(kind, document_id)`` known to be stored already: those are
        updated and the others inserted in one statement each. Without it each state is
        updated, or inserted when there was nothing to update.
        """
        now = self._clock() if stamp else None
        for one in states:
            check_state(one.state)
        if existing is None:
            for one in states:
                row = _row(one, now)
                result = self._session.execute(
                    sync_states.update()
                    .where(*_key_of(one))
                    .values(**{name: row[name] for name in _VALUE_COLUMNS})
                )
                if rowcount(result) == 0:
                    self._session.execute(sync_states.insert().values(**row))
            return
        updates = [_row(s, now) for s in states if (s.kind, s.document_id) in existing]
        inserts = [_row(s, now) for s in states if (s.kind, s.document_id) not in existing]
        update_rows(self._session, sync_states, _KEY_COLUMNS, updates)
        insert_rows(self._session, sync_states, inserts)


_KEY_COLUMNS = ("company_id", "kind", "document_id")
_VALUE_COLUMNS = (
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


def _values(state: SyncState) -> dict[str, Any]:
    return {name: getattr(state, name) for name in _VALUE_COLUMNS}


def _row(state: SyncState, updated_at: datetime | None = None) -> dict[str, Any]:
    """The state's columns, stamped ``updated_at`` when given."""
    row = {
        "company_id": state.company_id,
        "kind": state.kind,
        "document_id": str(state.document_id),
        **_values(state),
    }
    if updated_at is not None:
        row["updated_at"] = updated_at
    return row


def _key_of(state: SyncState) -> tuple[ColumnElement[bool], ...]:
    return (
        sync_states.c.company_id == state.company_id,
        sync_states.c.kind == state.kind,
        sync_states.c.document_id == str(state.document_id),
    )


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
