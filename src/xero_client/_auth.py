"""Access tokens that refresh themselves: before expiry, once on a 401, single-flight."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from datetime import timedelta
from typing import Protocol

import httpx

from ._clock import Clock, SystemClock
from ._errors import ConnectionRevoked, NotConnected
from ._oauth import OAuth2Client
from ._tokens import TokenSet, TokenStore

#: Refresh this long before the access token expires, so no call carries a dying token.
REFRESH_MARGIN = timedelta(seconds=120)


class TokenSource(Protocol):
    """Hands out a valid access token for one connection."""

    async def access_token(self) -> str:
        """A token valid for at least the refresh margin."""
        ...

    async def refreshed_after(self, rejected: str) -> str:
        """A token other than ``rejected`` (which Xero answered 401 to)."""
        ...


class OAuthTokenSource:
    """Reads tokens from a :class:`TokenStore` and refreshes them when due.

    Refreshing is single-flight: callers first serialise on the store's lock, then re-read
    the store; only a caller that still finds the stale token refreshes, the rest use the
    token it saved. Xero rotates the refresh token on every use, so two refreshes of the
    same token would lose the connection (``invalid_grant``).
    """

    def __init__(
        self,
        store: TokenStore,
        oauth: OAuth2Client,
        *,
        clock: Clock | None = None,
        refresh_margin: timedelta = REFRESH_MARGIN,
    ) -> None:
        self._store = store
        self._oauth = oauth
        self._clock = clock or SystemClock()
        self._margin = refresh_margin
        #: How many refreshes this source performed (not how many were requested).
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"OAuthTokenSource(store={self._store!r}, oauth={self._oauth!r})"

    async def access_token(self) -> str:
        tokens = await self._load()
        if not tokens.expires_within(self._margin, self._clock.now()):
            return tokens.access_token
        return await self._refresh(stale=tokens.access_token)

    async def refreshed_after(self, rejected: str) -> str:
        return await self._refresh(stale=rejected)

    async def _load(self) -> TokenSet:
        tokens = await self._store.load()
        if tokens is None:
            raise NotConnected("no Xero tokens are stored for this connection; connect first")
        return tokens

    async def _refresh(self, *, stale: str) -> str:
        async with self._store.lock():
            current = await self._load()
            fresh = not current.expires_within(self._margin, self._clock.now())
            if current.access_token != stale and fresh:
                return current.access_token  # another caller refreshed while we waited
            try:
                new = await self._oauth.refresh(current.refresh_token)
            except ConnectionRevoked:
                # Another process may have rotated the token without our lock (or just
                # before it): re-read once before declaring the connection revoked.
                again = await self._load()
                if again.refresh_token == current.refresh_token:
                    raise
                if not again.expires_within(self._margin, self._clock.now()):
                    return again.access_token
                new = await self._oauth.refresh(again.refresh_token)
                current = again
            self.refresh_count += 1
            saved = current.rotated(new)
            await self._store.save(saved)
            return saved.access_token


class XeroAuth(httpx.Auth):
    """Signs requests with a bearer token and retries once with a refreshed one on 401."""

    def __init__(self, tokens: TokenSource) -> None:
        self._tokens = tokens

    def __repr__(self) -> str:
        return f"XeroAuth(tokens={self._tokens!r})"

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise TypeError("XeroAuth refreshes tokens asynchronously; use it with httpx.AsyncClient")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self._tokens.access_token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            token = await self._tokens.refreshed_after(token)
            request.headers["Authorization"] = f"Bearer {token}"
            yield request
