"""Repair text that an earlier release stored but cannot be written out again.

Before text was checked where it enters, a lone surrogate (`"\\ud800"`) or a NUL could
reach SQLite inside a JSON column (stored as an ASCII escape) or a NUL inside a text
column; every read of such a row then failed, and with it the company's lists.
PostgreSQL refused both, so only SQLite databases can hold them. Each bad character
becomes U+FFFD (the replacement character) and NULs are dropped, so the record reads
again and a person can see and fix it.
"""

import json
from typing import Any

from sqlalchemy import Connection, inspect, text

REPLACEMENT = "\ufffd"
_TEXT_TYPES = ("CHAR", "TEXT", "CLOB", "JSON", "VARCHAR")


def clean_text(value: str) -> str:
    """`value` with lone surrogates replaced and NULs removed."""
    return "".join(
        REPLACEMENT if "\ud800" <= ch <= "\udfff" else ch for ch in value if ch != "\x00"
    )


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value


def _repaired(raw: str, is_json: bool) -> str:
    if not is_json:
        return clean_text(raw)
    try:
        parsed = json.loads(raw)
    except ValueError:
        return clean_text(raw)
    return json.dumps(_clean(parsed))


def repair_unwritable_text(connection: Connection) -> int:
    """Repair every text and JSON value of a SQLite database; the number of values changed."""
    if connection.dialect.name != "sqlite":
        return 0
    changed = 0
    inspector = inspect(connection)
    for table in inspector.get_table_names():
        columns = [
            (column["name"], str(column["type"]).upper())
            for column in inspector.get_columns(table)
            if any(kind in str(column["type"]).upper() for kind in _TEXT_TYPES)
        ]
        for name, kind in columns:
            # Cheap filter first: a NUL, or a JSON \u escape in the surrogate range.
            suspects = connection.execute(
                text(
                    f'SELECT rowid, "{name}" FROM "{table}" '  # noqa: S608 - names from the schema
                    f'WHERE instr("{name}", char(0)) > 0 OR "{name}" LIKE \'%\\ud%\' '
                    f"OR \"{name}\" LIKE '%\\u0000%'"
                )
            ).all()
            for rowid, raw in suspects:
                if not isinstance(raw, str):
                    continue
                fixed = _repaired(raw, "JSON" in kind)
                if fixed != raw:
                    connection.execute(
                        text(f'UPDATE "{table}" SET "{name}" = :v WHERE rowid = :r'),  # noqa: S608
                        {"v": fixed, "r": rowid},
                    )
                    changed += 1
    return changed
