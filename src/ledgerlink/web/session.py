"""The console's session: a signed cookie holding the CSRF token and, once someone signs
in, who they are and the id of their session kept server-side.

The cookie is ``base64(json).base64(hmac-sha256)``, signed with a key derived from the
installation's secret key. It is HttpOnly, SameSite=Lax and Secure outside development.
A signed-in session counts only while its row is in the store (``console_sessions``,
by a digest of the id): it ends when it is 12 hours old, when its person signs out,
when their password changes or they are taken out of a company, and a copy of the
cookie ends with it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

COOKIE_NAME = "ledgerlink_session"
SESSION_LIFETIME = timedelta(hours=12)
# Processes on several machines may disagree a little about the time.
CLOCK_SKEW = timedelta(minutes=5)
_KEY_PURPOSE = b"ledgerlink console session v1"


@dataclass(frozen=True)
class ConsoleSession:
    """One browser's session; ``user_id`` is None until someone signs in."""

    csrf: str
    issued_at: datetime
    user_id: UUID | None = None
    password_stamp: str = ""
    #: The random id of a signed-in session, whose row in the store keeps it alive.
    session_id: str = ""

    def signed_in(self, user_id: UUID, password_stamp: str, now: datetime) -> ConsoleSession:
        """A fresh session for the person (a new CSRF token: the old one was anonymous)."""
        return replace(
            new_session(now),
            user_id=user_id,
            password_stamp=password_stamp,
            issued_at=now,
            session_id=secrets.token_urlsafe(32),
        )


def new_session(now: datetime) -> ConsoleSession:
    return ConsoleSession(csrf=secrets.token_urlsafe(32), issued_at=now)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Writes sessions into cookie values and reads back only those it signed."""

    def __init__(self, secret_key: str) -> None:
        # Several keys, comma-separated, while the key changes: sign with the first, accept
        # any (as the Xero tokens are encrypted; see docs/deploy.md).
        self._keys = [
            hmac.new(key.strip().encode(), _KEY_PURPOSE, hashlib.sha256).digest()
            for key in secret_key.split(",")
            if key.strip()
        ]

    def _sign(self, payload: str, key: bytes) -> str:
        return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())

    def password_stamp(self, password_hash: str | None) -> str:
        """A short digest of the password hash: changes when the password does."""
        return _b64(hashlib.sha256((password_hash or "").encode()).digest()[:12])

    def dump(self, session: ConsoleSession) -> str:
        payload = _b64(
            json.dumps(
                {
                    "c": session.csrf,
                    "t": session.issued_at.isoformat(),
                    "u": None if session.user_id is None else str(session.user_id),
                    "p": session.password_stamp,
                    "s": session.session_id,
                },
                separators=(",", ":"),
            ).encode()
        )
        return f"{payload}.{self._sign(payload, self._keys[0])}"

    def load(self, value: str | None, now: datetime) -> ConsoleSession | None:
        """The session in ``value``, or None when it is missing, forged or expired."""
        if not value or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        if not any(hmac.compare_digest(signature, self._sign(payload, k)) for k in self._keys):
            return None
        try:
            data = json.loads(_unb64(payload))
            issued_at = datetime.fromisoformat(data["t"])
            session = ConsoleSession(
                csrf=str(data["c"]),
                issued_at=issued_at,
                user_id=None if data["u"] is None else UUID(data["u"]),
                password_stamp=str(data["p"]),
                session_id=str(data.get("s") or ""),
            )
        except (ValueError, KeyError, TypeError):
            return None
        if not -CLOCK_SKEW <= now - issued_at <= SESSION_LIFETIME:
            return None
        return session
