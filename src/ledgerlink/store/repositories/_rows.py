"""Small helpers shared by the repositories."""

from collections.abc import Collection
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, CursorResult, Result, any_, literal
from sqlalchemy.orm import Session


def rowcount(result: Result[Any]) -> int:
    """How many rows an INSERT/UPDATE/DELETE touched."""
    if not isinstance(result, CursorResult):
        raise TypeError("rowcount needs the result of an INSERT, UPDATE or DELETE")
    return result.rowcount


def among(
    session: Session, column: ColumnElement[Any], values: Collection[Any]
) -> ColumnElement[bool]:
    """``column IN values``. On PostgreSQL ``column = ANY(array)``: one parameter however
    many values, so the statement stays one short text (an IN list of a thousand ids is a
    new text of a thousand parameters, parsed again by psycopg and the server each time)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(values), ARRAY(column.type)))
    return column.in_(values)
