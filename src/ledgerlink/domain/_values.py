"""Checks and conversions shared by the domain's value objects (private)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ledgerlink.domain.errors import InvalidValue, article

__all__ = ["article"]

DecimalInput = Decimal | int | str


def to_decimal(value: object, field: str) -> Decimal:
    """Return ``value`` as a finite Decimal; refuse floats, bools and junk by name."""
    if isinstance(value, bool | float):
        raise InvalidValue(
            field,
            f"use a Decimal or a string such as '12.50', not {type(value).__name__} {value!r}",
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            raise InvalidValue(field, f"{value!r} is not a number") from None
    else:
        raise InvalidValue(field, f"expected a Decimal, got {type(value).__name__}")
    if not result.is_finite():
        raise InvalidValue(field, f"{value!r} is not a finite number")
    return result


def decimal_places(value: Decimal) -> int:
    """Number of digits after the point that carry information (1.50 -> 1)."""
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite values only
    return max(0, -exponent)


def check_places(value: Decimal, places: int, field: str, why: str = "") -> Decimal:
    """Refuse ``value`` if it has more than ``places`` decimal places."""
    if decimal_places(value) > places:
        reason = f" {why}" if why else ""
        raise InvalidValue(
            field,
            f"at most {places} decimal places{reason}, got {value}; round it first",
        )
    return value


def require_text(value: object, field: str, *, max_length: int | None = None) -> str:
    """A non-blank string (stripped); names the field when it is missing or too long."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, "is required and may not be blank")
    text = value.strip()
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(field, f"at most {max_length} characters, got {len(text)}")
    return text


def optional_text(value: object, field: str, *, max_length: int | None = None) -> str | None:
    """A stripped string or None (blank becomes None)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(field, f"expected text, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    if max_length is not None and len(text) > max_length:
        raise InvalidValue(field, f"at most {max_length} characters, got {len(text)}")
    return text
