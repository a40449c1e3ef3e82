"""Each company's Xero connection and the consents it has asked for.

Tokens and PKCE verifiers go through a `SecretBox`: the database holds them encrypted, and
the records returned here hold no token at all (`load_tokens` is the one way to get them).
A consent's `state` is stored as a hash, used at most once, within its lifetime, by the
company and user that asked for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ledgerlink.store.clock import Clock
from ledgerlink.store.crypto import SecretBox
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables.xero_connections import xero_connections, xero_oauth_states
from xero_client import TokenSet

ConnectionStatus = Literal["choosing", "connected", "needs_reconnect"]

#: How long a consent may take, from the authorize URL to the callback.
CONSENT_LIFETIME = timedelta(minutes=10)


class ConsentRefused(Exception):
    """A callback's `state` is unknown, already used or expired."""

    def __init__(self, reason: Literal["unknown", "used", "expired"], message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class OrganisationTaken(Exception):
    """The Xero organisation is already bound to another company of this installation."""

    def __init__(self, tenant_id: str, tenant_name: str | None) -> None:
        name = f"{tenant_name!r} ({tenant_id})" if tenant_name else tenant_id
        self.tenant_id = tenant_id
        self.tenant_name = tenant_name
        super().__init__(
            f"the Xero organisation {name} is already connected to another company here; "
            "each organisation can belong to one company: disconnect it there first, or "
            "pick another organisation"
        )


@dataclass(frozen=True, slots=True)
class Organisation:
    """One organisation a grant covers (from `GET /connections`)."""

    tenant_id: str
    tenant_name: str | None
    connection_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "tenant_name": self.tenant_name,
            "connection_id": self.connection_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Organisation:
        return cls(str(data["tenant_id"]), data.get("tenant_name"), str(data["connection_id"]))


@dataclass(frozen=True, slots=True)
class PendingConsent:
    """A consent the callback may complete: who asked, and the PKCE verifier."""

    company_id: UUID
    user_id: UUID | None
    code_verifier: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class XeroConnection:
    """A company's connection, without its tokens."""

    company_id: UUID
    status: ConnectionStatus
    tenant_id: str | None
    tenant_name: str | None
    connection_id: str | None
    auth_event_id: str | None
    scopes: tuple[str, ...]
    expires_at: datetime
    choices: tuple[Organisation, ...]
    connected_by: UUID | None
    problem: str | None
    created_at: datetime
    updated_at: datetime
    refreshed_at: datetime | None


def state_hash(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


class XeroConnectionRepository:
    """Connections by company or organisation, their encrypted tokens, and consents."""

    def __init__(self, session: Session, clock: Clock, box: SecretBox) -> None:
        self._session = session
        self._clock = clock
        self._box = box

    # -- consents ------------------------------------------------------------------------
    def add_consent(
        self, company_id: UUID, user_id: UUID | None, state: str, code_verifier: str
    ) -> datetime:
        """Remember a consent until the callback; returns when it expires."""
        now = self._clock()
        expires_at = now + CONSENT_LIFETIME
        self._session.execute(delete(xero_oauth_states).where(xero_oauth_states.c.expires_at < now))
        self._session.execute(
            xero_oauth_states.insert().values(
                state_hash=state_hash(state),
                company_id=company_id,
                user_id=user_id,
                code_verifier=self._box.encrypt(code_verifier),
                created_at=now,
                expires_at=expires_at,
            )
        )
        return expires_at

    def take_consent(self, state: str) -> PendingConsent:
        """Use a consent's `state` once; raises `ConsentRefused` if it cannot be used."""
        now = self._clock()
        key = state_hash(state)
        row = (
            self._session.execute(
                select(xero_oauth_states).where(xero_oauth_states.c.state_hash == key)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise ConsentRefused(
                "unknown",
                "this Xero sign-in link is unknown (state does not match); start connecting "
                "again from ledgerlink",
            )
        if row["used_at"] is not None:
            raise ConsentRefused(
                "used", "this Xero sign-in link was already used; start connecting again"
            )
        if row["expires_at"] <= now:
            raise ConsentRefused(
                "expired",
                "this Xero sign-in link expired (it is valid for 10 minutes); start "
                "connecting again",
            )
        used = self._session.execute(
            update(xero_oauth_states)
            .where(xero_oauth_states.c.state_hash == key, xero_oauth_states.c.used_at.is_(None))
            .values(used_at=now)
        )
        if rowcount(used) != 1:
            raise ConsentRefused(
                "used", "this Xero sign-in link was already used; start connecting again"
            )
        return PendingConsent(
            row["company_id"], row["user_id"], self._box.decrypt(row["code_verifier"])
        )

    def consent_used(self, state: str) -> bool:
        """True once the callback has used (or refused) the consent's `state`."""
        used = self._session.execute(
            select(xero_oauth_states.c.used_at).where(
                xero_oauth_states.c.state_hash == state_hash(state)
            )
        ).scalar_one_or_none()
        return used is not None

    # -- connections ---------------------------------------------------------------------
    def get(self, company_id: UUID) -> XeroConnection | None:
        row = self._row(company_id)
        return None if row is None else _connection(row)

    def company_of_tenant(self, tenant_id: str) -> UUID | None:
        """The company bound to the organisation, if any."""
        found: UUID | None = self._session.execute(
            select(xero_connections.c.company_id).where(xero_connections.c.tenant_id == tenant_id)
        ).scalar_one_or_none()
        return found

    def save_grant(
        self,
        company_id: UUID,
        tokens: TokenSet,
        *,
        auth_event_id: str | None,
        choices: Sequence[Organisation],
        user_id: UUID | None,
    ) -> None:
        """Keep a fresh grant's tokens; the organisation is bound later by `bind`.

        A previous connection of the company is replaced (a re-connect).
        """
        now = self._clock()
        self._session.execute(
            delete(xero_connections).where(xero_connections.c.company_id == company_id)
        )
        self._session.execute(
            xero_connections.insert().values(
                company_id=company_id,
                status="choosing",
                tenant_id=None,
                tenant_name=None,
                connection_id=None,
                auth_event_id=auth_event_id,
                scopes=" ".join(tokens.scope),
                tokens=self._seal(tokens),
                expires_at=tokens.expires_at,
                choices=[c.to_json() for c in choices],
                connected_by=user_id,
                problem=None,
                created_at=now,
                updated_at=now,
                refreshed_at=None,
            )
        )

    def bind(self, company_id: UUID, organisation: Organisation) -> XeroConnection:
        """Bind the company's grant to one organisation.

        Raises:
            OrganisationTaken: another company of this installation has it.
            LookupError: the company has no grant to bind.
        """
        owner = self.company_of_tenant(organisation.tenant_id)
        if owner is not None and owner != company_id:
            raise OrganisationTaken(organisation.tenant_id, organisation.tenant_name)
        try:
            with self._session.begin_nested():
                result = self._session.execute(
                    update(xero_connections)
                    .where(xero_connections.c.company_id == company_id)
                    .values(
                        status="connected",
                        tenant_id=organisation.tenant_id,
                        tenant_name=organisation.tenant_name,
                        connection_id=organisation.connection_id,
                        choices=[],
                        problem=None,
                        updated_at=self._clock(),
                    )
                )
        except IntegrityError:
            # Another company bound it between our check and our update.
            raise OrganisationTaken(organisation.tenant_id, organisation.tenant_name) from None
        if rowcount(result) != 1:
            raise LookupError(f"company {company_id} has no Xero grant to bind")
        connection = self.get(company_id)
        assert connection is not None
        return connection

    def load_tokens(self, company_id: UUID) -> TokenSet | None:
        row = self._row(company_id)
        if row is None:
            return None
        return self._open(row["tokens"])

    def save_tokens(self, company_id: UUID, tokens: TokenSet) -> None:
        now = self._clock()
        self._session.execute(
            update(xero_connections)
            .where(xero_connections.c.company_id == company_id)
            .values(
                tokens=self._seal(tokens),
                expires_at=tokens.expires_at,
                scopes=" ".join(tokens.scope),
                refreshed_at=now,
                updated_at=now,
            )
        )

    def lock(self, company_id: UUID) -> bool:
        """Lock the connection's row until the transaction ends (`FOR UPDATE`).

        SQLite ignores `FOR UPDATE`; there every transaction starts with `BEGIN IMMEDIATE`,
        which already excludes every other writer. Returns False when there is no row.
        """
        found = self._session.execute(
            select(xero_connections.c.company_id)
            .where(xero_connections.c.company_id == company_id)
            .with_for_update()
        ).first()
        return found is not None

    def mark_needs_reconnect(self, company_id: UUID, problem: str) -> None:
        self._session.execute(
            update(xero_connections)
            .where(xero_connections.c.company_id == company_id)
            .values(status="needs_reconnect", problem=problem[:500], updated_at=self._clock())
        )

    def remove(self, company_id: UUID) -> bool:
        """Forget the connection (xero_links stay: they are the history of what was synced)."""
        result = self._session.execute(
            delete(xero_connections).where(xero_connections.c.company_id == company_id)
        )
        return rowcount(result) == 1

    # -- internals -----------------------------------------------------------------------
    def _row(self, company_id: UUID) -> RowMapping | None:
        return (
            self._session.execute(
                select(xero_connections).where(xero_connections.c.company_id == company_id)
            )
            .mappings()
            .first()
        )

    def _seal(self, tokens: TokenSet) -> str:
        return self._box.encrypt(
            json.dumps(
                {
                    "access_token": tokens.access_token,
                    "refresh_token": tokens.refresh_token,
                    "expires_at": tokens.expires_at.isoformat(),
                    "scope": list(tokens.scope),
                    "token_type": tokens.token_type,
                    "id_token": tokens.id_token,
                }
            )
        )

    def _open(self, sealed: str) -> TokenSet:
        data = json.loads(self._box.decrypt(sealed))
        return TokenSet(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            expires_at=datetime.fromisoformat(data["expires_at"]),
            scope=tuple(data.get("scope") or ()),
            token_type=data.get("token_type") or "Bearer",
            id_token=data.get("id_token"),
        )


def _connection(row: RowMapping) -> XeroConnection:
    return XeroConnection(
        company_id=row["company_id"],
        status=row["status"],
        tenant_id=row["tenant_id"],
        tenant_name=row["tenant_name"],
        connection_id=row["connection_id"],
        auth_event_id=row["auth_event_id"],
        scopes=tuple(str(row["scopes"]).split()),
        expires_at=row["expires_at"],
        choices=tuple(Organisation.from_json(c) for c in row["choices"] or ()),
        connected_by=row["connected_by"],
        problem=row["problem"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        refreshed_at=row["refreshed_at"],
    )
