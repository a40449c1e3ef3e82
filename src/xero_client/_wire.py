"""Xero's wire format: JSON with exact decimals, and its two date notations.

Xero writes dates as .NET JSON dates (``/Date(1573755038314+0000)/``, milliseconds since
the Unix epoch in UTC, the offset only describing the organisation's zone) and sometimes as
ISO 8601 strings (``2019-02-26T00:00:00``); both are read here. Amounts are read with
``parse_float=Decimal`` so that no amount ever passes through a binary float.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from json.encoder import encode_basestring_ascii as _quote
from typing import Any

from ._errors import InvalidRequest

_NET_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def loads(data: bytes | str) -> Any:
    """Parses a JSON body, reading every non-integer number as a ``Decimal``."""
    return json.loads(data, parse_float=Decimal)


def dumps(value: Any) -> bytes:
    """Serialises a JSON body, writing ``Decimal`` values exactly (never via float)."""
    parts: list[str] = []
    try:
        _fast(value, parts)
    except _Unwritable:  # written again, slowly, to name where the bad value is
        parts = []
        _write(value, parts, "body")
    return "".join(parts).encode()


class _Unwritable(Exception):
    """A value ``_fast`` does not write (``_write`` says why)."""


def _fast(value: Any, out: list[str]) -> None:
    """``_write`` for the plain types a body is built of (dicts, lists and tuples, strings
    and string enumerations, whole numbers, finite decimals, booleans, None), without paths
    for error messages;
    anything else raises ``_Unwritable``."""
    kind = type(value)
    if kind is str:
        out.append(_quote(value))
    elif kind is dict:
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_quote(key) if type(key) is str else json.dumps(str(key)))
            out.append(":")
            _fast(item, out)
        out.append("}")
    elif kind is Decimal:
        if not value.is_finite():
            raise _Unwritable
        out.append(format(value, "f"))
    elif kind is list or kind is tuple:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _fast(item, out)
        out.append("]")
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif isinstance(value, str):  # a string enumeration: its value
        out.append(_quote(value))
    else:
        raise _Unwritable


def _write(value: Any, out: list[str], where: str) -> None:
    if value is None or isinstance(value, bool | int | str):
        out.append(json.dumps(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidRequest(f"{where} is {value}; amounts must be finite decimals")
        out.append(format(value, "f"))
    elif isinstance(value, float):
        raise InvalidRequest(f"{where} is a float ({value!r}); pass money as decimal.Decimal")
    elif isinstance(value, datetime):
        out.append(json.dumps(format_datetime(value)))
    elif isinstance(value, date):
        out.append(json.dumps(value.isoformat()))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            out.append(json.dumps(str(key)))
            out.append(":")
            _write(item, out, f"{where}.{key}")
        out.append("}")
    elif isinstance(value, Sequence):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out, f"{where}[{i}]")
        out.append("]")
    else:
        raise InvalidRequest(f"{where} has type {type(value).__name__}, which JSON cannot carry")


def parse_datetime(value: str) -> datetime:
    """Reads a .NET JSON date or an ISO 8601 timestamp as an aware UTC ``datetime``.

    ISO values without a zone are taken as UTC, as Xero's ``...UTC`` fields are.

    Raises:
        ValueError: the text is neither notation.
    """
    match = _NET_DATE.match(value)
    if match:
        return _EPOCH + timedelta(milliseconds=int(match.group(1)))
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_date(value: str) -> date:
    """Reads a calendar date from a .NET JSON date or an ISO date or timestamp.

    A .NET date for a calendar date is midnight UTC of that day, so its UTC date is the day.
    """
    match = _NET_DATE.match(value)
    if match:
        return (_EPOCH + timedelta(milliseconds=int(match.group(1)))).date()
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).date()


def format_datetime(value: datetime) -> str:
    """Writes an aware ``datetime`` as ISO 8601 in UTC (what Xero accepts and returns)."""
    if value.tzinfo is None:
        raise InvalidRequest(
            f"datetime {value.isoformat()} has no time zone; pass an aware UTC datetime"
        )
    return value.astimezone(UTC).isoformat()


def http_date(value: datetime) -> str:
    """Formats an aware ``datetime`` for ``If-Modified-Since`` (ISO 8601 in UTC, to seconds)."""
    if value.tzinfo is None:
        raise InvalidRequest(
            "modified_since has no time zone; pass an aware UTC datetime, "
            "e.g. datetime(2024, 1, 1, tzinfo=UTC)"
        )
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat()
