"""Which constraint a database refused a write on, read from SQLite's or PostgreSQL's error."""

import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import IntegrityError

ConstraintKind = Literal["unique", "not_null", "foreign_key", "check", "unknown"]

_SQLSTATES: dict[str, ConstraintKind] = {
    "23505": "unique",
    "23502": "not_null",
    "23503": "foreign_key",
    "23514": "check",
}
_SQLITE = re.compile(r"(UNIQUE|NOT NULL|FOREIGN KEY|CHECK) constraint failed:?\s*(.*)")
_SQLITE_KINDS: dict[str, ConstraintKind] = {
    "UNIQUE": "unique",
    "NOT NULL": "not_null",
    "FOREIGN KEY": "foreign_key",
    "CHECK": "check",
}
_PG_KEY = re.compile(r"Key \(([^)]*)\)")


@dataclass(frozen=True)
class Violation:
    """The kind of constraint and the columns it names (without their table), if known."""

    kind: ConstraintKind
    columns: tuple[str, ...] = ()


def violation(error: IntegrityError) -> Violation:
    """What `error` says was violated."""
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str):
        kind = _SQLSTATES.get(sqlstate, "unknown")
        diag = getattr(original, "diag", None)
        column = getattr(diag, "column_name", None)
        if column:
            return Violation(kind, (column,))
        found = _PG_KEY.search(str(getattr(diag, "message_detail", "") or ""))
        columns = tuple(c.strip() for c in found.group(1).split(",")) if found else ()
        return Violation(kind, columns)
    found = _SQLITE.search(str(original))
    if found is None:
        return Violation("unknown")
    names = [part.strip() for part in found.group(2).split(",") if part.strip()]
    return Violation(_SQLITE_KINDS[found.group(1)], tuple(n.rpartition(".")[2] for n in names))
