"""Xero's OAuth 2.0 identity service: consent URL with PKCE, code exchange, refresh,
revocation, and the organisations (connections) a grant covers."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from . import _wire
from ._clock import Clock, SystemClock
from ._errors import (
    ConnectionRevoked,
    InvalidRequest,
    NotFound,
    OAuthError,
    ServerError,
    Unauthorized,
    XeroConnectionError,
    XeroTimeout,
)
from ._tokens import TokenSet

#: The scopes ledgerlink asks for; any list of Xero scopes may be passed instead.
DEFAULT_SCOPES: tuple[str, ...] = (
    "offline_access",
    "accounting.settings",
    "accounting.contacts",
    "accounting.invoices",
    "accounting.payments",
    "accounting.banktransactions",
    "accounting.attachments",
)


@dataclass(frozen=True)
class XeroEndpoints:
    """Where the login page, identity service and APIs live (Xero's own by default)."""

    authorize_url: str = "https://login.xero.com/identity/connect/authorize"
    token_url: str = "https://identity.xero.com/connect/token"  # noqa: S105 - a URL
    revocation_url: str = "https://identity.xero.com/connect/revocation"
    connections_url: str = "https://api.xero.com/connections"
    api_url: str = "https://api.xero.com/api.xro/2.0"

    @classmethod
    def at_root(cls, root: str) -> XeroEndpoints:
        """All endpoints served from one root URL, as ``xero-sandbox`` serves them."""
        root = root.rstrip("/")
        return cls(
            authorize_url=f"{root}/identity/connect/authorize",
            token_url=f"{root}/connect/token",
            revocation_url=f"{root}/connect/revocation",
            connections_url=f"{root}/connections",
            api_url=f"{root}/api.xro/2.0",
        )


@dataclass(frozen=True)
class AuthorizationRequest:
    """A consent URL and the secrets to keep until the user comes back with a code."""

    url: str
    state: str
    code_verifier: str = field(repr=False)


@dataclass(frozen=True)
class Connection:
    """One organisation (tenant) a grant gives access to."""

    id: str
    tenant_id: str
    tenant_type: str
    tenant_name: str | None
    auth_event_id: str | None = None
    created: datetime | None = None
    updated: datetime | None = None

    @classmethod
    def from_xero(cls, data: dict[str, Any]) -> Connection:
        def when(key: str) -> datetime | None:
            raw = data.get(key)
            return _wire.parse_datetime(raw) if isinstance(raw, str) and raw else None

        return cls(
            id=str(data["id"]),
            tenant_id=str(data["tenantId"]),
            tenant_type=str(data.get("tenantType") or ""),
            tenant_name=data.get("tenantName"),
            auth_event_id=data.get("authEventId"),
            created=when("createdDateUtc"),
            updated=when("updatedDateUtc"),
        )


def pkce_challenge(code_verifier: str) -> str:
    """The S256 code challenge of a PKCE code verifier (RFC 7636)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuth2Client:
    """Talks to Xero's identity service for one app (client id and secret).

    Args:
        client_id: the app's client id.
        client_secret: the app's secret; ``None`` for a PKCE-only app.
        redirect_uri: where Xero sends the user back with ``code`` and ``state``.
        http: the HTTP client to use (its transport may be an ASGI app in tests).
        endpoints: where Xero lives; :meth:`XeroEndpoints.at_root` for the sandbox.
        clock: tells when a fresh access token will expire.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str | None,
        redirect_uri: str,
        http: httpx.AsyncClient,
        *,
        endpoints: XeroEndpoints | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not client_id:
            raise InvalidRequest("client_id is empty; pass the app's client id from Xero")
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.endpoints = endpoints or XeroEndpoints()
        self._http = http
        self._clock = clock or SystemClock()

    def __repr__(self) -> str:
        return (
            f"OAuth2Client(client_id={self.client_id!r}, redirect_uri={self.redirect_uri!r}, "
            f"token_url={self.endpoints.token_url!r})"
        )

    def authorization_request(
        self,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        *,
        state: str | None = None,
        code_verifier: str | None = None,
    ) -> AuthorizationRequest:
        """Builds the consent URL (authorization code flow with PKCE S256 and ``state``)."""
        if not scopes:
            raise InvalidRequest("scopes is empty; pass at least 'offline_access' and one API")
        state = state or secrets.token_urlsafe(24)
        verifier = code_verifier or secrets.token_urlsafe(48)
        if not 43 <= len(verifier) <= 128:
            raise InvalidRequest("code_verifier must be 43 to 128 characters long (RFC 7636)")
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": " ".join(scopes),
                "state": state,
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return AuthorizationRequest(
            url=f"{self.endpoints.authorize_url}?{query}", state=state, code_verifier=verifier
        )

    async def exchange_code(self, code: str, code_verifier: str) -> TokenSet:
        """Trades the authorization code from the redirect for tokens."""
        return await self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "code_verifier": code_verifier,
            }
        )

    async def refresh(self, refresh_token: str) -> TokenSet:
        """Trades a refresh token for new tokens; Xero rotates the refresh token each time.

        Raises:
            ConnectionRevoked: Xero answered ``invalid_grant`` (used, expired or revoked).
        """
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def revoke(self, refresh_token: str) -> None:
        """Revokes a refresh token, ending every connection of that grant."""
        response = await self._send(
            "POST",
            self.endpoints.revocation_url,
            data={"token": refresh_token, **self._client_fields()},
            auth=self._basic(),
        )
        if response.status_code != 200:
            raise self._oauth_error(response, "POST /connect/revocation")

    async def connections(self, access_token: str) -> list[Connection]:
        """The organisations the access token's grant covers (``GET /connections``)."""
        response = await self._send(
            "GET", self.endpoints.connections_url, headers=_bearer(access_token)
        )
        self._check_api(response, "GET /connections")
        body = _wire.loads(response.content)
        if not isinstance(body, list):
            raise OAuthError("GET /connections did not answer with a list", status=200)
        return [Connection.from_xero(item) for item in body]

    async def delete_connection(self, access_token: str, connection_id: str) -> None:
        """Disconnects one organisation (``DELETE /connections/{id}``)."""
        endpoint = "DELETE /connections/{id}"
        response = await self._send(
            "DELETE",
            f"{self.endpoints.connections_url}/{connection_id}",
            headers=_bearer(access_token),
        )
        self._check_api(response, endpoint)

    async def _token(self, form: dict[str, str]) -> TokenSet:
        now = self._clock.now()
        response = await self._send(
            "POST",
            self.endpoints.token_url,
            data={**form, **self._client_fields()},
            auth=self._basic(),
        )
        if response.status_code != 200:
            raise self._oauth_error(response, "POST /connect/token")
        return TokenSet.from_response(_wire.loads(response.content), now)

    def _client_fields(self) -> dict[str, str]:
        # A confidential app authenticates with HTTP Basic; a PKCE-only app names itself.
        return {} if self._client_secret else {"client_id": self.client_id}

    def _basic(self) -> httpx.BasicAuth | None:
        if not self._client_secret:
            return None
        return httpx.BasicAuth(self.client_id, self._client_secret)

    async def _send(
        self,
        method: str,
        url: str,
        *,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        auth: httpx.BasicAuth | None = None,
    ) -> httpx.Response:
        endpoint = f"{method} {httpx.URL(url).path}"
        try:
            if auth is None:
                return await self._http.request(method, url, data=data, headers=headers)
            return await self._http.request(method, url, data=data, headers=headers, auth=auth)
        except httpx.TimeoutException:
            raise XeroTimeout(
                "identity service did not answer in time", endpoint=endpoint
            ) from None
        except httpx.TransportError as exc:
            raise XeroConnectionError(
                f"could not reach the identity service: {type(exc).__name__}", endpoint=endpoint
            ) from None

    def _check_api(self, response: httpx.Response, endpoint: str) -> None:
        status = response.status_code
        if status < 300:
            return
        if status == 401:
            raise Unauthorized("access token refused", status=status, endpoint=endpoint)
        if status == 404:
            raise NotFound("connection not found", status=status, endpoint=endpoint)
        if status >= 500:
            raise ServerError("identity service failed", status=status, endpoint=endpoint)
        raise OAuthError(_text(response), status=status, endpoint=endpoint)

    def _oauth_error(self, response: httpx.Response, endpoint: str) -> Exception:
        status = response.status_code
        if status >= 500:
            return ServerError("identity service failed", status=status, endpoint=endpoint)
        code, description = _oauth_error_fields(response)
        if code == "invalid_grant":
            return ConnectionRevoked(
                "Xero refused the refresh token (invalid_grant): it was used, expired or "
                "revoked; connect to Xero again",
                status=status,
                endpoint=endpoint,
            )
        message = f"{code}: {description}" if description else code
        return OAuthError(message, status=status, endpoint=endpoint)


def _bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _oauth_error_fields(response: httpx.Response) -> tuple[str, str]:
    try:
        body = _wire.loads(response.content)
    except ValueError:
        return "error", _text(response)
    if isinstance(body, dict):
        return str(body.get("error") or "error"), str(body.get("error_description") or "")
    return "error", _text(response)


def _text(response: httpx.Response) -> str:
    return response.text[:500] or response.reason_phrase
