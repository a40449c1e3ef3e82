"""Signed-in console sessions, kept server-side so that they can be ended.

The browser holds a random session id (in its signed cookie); the store keeps only a
SHA-256 digest of it, so a copy of the table signs nobody in.
"""

import hashlib
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import console_sessions


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class ConsoleSessionRepository:
    """Begin, find and end people's console sessions."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def begin(self, session_id: str, user_id: UUID, now: datetime, expires_at: datetime) -> None:
        """Record a session signed in as ``user_id``; expired ones are cleared meanwhile."""
        self._session.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now))
        self._session.execute(
            console_sessions.insert().values(
                id_hash=_digest(session_id), user_id=user_id, created_at=now, expires_at=expires_at
            )
        )

    def user_of(self, session_id: str, now: datetime) -> UUID | None:
        """Who the session is signed in as, or None when it ended or expired."""
        found = self._session.execute(
            select(console_sessions.c.user_id).where(
                console_sessions.c.id_hash == _digest(session_id),
                console_sessions.c.expires_at > now,
            )
        ).scalar_one_or_none()
        return found if isinstance(found, UUID) else None

    def end(self, session_id: str) -> None:
        """End one session (signing out)."""
        self._session.execute(
            delete(console_sessions).where(console_sessions.c.id_hash == _digest(session_id))
        )

    def end_all(self, user_id: UUID) -> int:
        """End every session of the person (a new password, a membership taken away)."""
        result = self._session.execute(
            delete(console_sessions).where(console_sessions.c.user_id == user_id)
        )
        return rowcount(result)
