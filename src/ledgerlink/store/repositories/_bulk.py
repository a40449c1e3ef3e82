"""Writing a batch of rows in one statement per table.

On PostgreSQL the batch goes as one JSON parameter, read back into typed rows with
``jsonb_to_recordset``: however many rows, the statement is one short text that psycopg
converts once (and prepares) and the server runs once, where an executemany runs one
statement per row and a multi-row VALUES list is a new, long text each time (and arrays,
one per column, cost psycopg more to write than the JSON). Values go through each column's
own bind processing first (exact decimals, aware UTC times), as they would in a plain
INSERT or UPDATE, then as their exact text (a decimal's digits, an ISO 8601 time with its
offset), which the column's type reads back. Elsewhere (SQLite, in process) it is an
executemany.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

_POSTGRESQL = PGDialect()  # type: ignore[no-untyped-call]


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ``rows`` (each with the same columns) into ``table``."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    columns = tuple(rows[0])
    if dialect.name != "postgresql":
        session.execute(table.insert(), list(rows))
        return
    statement = _insert_statement(table, columns)
    session.execute(statement, _batch(table, columns, rows, dialect))


def update_rows(
    session: Session, table: Table, keys: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """UPDATE the rows of ``table`` whose ``keys`` columns match each of ``rows``, setting
    its other columns (each row with the same columns)."""
    if not rows:
        return
    dialect = session.get_bind().dialect
    columns = tuple(rows[0])
    values = tuple(c for c in columns if c not in keys)
    if dialect.name != "postgresql":
        session.execute(
            table.update()
            .where(*(table.c[k] == bindparam(f"key_{k}") for k in keys))
            .values({c: bindparam(c) for c in values}),
            [{**{c: row[c] for c in values}, **{f"key_{k}": row[k] for k in keys}} for row in rows],
        )
        return
    statement = _update_statement(table, tuple(keys), values)
    session.execute(statement, _batch(table, columns, rows, dialect))


def _batch(
    table: Table, columns: tuple[str, ...], rows: Sequence[Mapping[str, Any]], dialect: Dialect
) -> dict[str, str]:
    """The rows as one JSON array of objects (the ``:batch`` parameter), each value after
    its column's bind processing and as the text PostgreSQL reads back into the column
    (text, whole numbers and booleans as they are)."""
    batch = [dict(row) for row in rows]
    for name in columns:
        column_type = table.c[name].type.dialect_impl(dialect)
        process = column_type.bind_processor(dialect)
        if process is None and _python_type(column_type) in (str, int, bool):
            continue
        for row in batch:
            value = row[name]
            row[name] = _json_value(value if process is None else process(value))
    return {"batch": json.dumps(batch, ensure_ascii=False)}


def _python_type(column_type: TypeEngine[Any]) -> type | None:
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


def _json_value(value: Any) -> Any:
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value
    if kind is Decimal or kind is UUID:
        return str(value)  # exact: the column's own input reads the text
    if kind is datetime:
        return value.isoformat()
    if isinstance(value, str):  # a string enumeration
        return str.__str__(value)
    raise TypeError(f"no batch write for a value of type {kind.__name__}: {value!r}")


def _source(table: Table, columns: tuple[str, ...]) -> str:
    typed = ", ".join(
        f"{name} {table.c[name].type.compile(dialect=_POSTGRESQL)}" for name in columns
    )
    return f"jsonb_to_recordset(CAST(:batch AS jsonb)) AS batch({typed})"


@cache
def _insert_statement(table: Table, columns: tuple[str, ...]) -> TextClause:
    # Names from the table's own metadata, never from input; the values go as parameters.
    into = f"INSERT INTO {table.name} ({', '.join(columns)}) "
    return text(into + f"SELECT {', '.join(columns)} FROM {_source(table, columns)}")  # noqa: S608


@cache
def _update_statement(table: Table, keys: tuple[str, ...], values: tuple[str, ...]) -> TextClause:
    columns = (*keys, *values)
    changes = ", ".join(f"{c} = batch.{c}" for c in values)
    match = " AND ".join(f"{table.name}.{k} = batch.{k}" for k in keys)
    source = _source(table, columns)
    return text(f"UPDATE {table.name} SET {changes} FROM {source} WHERE {match}")  # noqa: S608
