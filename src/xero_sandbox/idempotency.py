"""`Idempotency-Key` replay: the same key and body answer the first response again.

A key is remembered per app and organisation for 24 hours with the method, path and a hash of
the body. The same key with another request is refused; a key whose first call is still
running is refused too, so a retry can never run the change twice.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255


@dataclass
class StoredResponse:
    """A response captured on its way out, to replay byte for byte."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class _Entry:
    method: str
    path: str
    body_hash: str
    created: datetime
    response: StoredResponse | None = None
    replays: int = field(default=0)


@dataclass(frozen=True)
class Replay:
    """The stored response to answer with."""

    response: StoredResponse


@dataclass(frozen=True)
class Mismatch:
    """The key was first used for another request."""

    message: str


@dataclass(frozen=True)
class InProgress:
    """The key's first request has not finished yet."""


@dataclass(frozen=True)
class Fresh:
    """A new key: run the request and `finish` it."""


Outcome = Replay | Mismatch | InProgress | Fresh


def body_hash(body: bytes) -> str:
    """The fingerprint of a request body."""
    return hashlib.sha256(body).hexdigest()


class IdempotencyStore:
    """Keys seen in the last 24 hours and what they answered."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, str], _Entry] = {}

    def begin(
        self, scope: tuple[str, str, str], method: str, path: str, digest: str, now: datetime
    ) -> Outcome:
        """Look a key up; a fresh key is reserved until `finish` or `abandon`."""
        entry = self._entries.get(scope)
        if entry is not None and now - entry.created >= KEY_LIFETIME:
            del self._entries[scope]
            entry = None
        if entry is None:
            self._entries[scope] = _Entry(method, path, digest, now)
            return Fresh()
        if (entry.method, entry.path.lower(), entry.body_hash) != (method, path.lower(), digest):
            return Mismatch(
                f"The Idempotency-Key '{scope[2]}' was already used for a different request "
                f"({entry.method} {entry.path}); use a new key for a new request"
            )
        if entry.response is None:
            return InProgress()
        entry.replays += 1
        return Replay(entry.response)

    def finish(self, scope: tuple[str, str, str], response: StoredResponse) -> None:
        """Remember what a fresh key answered."""
        entry = self._entries.get(scope)
        if entry is not None:
            entry.response = response

    def abandon(self, scope: tuple[str, str, str]) -> None:
        """Forget a key whose request failed before answering, so a retry runs it."""
        entry = self._entries.get(scope)
        if entry is not None and entry.response is None:
            del self._entries[scope]

    def clear(self) -> None:
        """Forget every key."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
