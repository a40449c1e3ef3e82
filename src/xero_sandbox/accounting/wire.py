"""Xero's wire format: `.NET` dates, the response envelope, errors.

Xero writes timestamps as `/Date(1573755038314+0000)/` and calendar dates the same way at
midnight UTC, with a readable `DateString` beside `Date` and `DueDate`.
"""

import json
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from starlette.responses import PlainTextResponse, Response

PROVIDER_NAME = "Xero Sandbox"
NOT_FOUND_TEXT = "The resource you're looking for cannot be found"
_DATE_STRING_FIELDS = frozenset({"Date", "DueDate"})


def net_date(value: datetime | date) -> str:
    """Format a timestamp or a calendar date as Xero's `/Date(ms+0000)/`."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), UTC)
    millis = int(value.timestamp() * 1000)
    return f"/Date({millis}+0000)/"


def to_wire(value: Any) -> Any:
    """Turn a record into JSON values the way Xero writes them."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key.startswith("_"):
                continue
            out[key] = to_wire(item)
            if key in _DATE_STRING_FIELDS and isinstance(item, date):
                out[f"{key}String"] = f"{item.isoformat()}T00:00:00"
        return out
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return net_date(value)
    return value


def json_response(body: dict[str, Any], status_code: int = 200) -> Response:
    """A JSON response with Xero's content type."""
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return Response(content, status_code=status_code, media_type="application/json")


def envelope(
    key: str,
    records: list[dict[str, Any]],
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> Response:
    """The `{"Id", "Status", "ProviderName", "DateTimeUTC", key: [...]}` envelope."""
    return wired_envelope(key, [to_wire(record) for record in records], now, extra)


def wired_envelope(
    key: str,
    items: list[dict[str, Any]],
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> Response:
    """The envelope around items already in wire form."""
    body: dict[str, Any] = {
        "Id": str(uuid.uuid4()),
        "Status": "OK",
        "ProviderName": PROVIDER_NAME,
        "DateTimeUTC": net_date(now),
    }
    if extra:
        body.update(extra)
    body[key] = items
    return json_response(body)


def not_found() -> Response:
    """Xero's 404 for an unknown id: plain text, no envelope."""
    return PlainTextResponse(NOT_FOUND_TEXT, status_code=404)


def validation_exception(elements: list[dict[str, Any]]) -> Response:
    """Xero's 400 for a request whose elements failed validation."""
    return json_response(
        {
            "ErrorNumber": 10,
            "Type": "ValidationException",
            "Message": "A validation exception occurred",
            "Elements": elements,
        },
        status_code=400,
    )


def bad_request(message: str) -> Response:
    """Xero's 400 for a request it cannot read at all."""
    return json_response(
        {"ErrorNumber": 14, "Type": "PostDataInvalidException", "Message": message},
        status_code=400,
    )
