"""Reading fields of a request element; each problem becomes a message naming the field."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

# Xero keeps amounts well inside this; larger ones are typing mistakes, not money.
MAX_NUMBER = Decimal(10) ** 12
_NET_DATE = re.compile(r"/Date\((-?\d+)([+-]\d{4})?\)/")


class Invalid(Exception):
    """An element failed validation; `messages` are Xero-style validation errors."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class Problems:
    """Collects an element's validation messages; `check()` raises them together."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def check(self) -> None:
        if self.messages:
            raise Invalid(list(self.messages))


def unreadable_text(value: Any, where: str = "") -> list[str]:
    """Where `value` holds text that is not Unicode (an unpaired surrogate such as "\\ud800"),
    as field paths like `LineItems[0].Description`."""
    if isinstance(value, str):
        return [] if _readable(value) else [where or "the element"]
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            found += unreadable_text(item, path) if _readable(str(key)) else [path]
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += unreadable_text(item, f"{where}[{index}]")
    return found


def readable(value: str) -> str:
    """`value` with each unpaired surrogate replaced by U+FFFD, so it can be written out."""
    if _readable(value):
        return value
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _readable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(
    element: dict[str, Any], field: str, problems: Problems, max_length: int = 0
) -> str | None:
    """A string field (numbers are accepted and written as text)."""
    value = element.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        problems.add(f"{field} must be text; got {value!r}")
        return None
    result = str(value)
    if max_length and len(result) > max_length:
        problems.add(
            f"{field} must not be more than {max_length} characters long "
            f"(it is {len(result)}); shorten it"
        )
    return result


def decimal(element: dict[str, Any], field: str, problems: Problems) -> Decimal | None:
    """A number field, as `Decimal` (text such as "12.50" is accepted too)."""
    value = element.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        problems.add(f"{field} must be a number; got {value!r}")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.add(f"{field} must be a number such as 12.50; got {value!r}")
        return None
    if not number.is_finite():
        problems.add(f"{field} must be a finite number; got {value!r}")
        return None
    if abs(number) >= MAX_NUMBER:
        problems.add(f"{field} {value} is too large: it must be under 1,000,000,000,000")
        return None
    return number


def parse_date(value: Any) -> date | None:
    """ISO `2024-01-31`, `2024-01-31T00:00:00` or `.NET` `/Date(1706659200000+0000)/`."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip()
    match = _NET_DATE.fullmatch(raw)
    if match:
        return datetime.fromtimestamp(int(match.group(1)) / 1000, UTC).date()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def a_date(element: dict[str, Any], field: str, problems: Problems) -> date | None:
    """A calendar date field."""
    value = element.get(field)
    if value is None or value == "":
        return None
    parsed = parse_date(value)
    if parsed is None:
        problems.add(f"{field} {value!r} is not a date: use YYYY-MM-DD, e.g. 2024-01-31")
    return parsed


def boolean(element: dict[str, Any], field: str, problems: Problems) -> bool | None:
    """A true/false field (the strings "true"/"false" too)."""
    value = element.get(field)
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    problems.add(f"{field} must be true or false; got {value!r}")
    return None


def choice(
    element: dict[str, Any], field: str, allowed: tuple[str, ...], problems: Problems
) -> str | None:
    """A field that must be one of the given values."""
    value = element.get(field)
    if value is None:
        return None
    if value not in allowed:
        problems.add(f"{field} {value!r} is not valid: use one of {', '.join(allowed)}")
        return None
    return str(value)
