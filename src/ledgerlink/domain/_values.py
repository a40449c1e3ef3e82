"""Checks and conversions shared by the domain's value objects (private)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from ledgerlink.domain.errors import InvalidValue, article
from ledgerlink.domain.limits import (
    ACCOUNT_CODE_MAX_LENGTH,
    EARLIEST_DATE,
    LATEST_DATE,
    NUMBER_LIMIT,
    NUMBER_LIMIT_TEXT,
    TEXT_MAX_LENGTH,
    text_problem,
)

__all__ = ["NUMBER_LIMIT", "NUMBER_LIMIT_TEXT", "article"]

DecimalInput = Decimal | int | str


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


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
        except (InvalidOperation, ValueError):
            raise InvalidValue(field, f"{_shown(value)} is not a number") from None
    else:
        raise InvalidValue(field, f"expected a Decimal, got {type(value).__name__}")
    if not result.is_finite():
        raise InvalidValue(field, f"{_shown(value)} is not a finite number")
    return check_limit(result, field)


def check_limit(value: Decimal, field: str) -> Decimal:
    """Refuse a number whose size is 10^12 or more (Xero's and the store's bound)."""
    if abs(value) >= NUMBER_LIMIT:
        raise InvalidValue(
            field, f"must be below {NUMBER_LIMIT_TEXT} in size, got {_shown(str(value))}"
        )
    return value


def decimal_places(value: Decimal) -> int:
    """Number of digits after the point that carry information (1.50 -> 1).

    Counted on the digits themselves: `normalize()` would first round to the context's 28
    digits, so 1.000...0001 (30 places) would count as 0 and reach the database unrounded.
    """
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite values only
    significant = "".join(map(str, digits)).rstrip("0")
    if not significant:  # zero
        return 0
    return max(0, -(exponent + len(digits) - len(significant)))


def check_places(value: Decimal, places: int, field: str, why: str = "") -> Decimal:
    """Refuse ``value`` if it has more than ``places`` decimal places."""
    if decimal_places(value) > places:
        reason = f" {why}" if why else ""
        raise InvalidValue(
            field,
            f"at most {places} decimal places{reason}, got {value}; round it first",
        )
    return value


def check_text(text: str, field: str, max_length: int = TEXT_MAX_LENGTH) -> str:
    """Refuse text that cannot be stored or sent to Xero, or longer than ``max_length``."""
    problem = text_problem(text)
    if problem is not None:
        raise InvalidValue(field, problem)
    if len(text) > max_length:
        raise InvalidValue(field, f"at most {max_length} characters, got {len(text)}")
    return text


def require_text(value: object, field: str, *, max_length: int = TEXT_MAX_LENGTH) -> str:
    """A non-blank string (stripped); names the field when it is missing or too long."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(field, "is required and may not be blank")
    return check_text(value.strip(), field, max_length)


def optional_text(value: object, field: str, *, max_length: int = TEXT_MAX_LENGTH) -> str | None:
    """A stripped string or None (blank becomes None)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(field, f"expected text, got {type(value).__name__}")
    text = value.strip()
    if not text:
        return None
    return check_text(text, field, max_length)


def optional_account_code(value: object, field: str) -> str | None:
    """An account code as Xero takes it: up to 10 printable characters, no spaces."""
    code = optional_text(value, field, max_length=ACCOUNT_CODE_MAX_LENGTH)
    if code is not None and not (code.isprintable() and len(code.split()) == 1):
        raise InvalidValue(
            field, f"an account code such as '200': no spaces or control characters, got {code!r}"
        )
    return code


def require_account_code(value: object, field: str) -> str:
    """Like ``optional_account_code`` but required."""
    code = optional_account_code(value, field)
    if code is None:
        raise InvalidValue(field, "is required and may not be blank")
    return code


def check_date(value: object, field: str) -> dt.date:
    """A date between 1900-01-01 and 2099-12-31, the range Xero accepts."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidValue(field, f"expected a date, got {type(value).__name__}")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidValue(
            field,
            f"must be from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()} "
            f"(the dates Xero accepts), got {value.isoformat()}",
        )
    return value
