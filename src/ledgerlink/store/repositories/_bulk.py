"""Writing a batch of rows in one statement per table.

On PostgreSQL each column of the batch goes as one array parameter and the rows are read
back with ``unnest``: however many rows, the statement is one short text that psycopg
converts once (and prepares) and the server runs once, where an executemany runs one
statement per row and a multi-row VALUES list is a new, long text each time. Values go
through each column's own bind processing first (exact decimals, aware UTC times), as they
would in a plain INSERT or UPDATE. Elsewhere (SQLite, in process) it is an executemany.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

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
    session.execute(statement, _arrays(table, columns, rows, dialect))


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
    session.execute(statement, _arrays(table, columns, rows, dialect))


def _arrays(
    table: Table, columns: tuple[str, ...], rows: Sequence[Mapping[str, Any]], dialect: Dialect
) -> dict[str, list[Any]]:
    arrays: dict[str, list[Any]] = {}
    for n, name in enumerate(columns):
        process = table.c[name].type.bind_processor(dialect)
        cells = [row[name] for row in rows]
        arrays[f"p{n}"] = cells if process is None else [process(v) for v in cells]
    return arrays


def _unnest(table: Table, columns: tuple[str, ...]) -> str:
    arrays = ", ".join(
        f"CAST(:p{n} AS {table.c[name].type.compile(dialect=_POSTGRESQL)}[])"
        for n, name in enumerate(columns)
    )
    return f"unnest({arrays}) AS batch({', '.join(columns)})"


@cache
def _insert_statement(table: Table, columns: tuple[str, ...]) -> TextClause:
    # Names from the table's own metadata, never from input; the values go as parameters.
    into = f"INSERT INTO {table.name} ({', '.join(columns)}) "
    return text(into + f"SELECT {', '.join(columns)} FROM {_unnest(table, columns)}")  # noqa: S608


@cache
def _update_statement(table: Table, keys: tuple[str, ...], values: tuple[str, ...]) -> TextClause:
    columns = (*keys, *values)
    changes = ", ".join(f"{c} = batch.{c}" for c in values)
    match = " AND ".join(f"{table.name}.{k} = batch.{k}" for k in keys)
    source = _unnest(table, columns)
    return text(f"UPDATE {table.name} SET {changes} FROM {source} WHERE {match}")  # noqa: S608
