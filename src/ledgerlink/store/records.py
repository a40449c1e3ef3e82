"""Records the store owns that the domain does not: companies, users, roles, API tokens."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any
from uuid import UUID

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import LineAmountType, check_unit_dp


class Role(enum.StrEnum):
    """What a user may do in one company: admins connect, import and change settings."""

    ADMIN = "admin"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class CompanySettings:
    """A company's settings, stored as JSON.

    ``rounding`` is the unit price precision (Xero's ``unitdp``, 2 or 4); ``options`` keeps
    settings the store does not interpret (export choices and the like), as plain JSON.
    """

    rounding: int = 2
    line_amount_type: LineAmountType = LineAmountType.EXCLUSIVE
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        check_unit_dp(self.rounding, "settings.rounding")
        if not isinstance(self.line_amount_type, LineAmountType):
            raise InvalidValue("settings.line_amount_type", "use a LineAmountType")

    def to_json(self) -> dict[str, Any]:
        return {
            "rounding": self.rounding,
            "line_amount_type": self.line_amount_type.value,
            "options": dict(self.options),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CompanySettings":
        """Settings from JSON; unknown or malformed values are refused by name."""
        unknown = set(data) - {"rounding", "line_amount_type", "options"}
        if unknown:
            raise InvalidValue(
                f"settings.{sorted(unknown)[0]}",
                "is not a company setting; known: rounding, line_amount_type, options",
            )
        raw_type = data.get("line_amount_type", LineAmountType.EXCLUSIVE.value)
        try:
            line_amount_type = LineAmountType(raw_type)
        except ValueError:
            allowed = ", ".join(member.value for member in LineAmountType)
            raise InvalidValue(
                "settings.line_amount_type", f"use one of {allowed}, got {raw_type!r}"
            ) from None
        options = data.get("options", {})
        if not isinstance(options, Mapping):
            raise InvalidValue("settings.options", "must be a JSON object")
        return cls(
            rounding=data.get("rounding", 2),
            line_amount_type=line_amount_type,
            options=MappingProxyType(dict(options)),
        )


@dataclass(frozen=True, slots=True)
class Company:
    """One company; it is bound to at most one Xero organisation."""

    id: UUID
    name: str
    settings: CompanySettings
    created_at: datetime


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in; their roles are per company."""

    id: UUID
    email: str
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    """An API token as stored: only its hash and a short prefix for display are kept."""

    id: UUID
    user_id: UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    company_id: UUID | None = None  # the one company it reaches; None: all of its owner's


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly issued token: ``secret`` is shown once and never stored."""

    secret: str
    token: ApiToken


@dataclass(frozen=True, slots=True)
class TokenOwner:
    """Who presented a token: the user and their role in each company the token reaches."""

    user: User
    token: ApiToken
    roles: Mapping[UUID, Role]

    def role_in(self, company_id: UUID) -> Role | None:
        """The user's role in ``company_id``, or None when they are not a member."""
        return self.roles.get(company_id)
