"""OAuth 2.0 tokens and where they are kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from ._errors import OAuthError


@dataclass(frozen=True)
class TokenSet:
    """An access token, the refresh token that renews it, and when the access token expires.

    ``repr()`` and ``str()`` never show either token.
    """

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scope: tuple[str, ...] = ()
    token_type: str = "Bearer"  # noqa: S105 - a scheme name
    id_token: str | None = field(default=None, repr=False)

    def expires_within(self, margin: timedelta, now: datetime) -> bool:
        """True when the access token expires before ``now + margin``."""
        return self.expires_at <= now + margin

    @classmethod
    def from_response(cls, body: Any, now: datetime) -> TokenSet:
        """Builds a token set from the token endpoint's JSON answer."""
        if not isinstance(body, dict):
            raise OAuthError("token endpoint answered with something other than a JSON object")
        try:
            access = str(body["access_token"])
            refresh = str(body.get("refresh_token") or "")
            lifetime = int(body.get("expires_in", 1800))
        except (KeyError, TypeError, ValueError) as exc:
            raise OAuthError(f"token endpoint answer lacks a valid {exc}") from None
        scope = tuple(str(body.get("scope") or "").split())
        return cls(
            access_token=access,
            refresh_token=refresh,
            expires_at=now + timedelta(seconds=lifetime),
            scope=scope,
            token_type=str(body.get("token_type") or "Bearer"),
            id_token=body.get("id_token"),
        )

    def rotated(self, new: TokenSet) -> TokenSet:
        """The token set after a refresh, keeping the old refresh token if none was issued."""
        return new if new.refresh_token else replace(new, refresh_token=self.refresh_token)


class TokenStore(Protocol):
    """Keeps one Xero connection's tokens, shared by every task and process that uses it.

    ``lock()`` must be exclusive among all of them (an asyncio lock in one process; a row
    lock or advisory lock in a database; a file lock across processes on one machine), so
    that exactly one of many concurrent callers refreshes and the others re-read its result.
    """

    async def load(self) -> TokenSet | None:
        """The current tokens, or ``None`` when the connection has none."""
        ...

    async def save(self, tokens: TokenSet) -> None:
        """Replaces the tokens (called while holding ``lock()``)."""
        ...

    def lock(self) -> AbstractAsyncContextManager[None]:
        """An exclusive lock over refreshing this connection's tokens."""
        ...


class InMemoryTokenStore:
    """A token store for one process, locked with an ``asyncio.Lock``."""

    def __init__(self, tokens: TokenSet | None = None) -> None:
        self._tokens = tokens
        self._lock = asyncio.Lock()

    async def load(self) -> TokenSet | None:
        return self._tokens

    async def save(self, tokens: TokenSet) -> None:
        self._tokens = tokens

    @asynccontextmanager
    async def _locked(self) -> AsyncIterator[None]:
        async with self._lock:
            yield

    def lock(self) -> AbstractAsyncContextManager[None]:
        return self._locked()

    def __repr__(self) -> str:
        return f"InMemoryTokenStore(tokens={self._tokens!r})"
