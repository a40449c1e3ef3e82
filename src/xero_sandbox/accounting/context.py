"""What an accounting handler needs from a request: the ledger, the clock, the body."""

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request

from xero_sandbox.accounting.ledger import Ledger


class BadRequest(Exception):
    """A request Xero would refuse before looking at any element (HTTP 400)."""


def ledger_of(request: Request) -> Ledger:
    """The tenant's ledger, set by the platform layer."""
    ledger: Ledger = request.state.ledger
    return ledger


def now_of(request: Request) -> datetime:
    """The sandbox clock's time for this request (aware UTC)."""
    now: datetime = request.state.now
    return now


def query_param(request: Request, name: str) -> str | None:
    """A query parameter, matched case-insensitively as Xero does."""
    value = request.query_params.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, item in request.query_params.items():
        if key.lower() == lowered:
            return item
    return None


def flag(request: Request, name: str, default: bool) -> bool:
    """A boolean query parameter (`true`/`false`)."""
    value = query_param(request, name)
    if value is None or value == "":
        return default
    return value.strip().lower() == "true"


def parse_elements(body: bytes, collection: str) -> list[dict[str, Any]]:
    """The elements of a PUT/POST body: `{"Invoices": [...]}`, `[...]` or one object."""
    try:
        data = json.loads(body or b"null", parse_float=Decimal)
    except ValueError as error:
        raise BadRequest(f"The request body is not valid JSON: {error}") from error
    if isinstance(data, dict) and collection in data:
        data = data[collection]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BadRequest(
            f'The request body must be {{"{collection}": [...]}} or one object; got {body[:80]!r}'
        )
    if not data:
        raise BadRequest(f'The request body has no elements: send {{"{collection}": [{{...}}]}}')
    return data
