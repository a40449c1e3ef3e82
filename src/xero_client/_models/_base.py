"""Conversion between frozen dataclasses and Xero JSON, tolerant of what the spec omits.

A model field ``invoice_id`` maps to the Xero key ``InvoiceID`` (``id``, ``utc``, ``cis``,
``api`` are upper-cased; other words capitalised); a field may name its key explicitly
with ``metadata={"xero": "Key"}``. Keys the model does not know are kept in ``extra`` and
written back by :meth:`XeroModel.to_xero`. Enumerations are plain strings so that values
Xero adds later never fail a call.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Self

from .. import _wire

_UPPER = {"id": "ID", "utc": "UTC", "cis": "CIS", "api": "API"}

Reader = Callable[[Any], Any]
Writer = Callable[[Any], Any]


def xero_key(name: str) -> str:
    """The Xero JSON key of a snake_case field name."""
    return "".join(_UPPER.get(part, part.capitalize()) for part in name.split("_"))


@dataclass(frozen=True, kw_only=True)
class XeroModel:
    """Base of every model: ``from_xero`` / ``to_xero`` with unknown keys kept in ``extra``."""

    extra: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    _codec: ClassVar[tuple[tuple[str, str, Reader, Writer], ...] | None] = None
    _readers_by_key: ClassVar[dict[str, tuple[str, Reader]] | None] = None

    @classmethod
    def from_xero(cls, data: Mapping[str, Any]) -> Self:
        """Builds the model from one Xero JSON object (unknown keys go to ``extra``)."""
        readers = cls._readers()
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, raw in data.items():
            field_reader = readers.get(key)
            if field_reader is not None and raw is not None:
                value = field_reader[1](raw)
                if value is not None:  # unreadable values stay in ``extra``, untouched
                    known[field_reader[0]] = value
                    continue
            extra[key] = raw
        return cls(**known, extra=extra)

    @classmethod
    def _readers(cls) -> dict[str, tuple[str, Reader]]:
        """Each field's attribute and reader, by its Xero key."""
        readers = cls.__dict__.get("_readers_by_key")
        if readers is None:
            readers = {key: (attr, read) for attr, key, read, _ in cls._fields_codec()}
            cls._readers_by_key = readers
        return readers

    def to_xero(self) -> dict[str, Any]:
        """The model as a Xero JSON object; unset fields are left out."""
        out: dict[str, Any] = dict(self.extra)
        for attr, key, _, write in self._fields_codec():
            value = getattr(self, attr)
            if value is None or (isinstance(value, tuple) and not value):
                continue
            out[key] = value if write is _same else write(value)
        return out

    @classmethod
    def _fields_codec(cls) -> tuple[tuple[str, str, Reader, Writer], ...]:
        codec = cls.__dict__.get("_codec")
        if codec is None:
            hints = typing.get_type_hints(cls)
            built = []
            for f in dataclasses.fields(cls):
                if f.name == "extra":
                    continue
                key = f.metadata.get("xero") or xero_key(f.name)
                read, write = _converters(hints[f.name], f"{cls.__name__}.{f.name}")
                built.append((f.name, key, read, write))
            codec = tuple(built)
            cls._codec = codec
        return codec


def _converters(hint: Any, where: str) -> tuple[Reader, Writer]:
    args = typing.get_args(hint)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"{where}: only 'X | None' unions are supported")
        return _converters(inner[0], where)
    if origin is tuple:
        item_read, item_write = _converters(args[0], where)
        return (
            lambda raw: tuple(item_read(x) for x in raw) if isinstance(raw, list) else (),
            lambda value: [item_write(x) for x in value],
        )
    if isinstance(hint, type) and issubclass(hint, XeroModel):
        model = hint
        return (
            lambda raw: model.from_xero(raw) if isinstance(raw, Mapping) else None,
            lambda value: value.to_xero(),
        )
    simple = _SIMPLE.get(hint)
    if simple is None:
        raise TypeError(f"{where}: unsupported field type {hint!r}")
    return simple


def _read_decimal(raw: Any) -> Decimal | None:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | str):
        try:
            return Decimal(raw)
        except InvalidOperation:
            return None
    if isinstance(raw, float):  # only if a caller bypassed parse_float=Decimal
        return Decimal(repr(raw))
    return None


def _read_str(raw: Any) -> str:
    return raw if isinstance(raw, str) else str(raw)


def _read_bool(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return None


def _read_int(raw: Any) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _read_datetime(raw: Any) -> datetime | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return _wire.parse_datetime(raw)
    except ValueError:
        return None


def _read_date(raw: Any) -> date | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return _wire.parse_date(raw)
    except ValueError:
        return None


def _same(value: Any) -> Any:
    return value


_SIMPLE: dict[Any, tuple[Reader, Writer]] = {
    str: (_read_str, _same),
    bool: (_read_bool, _same),
    int: (_read_int, _same),
    Decimal: (_read_decimal, _same),
    datetime: (_read_datetime, _wire.format_datetime),
    date: (_read_date, lambda value: value.isoformat()),
}


def key(name: str) -> Any:
    """A field whose Xero key does not follow the naming rule (``Class``, ``COGSAccountCode``)."""
    return field(default=None, metadata={"xero": name})
