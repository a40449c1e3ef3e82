"""Users and their role in each company."""

import builtins
from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.clock import Clock
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.passwords import hash_password
from ledgerlink.store.records import Role, User
from ledgerlink.store.repositories._rows import rowcount
from ledgerlink.store.tables import console_sessions, memberships, users

EMAIL_MAX_LENGTH = 320


def normalise_email(email: str) -> str:
    """Trimmed, lower-cased email; refuses what is plainly not an address."""
    clean = email.strip().lower() if isinstance(email, str) else ""
    local, at, domain = clean.partition("@")
    if not (at and local and "." in domain and " " not in clean):
        raise InvalidValue("email", f"{email!r} is not an email address like name@example.com")
    if len(clean) > EMAIL_MAX_LENGTH:
        raise InvalidValue("email", f"at most {EMAIL_MAX_LENGTH} characters")
    return clean


class UserRepository:
    """Users by id or email, and their memberships (one role per company)."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    def add(self, email: str, name: str = "") -> User:
        """Create a user; emails are unique regardless of case."""
        clean = normalise_email(email)
        if self.get_by_email(clean) is not None:
            raise DuplicateRecord("user", "email", clean)
        user = User(id=uuid4(), email=clean, name=name.strip(), created_at=self._clock())
        self._session.execute(
            users.insert().values(
                id=user.id, email=user.email, name=user.name, created_at=user.created_at
            )
        )
        return user

    def get(self, user_id: UUID) -> User | None:
        row = self._session.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return None if row is None else user_from_row(row)

    def get_by_email(self, email: str) -> User | None:
        row = (
            self._session.execute(select(users).where(users.c.email == email.strip().lower()))
            .mappings()
            .first()
        )
        return None if row is None else user_from_row(row)

    def list(self, *, limit: int = 100, offset: int = 0) -> builtins.list[User]:
        """One page of every user, by email."""
        rows = self._session.execute(
            select(users).order_by(users.c.email).limit(limit).offset(offset)
        ).mappings()
        return [user_from_row(row) for row in rows]

    def count(self) -> int:
        return int(self._session.execute(select(func.count()).select_from(users)).scalar_one())

    def set_password(self, user_id: UUID, password: str) -> None:
        """Store an argon2 hash of ``password`` for the console (refused when too short);
        the person's console sessions end."""
        self._session.execute(
            update(users).where(users.c.id == user_id).values(password_hash=hash_password(password))
        )
        self._end_sessions(user_id)

    def password_hash(self, user_id: UUID) -> str | None:
        """The stored hash of the user's password, or None when they have none."""
        found = self._session.execute(
            select(users.c.password_hash).where(users.c.id == user_id)
        ).scalar_one_or_none()
        return None if found is None else str(found)

    def grant(self, user_id: UUID, company_id: UUID, role: Role) -> None:
        """Give the user `role` in the company, replacing any role they had there."""
        self._leave(user_id, company_id)
        self._session.execute(
            memberships.insert().values(user_id=user_id, company_id=company_id, role=role.value)
        )

    def revoke(self, user_id: UUID, company_id: UUID) -> None:
        """Take the user out of the company (nothing happens if they were not in it); when
        they were in it, their console sessions end."""
        if self._leave(user_id, company_id):
            self._end_sessions(user_id)

    def _leave(self, user_id: UUID, company_id: UUID) -> int:
        return rowcount(
            self._session.execute(
                delete(memberships).where(
                    memberships.c.user_id == user_id, memberships.c.company_id == company_id
                )
            )
        )

    def _end_sessions(self, user_id: UUID) -> None:
        self._session.execute(delete(console_sessions).where(console_sessions.c.user_id == user_id))

    def roles(self, user_id: UUID) -> dict[UUID, Role]:
        """The user's role in each of their companies."""
        return roles_of(self._session, user_id)

    def members(self, company_id: UUID) -> builtins.list[tuple[User, Role]]:
        """The company's users with their roles, by email."""
        rows = self._session.execute(
            select(users, memberships.c.role)
            .join(memberships, memberships.c.user_id == users.c.id)
            .where(memberships.c.company_id == company_id)
            .order_by(users.c.email)
        ).mappings()
        return [(user_from_row(row), Role(row["role"])) for row in rows]


def roles_of(session: Session, user_id: UUID) -> dict[UUID, Role]:
    rows = session.execute(
        select(memberships.c.company_id, memberships.c.role).where(memberships.c.user_id == user_id)
    )
    return {company_id: Role(role) for company_id, role in rows}


def user_from_row(row: Mapping[Any, Any]) -> User:
    return User(id=row["id"], email=row["email"], name=row["name"], created_at=row["created_at"])
