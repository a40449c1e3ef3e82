"""The identity service's memory and rules: codes, token rotation, revocation, connections.

Lifetimes follow Xero: a code works once within 5 minutes; an access token lasts the
configured TTL (30 minutes by default); an unused refresh token expires after 60 days; after a
refresh the previous refresh token keeps working for a 30-minute grace period.
"""

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from xero_sandbox.identity.jwt import (
    access_token_claims,
    id_token_claims,
    sign_jwt,
)
from xero_sandbox.identity.pkce import verifier_matches
from xero_sandbox.identity.records import (
    AccessToken,
    AuthorizationCode,
    Connection,
    Grant,
    datetimes_from_dict,
    record_to_dict,
)

CODE_LIFETIME = timedelta(minutes=5)
REFRESH_TOKEN_LIFETIME = timedelta(days=60)
REFRESH_GRACE_PERIOD = timedelta(minutes=30)
_PRUNE_ACCESS_TOKENS_AT = 10_000


class GrantError(Exception):
    """A token request refused with an RFC 6749 error code."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass(frozen=True)
class TokenSet:
    """What `/connect/token` answers."""

    access_token: str
    expires_in: int
    scopes: list[str]
    refresh_token: str | None
    id_token: str | None = None

    def to_public(self) -> dict[str, Any]:
        """The token endpoint's JSON body."""
        body: dict[str, Any] = {
            "access_token": self.access_token,
            "expires_in": self.expires_in,
            "token_type": "Bearer",
            "scope": " ".join(self.scopes),
        }
        if self.refresh_token is not None:
            body["refresh_token"] = self.refresh_token
        if self.id_token is not None:
            body["id_token"] = self.id_token
        return body


@dataclass(frozen=True)
class Caller:
    """Who an API call comes from, once its bearer token is accepted."""

    client_id: str
    grant_id: str
    custom_tenant_id: str | None
    scopes: frozenset[str]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class IdentityStore:
    """Codes, grants, access tokens and connections of one sandbox."""

    def __init__(self, signing_key: bytes | None = None) -> None:
        self.signing_key = signing_key or secrets.token_bytes(32)
        self._codes: dict[str, AuthorizationCode] = {}
        self._grants: dict[str, Grant] = {}
        self._access: dict[str, AccessToken] = {}
        self._refresh_index: dict[str, str] = {}
        self._connections: dict[str, Connection] = {}

    # -- consent -------------------------------------------------------------------------
    def issue_code(self, code: AuthorizationCode) -> str:
        """Remember a consent and return its one-time code."""
        value = secrets.token_urlsafe(32)
        self._codes[_digest(value)] = code
        return value

    def connect(
        self, client_id: str, tenants: dict[str, str], auth_event_id: str, now: datetime
    ) -> list[Connection]:
        """Connect organisations (id → name) to an app, or refresh existing connections."""
        connected: list[Connection] = []
        for tenant_id, tenant_name in tenants.items():
            existing = self._connection_for(client_id, tenant_id)
            if existing is None:
                existing = Connection(
                    id=str(uuid.uuid4()),
                    client_id=client_id,
                    tenant_id=tenant_id,
                    tenant_name=tenant_name,
                    auth_event_id=auth_event_id,
                    created=now,
                    updated=now,
                )
                self._connections[existing.id] = existing
            else:
                existing.auth_event_id = auth_event_id
                existing.tenant_name = tenant_name
                existing.updated = now
            connected.append(existing)
        return connected

    # -- token endpoint --------------------------------------------------------------------
    def redeem_code(
        self,
        code: str,
        client_id: str,
        redirect_uri: str,
        verifier: str | None,
        client_authenticated: bool,
        now: datetime,
        ttl_seconds: int,
    ) -> TokenSet:
        """Exchange an authorization code for tokens (once, within 5 minutes)."""
        record = self._codes.get(_digest(code))
        if record is None or record.client_id != client_id:
            raise GrantError("invalid_grant", "The authorization code is not recognised")
        if record.used:
            raise GrantError("invalid_grant", "The authorization code has already been used")
        if now >= record.expires_at:
            raise GrantError("invalid_grant", "The authorization code has expired")
        if record.redirect_uri != redirect_uri:
            raise GrantError(
                "invalid_grant", "redirect_uri must be the one sent to the authorize endpoint"
            )
        if record.code_challenge is not None:
            if not verifier:
                raise GrantError("invalid_grant", "code_verifier is required (PKCE)")
            if not verifier_matches(verifier, record.code_challenge):
                raise GrantError("invalid_grant", "code_verifier does not match code_challenge")
        elif not client_authenticated:
            raise GrantError("invalid_client", "client_secret is required when PKCE was not used")
        record.used = True
        grant = Grant(
            id=str(uuid.uuid4()),
            client_id=client_id,
            scopes=record.scopes,
            tenant_ids=record.tenant_ids,
            auth_event_id=record.auth_event_id,
            created=now,
        )
        self._grants[grant.id] = grant
        refresh = self._rotate_refresh(grant, now) if "offline_access" in grant.scopes else None
        access = self._issue_access(grant, now, ttl_seconds)
        id_token = self._id_token(grant, now) if "openid" in grant.scopes else None
        return TokenSet(access, ttl_seconds, grant.scopes, refresh, id_token)

    def client_credentials(
        self, client_id: str, tenant_id: str, scopes: list[str], now: datetime, ttl_seconds: int
    ) -> TokenSet:
        """A custom connection's token: bound to one organisation, no refresh token."""
        grant = Grant(
            id=str(uuid.uuid4()),
            client_id=client_id,
            scopes=scopes,
            tenant_ids=[tenant_id],
            auth_event_id=str(uuid.uuid4()),
            custom_tenant_id=tenant_id,
            created=now,
        )
        self._grants[grant.id] = grant
        return TokenSet(self._issue_access(grant, now, ttl_seconds), ttl_seconds, scopes, None)

    def refresh(
        self,
        refresh_token: str,
        client_id: str,
        scopes: list[str] | None,
        now: datetime,
        ttl_seconds: int,
    ) -> TokenSet:
        """Rotate a refresh token; the previous one keeps working for the grace period."""
        grant = self._grants.get(self._refresh_index.get(_digest(refresh_token), ""))
        if grant is None or grant.revoked or grant.client_id != client_id:
            raise GrantError("invalid_grant", "The refresh token is not recognised")
        if scopes and not set(scopes) <= set(grant.scopes):
            raise GrantError("invalid_scope", "scope asks for more than was granted")
        digest = _digest(refresh_token)
        if digest == grant.refresh_hash:
            assert grant.refresh_expires_at is not None
            if now >= grant.refresh_expires_at:
                raise GrantError("invalid_grant", "The refresh token has expired (60 days unused)")
            new_refresh: str | None = self._rotate_refresh(grant, now)
        elif digest == grant.previous_refresh_hash:
            assert grant.previous_valid_until is not None
            if now >= grant.previous_valid_until:
                raise GrantError(
                    "invalid_grant", "The refresh token was replaced and its grace period is over"
                )
            # Within the grace period the old token gets a fresh set; its successor stays.
            new_refresh = self._rotate_refresh(grant, now, keep_previous=True)
        else:
            raise GrantError("invalid_grant", "The refresh token is not recognised")
        access = self._issue_access(grant, now, ttl_seconds)
        return TokenSet(access, ttl_seconds, grant.scopes, new_refresh)

    def revoke(self, refresh_token: str, client_id: str) -> bool:
        """Revoke a refresh token, its access tokens and its connections."""
        grant = self._grants.get(self._refresh_index.get(_digest(refresh_token), ""))
        if grant is None or grant.client_id != client_id:
            return False
        grant.revoked = True
        for digest in (grant.refresh_hash, grant.previous_refresh_hash):
            if digest is not None:
                self._refresh_index.pop(digest, None)
        for key in [k for k, v in self._access.items() if v.grant_id == grant.id]:
            del self._access[key]
        for connection in list(self._connections.values()):
            if connection.client_id == client_id and connection.tenant_id in grant.tenant_ids:
                del self._connections[connection.id]
        return True

    # -- API calls -------------------------------------------------------------------------
    def authenticate(self, bearer: str, now: datetime) -> Caller | None:
        """The caller behind a bearer token, or None when it is unknown or expired."""
        token = self._access.get(_digest(bearer))
        if token is None or now >= token.expires_at:
            return None
        grant = self._grants.get(token.grant_id)
        if grant is None or grant.revoked:
            return None
        return Caller(token.client_id, grant.id, grant.custom_tenant_id, frozenset(grant.scopes))

    def covers(self, caller: Caller, tenant_id: str) -> bool:
        """True when the caller may act on this organisation."""
        if caller.custom_tenant_id is not None:
            return tenant_id == caller.custom_tenant_id
        return self._connection_for(caller.client_id, tenant_id) is not None

    def connections(self, client_id: str, auth_event_id: str | None = None) -> list[Connection]:
        """The app's connections, oldest first, optionally of one consent."""
        found = [
            c
            for c in self._connections.values()
            if c.client_id == client_id
            and (auth_event_id is None or c.auth_event_id == auth_event_id)
        ]
        return sorted(found, key=lambda c: c.created)

    def custom_connection(self, caller: Caller, tenant_name: str) -> Connection:
        """The one connection a custom connection (client credentials) has."""
        grant = self._grants[caller.grant_id]
        assert grant.custom_tenant_id is not None
        return Connection(
            id=str(uuid.uuid5(uuid.UUID(grant.custom_tenant_id), grant.client_id)),
            client_id=grant.client_id,
            tenant_id=grant.custom_tenant_id,
            tenant_name=tenant_name,
            auth_event_id=grant.auth_event_id,
            created=grant.created,
            updated=grant.created,
        )

    def delete_connection(self, client_id: str, connection_id: str) -> bool:
        """Disconnect one organisation from the app."""
        connection = self._connections.get(connection_id)
        if connection is None or connection.client_id != client_id:
            return False
        del self._connections[connection_id]
        return True

    # -- persistence -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Everything needed to resume after a restart (tokens only as hashes)."""
        return {
            "signing_key": base64.b64encode(self.signing_key).decode("ascii"),
            "codes": {k: record_to_dict(v) for k, v in self._codes.items() if not v.used},
            "grants": {k: record_to_dict(v) for k, v in self._grants.items()},
            "access": {k: record_to_dict(v) for k, v in self._access.items()},
            "refresh_index": dict(self._refresh_index),
            "connections": {k: record_to_dict(v) for k, v in self._connections.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "IdentityStore":
        """Undo `to_dict`."""
        store = cls(base64.b64decode(data["signing_key"]))
        store._codes = {
            k: AuthorizationCode(**datetimes_from_dict(v)) for k, v in data["codes"].items()
        }
        store._grants = {k: Grant(**datetimes_from_dict(v)) for k, v in data["grants"].items()}
        store._access = {
            k: AccessToken(**datetimes_from_dict(v)) for k, v in data["access"].items()
        }
        store._refresh_index = dict(data["refresh_index"])
        store._connections = {
            k: Connection(**datetimes_from_dict(v)) for k, v in data["connections"].items()
        }
        return store

    def forget_expired(self, now: datetime) -> None:
        """Drop used or expired codes and expired access tokens."""
        self._codes = {k: v for k, v in self._codes.items() if not v.used and v.expires_at > now}
        self._access = {k: v for k, v in self._access.items() if v.expires_at > now}

    # -- internals ---------------------------------------------------------------------------
    def _connection_for(self, client_id: str, tenant_id: str) -> Connection | None:
        for connection in self._connections.values():
            if connection.client_id == client_id and connection.tenant_id == tenant_id:
                return connection
        return None

    def _rotate_refresh(self, grant: Grant, now: datetime, keep_previous: bool = False) -> str:
        value = secrets.token_hex(32)
        if grant.refresh_hash is not None:
            if not keep_previous:
                if grant.previous_refresh_hash is not None:
                    self._refresh_index.pop(grant.previous_refresh_hash, None)
                grant.previous_refresh_hash = grant.refresh_hash
                grant.previous_valid_until = now + REFRESH_GRACE_PERIOD
            else:
                self._refresh_index.pop(grant.refresh_hash, None)
        grant.refresh_hash = _digest(value)
        grant.refresh_expires_at = now + REFRESH_TOKEN_LIFETIME
        self._refresh_index[grant.refresh_hash] = grant.id
        return value

    def _id_token(self, grant: Grant, now: datetime) -> str:
        return sign_jwt(
            self.signing_key, id_token_claims(grant.client_id, grant.auth_event_id, now)
        )

    def _issue_access(self, grant: Grant, now: datetime, ttl_seconds: int) -> str:
        expires_at = now + timedelta(seconds=ttl_seconds)
        claims = access_token_claims(
            grant.client_id, grant.auth_event_id, grant.scopes, now, expires_at
        )
        token = sign_jwt(self.signing_key, claims)
        if len(self._access) >= _PRUNE_ACCESS_TOKENS_AT:
            self._access = {k: v for k, v in self._access.items() if v.expires_at > now}
        self._access[_digest(token)] = AccessToken(grant.id, grant.client_id, expires_at)
        return token
