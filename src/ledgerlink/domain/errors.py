"""Errors the domain raises.

Every error names the field at fault (``.field``) and says what is allowed, so
an API can turn it into a problem+json answer and a user can fix the input::

    DomainError                 base: .field, .message; str() is "field: message"
    ├── InvalidValue            one value is malformed (currency code, decimal places)
    ├── InvalidDocument         a document or payment is inconsistent
    │                           (line without account on approval, payment above due)
    └── InvalidTransition       a lifecycle step is not allowed from the current status
"""

from __future__ import annotations

from collections.abc import Iterable


def article(noun: str) -> str:
    """The article ("a" or "an") that goes before ``noun``."""
    return "an" if noun[:1].lower() in "aeiou" else "a"


class DomainError(Exception):
    """A rule of the domain was broken; ``field`` names where, ``message`` says how."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InvalidValue(DomainError):
    """A single value is malformed (wrong type, too many decimal places, bad code)."""


class InvalidDocument(DomainError):
    """A document, payment or party is inconsistent with the rules of the domain."""


class InvalidTransition(DomainError):
    """A lifecycle step was asked from a status that does not allow it.

    The message reads e.g. ``cannot approve a purchase order that is cancelled;
    allowed from: submitted``; ``field`` is always ``"status"``.
    """

    def __init__(
        self,
        action: str,
        kind_label: str,
        status: str,
        allowed_from: Iterable[str],
    ) -> None:
        allowed = ", ".join(allowed_from) or "nowhere"
        self.action = action
        self.status = status
        self.allowed_from = tuple(allowed_from)
        super().__init__(
            "status",
            f"cannot {action} {article(kind_label)} {kind_label} that is {status}; "
            f"allowed from: {allowed}",
        )
