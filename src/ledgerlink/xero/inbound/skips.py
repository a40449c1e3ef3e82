"""Why a record read from Xero is not imported."""

from collections.abc import Callable
from typing import TypeVar

from ledgerlink.domain.errors import DomainError

T = TypeVar("T")


class SkipRecord(Exception):
    """A record from Xero that cannot or must not be imported; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def translated(build: Callable[[], T]) -> T:
    """Run ``build``; a domain error (a value Xero sent that we refuse) becomes a skip."""
    try:
        return build()
    except DomainError as error:
        raise SkipRecord(str(error)) from error


def required(value: str | None, field: str) -> str:
    """A field the record cannot be imported without."""
    if value is None or not value.strip():
        raise SkipRecord(f"Xero sent no {field}")
    return value
