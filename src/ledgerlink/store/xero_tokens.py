"""`DatabaseTokenStore`: one company's Xero tokens, shared by every process of an installation.

`lock()` is held across processes: it opens a transaction that locks the connection's row
(`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the transaction starts with
`BEGIN IMMEDIATE`, which excludes every other writer), and `load`/`save` inside it use that
same transaction. So `xero_client`'s single-flight refresh holds across processes: exactly
one process refreshes, the others wait, re-read and use its tokens. When Xero refuses the
refresh token even after the re-read (`invalid_grant`), the connection is marked as needing
a reconnect in the same transaction.

The lock is also taken within one process first (an `asyncio.Lock` per company and event
loop), and waiting for the database lock happens in a worker thread, so the event loop keeps
serving other calls meanwhile.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from uuid import UUID

from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.crypto import SecretBox
from ledgerlink.store.repositories.xero_connections import XeroConnectionRepository
from xero_client import ConnectionRevoked, NotConnected, TokenSet

#: How long PostgreSQL waits for another process's refresh before giving up.
LOCK_TIMEOUT_SECONDS = 60

_held: contextvars.ContextVar[dict[UUID, Session] | None] = contextvars.ContextVar(
    "ledgerlink_held_token_locks", default=None
)
_loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[object, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def _process_lock(key: object) -> asyncio.Lock:
    locks = _loop_locks.setdefault(asyncio.get_running_loop(), {})
    lock = locks.get(key)
    if lock is None:
        lock = locks[key] = asyncio.Lock()
    return lock


class DatabaseTokenStore:
    """The `xero_client.TokenStore` of one company's connection, kept encrypted in the database."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        company_id: UUID,
        box: SecretBox,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self._sessions = session_factory
        self.company_id = company_id
        self._box = box
        self._clock = clock

    def __repr__(self) -> str:
        return f"DatabaseTokenStore(company_id={self.company_id})"

    def _repository(self, session: Session) -> XeroConnectionRepository:
        return XeroConnectionRepository(session, self._clock, self._box)

    def _held_session(self) -> Session | None:
        held = _held.get()
        return None if held is None else held.get(self.company_id)

    async def load(self) -> TokenSet | None:
        session = self._held_session()
        if session is not None:
            return self._repository(session).load_tokens(self.company_id)
        return await asyncio.to_thread(self._load_alone)

    def _load_alone(self) -> TokenSet | None:
        with self._sessions() as session:
            return self._repository(session).load_tokens(self.company_id)

    async def save(self, tokens: TokenSet) -> None:
        session = self._held_session()
        if session is not None:
            self._repository(session).save_tokens(self.company_id, tokens)
            return
        await asyncio.to_thread(self._save_alone, tokens)

    def _save_alone(self, tokens: TokenSet) -> None:
        with self._sessions() as session, session.begin():
            self._repository(session).save_tokens(self.company_id, tokens)

    def lock(self) -> AbstractAsyncContextManager[None]:
        return self._locked()

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        if self._held_session() is not None:
            yield  # already held by this task: the lock is re-entrant
            return
        key = (id(self._sessions), self.company_id)
        async with _process_lock(key):
            session = self._sessions()
            try:
                found = await asyncio.to_thread(self._begin_locked, session)
                if not found:
                    raise NotConnected("this company is not connected to Xero; connect it first")
                held = dict(_held.get() or {})
                held[self.company_id] = session
                token = _held.set(held)
                try:
                    yield
                except ConnectionRevoked as revoked:
                    self._repository(session).mark_needs_reconnect(self.company_id, str(revoked))
                    session.commit()
                    raise
                except BaseException:
                    session.rollback()
                    raise
                else:
                    session.commit()
                finally:
                    _held.reset(token)
            finally:
                session.close()

    def _begin_locked(self, session: Session) -> bool:
        session.begin()
        if session.get_bind().dialect.name == "postgresql":
            session.connection().exec_driver_sql(
                f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_SECONDS:d}s'"
            )
        return self._repository(session).lock(self.company_id)
