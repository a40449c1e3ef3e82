"""Small helpers shared by the repositories."""

from typing import Any

from sqlalchemy import CursorResult, Result


def rowcount(result: Result[Any]) -> int:
    """How many rows an INSERT/UPDATE/DELETE touched."""
    if not isinstance(result, CursorResult):
        raise TypeError("rowcount needs the result of an INSERT, UPDATE or DELETE")
    return result.rowcount
