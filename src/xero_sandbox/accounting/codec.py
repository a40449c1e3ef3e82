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


def encode(value: Any) -> Any:
    """Turn a record (or any nesting of dicts and lists) into plain JSON values."""
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    return value


def decode(value: Any) -> Any:
    """Read back what `encode` wrote."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, item),) = value.items()
            if key == _DECIMAL:
                return Decimal(item)
            if key == _DATETIME:
                return datetime.fromisoformat(item)
            if key == _DATE:
                return date.fromisoformat(item)
        return {key: decode(item) for key, item in value.items()}
    return value
