"""Persistence of ledger records as JSON-able values, losslessly.

Records hold `Decimal`, `date` and aware `datetime` values; JSON holds none of them, so each
is written as a one-key tagged object and read back to the same type.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

_DECIMAL = "$decimal"
_DATE = "$date"
_DATETIME = "$datetime"


_PLAIN = frozenset({str, int, bool, float, type(None)})


def encode(value: Any) -> Any:
    """Turn a record (or any nesting of dicts and lists) into plain JSON values."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {key: item if type(item) in _PLAIN else encode(item) for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _PLAIN else encode(item) for item in value]
    if kind is Decimal:
        return {_DECIMAL: str(value)}
    if kind is datetime:
        return {_DATETIME: value.isoformat()}
    if kind is date:
        return {_DATE: value.isoformat()}
    raise TypeError(f"cannot persist a {kind.__name__}: {value!r}")


def decode(value: Any) -> Any:
    """Read back what `encode` wrote."""
    kind = type(value)
    if kind is list:
        return [item if type(item) in _PLAIN else decode(item) for item in value]
    if kind is not dict:
        return value
    if len(value) == 1:
        ((key, item),) = value.items()
        if key == _DECIMAL:
            return Decimal(item)
        if key == _DATETIME:
            return datetime.fromisoformat(item)
        if key == _DATE:
            return date.fromisoformat(item)
    return {key: item if type(item) in _PLAIN else decode(item) for key, item in value.items()}
