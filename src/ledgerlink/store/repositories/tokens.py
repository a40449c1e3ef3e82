"""API tokens: issued once in clear, stored as a SHA-256 hash, found by the hash."""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from types import MappingProxyType
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.clock import Clock
from ledgerlink.store.records import ApiToken, IssuedToken, TokenOwner
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.repositories.users import roles_of, user_from_row
from ledgerlink.store.tables import api_tokens, users

TOKEN_MARKER = "ll_"  # noqa: S105 - a public marker, not a secret
TOKEN_RANDOM_BYTES = 32
PREFIX_LENGTH = len(TOKEN_MARKER) + 8
# Stamping last use on every request would turn reads into writes.
LAST_USED_RESOLUTION = timedelta(minutes=1)

TokenSource = Callable[[], str]


def random_token() -> str:
    """A new secret: the `ll_` marker and 256 random bits, URL-safe."""
    return TOKEN_MARKER + secrets.token_urlsafe(TOKEN_RANDOM_BYTES)


def hash_token(secret: str) -> str:
    """The hex SHA-256 of a token: all the database ever holds of the secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenRepository:
    """Issue, list, revoke and look up API tokens."""

    def __init__(
        self, session: Session, clock: Clock, token_source: TokenSource = random_token
    ) -> None:
        self._session = session
        self._clock = clock
        self._token_source = token_source

    def issue(self, user_id: UUID, name: str, company_id: UUID | None = None) -> IssuedToken:
        """A new token for the user; its `secret` is returned here and never again.

        With `company_id` the token reaches that one company only (while the user is a
        member of it); without, every company the user belongs to.
        """
        label = name.strip() if isinstance(name, str) else ""
        if not label or len(label) > 200:
            raise InvalidValue("name", "name the token (1 to 200 characters), e.g. 'ci'")
        secret = self._token_source()
        token = ApiToken(
            id=uuid4(),
            user_id=user_id,
            name=label,
            prefix=secret[:PREFIX_LENGTH],
            created_at=self._clock(),
            company_id=company_id,
        )
        self._session.execute(
            api_tokens.insert().values(
                id=token.id,
                user_id=token.user_id,
                name=token.name,
                prefix=token.prefix,
                secret_hash=hash_token(secret),
                created_at=token.created_at,
                company_id=token.company_id,
            )
        )
        return IssuedToken(secret=secret, token=token)

    def find_owner(self, secret: str) -> TokenOwner | None:
        """The user behind a presented token and their roles; None if unknown or revoked.

        The roles are those in the companies the token reaches: a scoped token sees its
        one company, and only while the user is still a member of it.
        """
        row = (
            self._session.execute(
                select(
                    api_tokens,
                    users.c.email,
                    users.c.name.label("user_name"),
                    users.c.created_at.label("user_created_at"),
                )
                .join(users, users.c.id == api_tokens.c.user_id)
                .where(api_tokens.c.secret_hash == hash_token(secret))
            )
            .mappings()
            .first()
        )
        if row is None or row["revoked_at"] is not None:
            return None
        token = _token(row)
        user = user_from_row(
            {
                "id": row["user_id"],
                "email": row["email"],
                "name": row["user_name"],
                "created_at": row["user_created_at"],
            }
        )
        roles = roles_of(self._session, user.id)
        if token.company_id is not None:
            roles = {token.company_id: roles[token.company_id]} if token.company_id in roles else {}
        return TokenOwner(user=user, token=token, roles=MappingProxyType(roles))

    def use_is_stale(self, token: ApiToken) -> bool:
        """Whether the token's last use is older than the stamp's resolution (a minute)."""
        last = token.last_used_at
        return last is None or self._clock() - last >= LAST_USED_RESOLUTION

    def stamp_use(self, token_id: UUID) -> None:
        """Stamp the token's last use now (a write: callers keep it out of a read's way)."""
        self._session.execute(
            api_tokens.update()
            .where(api_tokens.c.id == token_id)
            .values(last_used_at=self._clock())
        )

    def list(self, user_id: UUID, *, company_id: UUID | None = None) -> list[ApiToken]:
        """The user's tokens, oldest first; with `company_id`, those scoped to it."""
        rows = self._session.execute(
            select(api_tokens)
            .where(*_owned(user_id, company_id))
            .order_by(api_tokens.c.created_at, api_tokens.c.id)
        ).mappings()
        return [_token(row) for row in rows]

    def get(
        self, user_id: UUID, token_id: UUID, *, company_id: UUID | None = None
    ) -> ApiToken | None:
        """One of the user's tokens (live or revoked); None when it is not theirs."""
        row = (
            self._session.execute(
                select(api_tokens).where(api_tokens.c.id == token_id, *_owned(user_id, company_id))
            )
            .mappings()
            .first()
        )
        return None if row is None else _token(row)

    def revoke(self, user_id: UUID, token_id: UUID) -> bool:
        """Revoke one of the user's tokens; False when they have no such live token."""
        return self._revoke(api_tokens.c.id == token_id, *_owned(user_id, None)) > 0

    def revoke_all(
        self, user_id: UUID, *, company_id: UUID | None = None, name: str | None = None
    ) -> int:
        """Revoke the user's live tokens and answer how many.

        With `company_id`, only those scoped to it; with `name`, only those so named.
        """
        named = () if name is None else (api_tokens.c.name == name,)
        return self._revoke(*_owned(user_id, company_id), *named)

    def _revoke(self, *where: ColumnElement[bool]) -> int:
        result = self._session.execute(
            api_tokens.update()
            .where(*where, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=self._clock())
        )
        return rowcount(result)


def _owned(user_id: UUID, company_id: UUID | None) -> tuple[ColumnElement[bool], ...]:
    owner = api_tokens.c.user_id == user_id
    return (owner,) if company_id is None else (owner, api_tokens.c.company_id == company_id)


def _token(row: RowMapping) -> ApiToken:
    return ApiToken(
        id=row["id"],
        user_id=row["user_id"],
        name=row["name"],
        prefix=row["prefix"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        revoked_at=row["revoked_at"],
        company_id=row["company_id"],
    )
