"""One function that turns a Xero answer into the error the caller should handle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from . import _wire
from ._batch import messages
from ._errors import (
    ElementErrors,
    FatalError,
    Forbidden,
    NotFound,
    RateLimited,
    RequestInProgress,
    ServerError,
    Unauthorized,
    ValidationFailed,
    XeroError,
)
from ._limits import LimitObservation

#: Wait this long after a 429 that names no ``Retry-After`` (Xero always sends one).
DEFAULT_RETRY_AFTER_SECONDS = 60.0


def error_for(response: httpx.Response, endpoint: str) -> XeroError | None:
    """The error a response stands for, or ``None`` for a success."""
    status = response.status_code
    if status < 300:
        return None
    body = _body(response)
    message = _message(body, response)
    where: dict[str, Any] = {"status": status, "endpoint": endpoint}
    if status == 429:
        seen = LimitObservation.from_headers(response.headers)
        retry_after = seen.retry_after
        return RateLimited(
            f"Xero rate limit reached: {seen.problem or 'minute'}",
            limit=seen.problem or "minute",
            retry_after=DEFAULT_RETRY_AFTER_SECONDS if retry_after is None else retry_after,
            **where,
        )
    if status >= 500:
        return ServerError(message, **where)
    if status == 401:
        return Unauthorized(message, **where)
    if status == 403:
        return Forbidden(message, **where)
    if status == 404:
        return NotFound(message, **where)
    if status == 409:
        return RequestInProgress(message, **where)
    if status == 400 and isinstance(body, Mapping) and body.get("Type") == "ValidationException":
        echoed = _echoed(body)
        elements = [ElementErrors(i, messages(e, "ValidationErrors")) for i, e in enumerate(echoed)]
        return ValidationFailed(message, elements=elements, echoed=echoed, **where)
    return FatalError(message, **where)


def _body(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return _wire.loads(response.content)
    except ValueError:
        return None


def _message(body: Any, response: httpx.Response) -> str:
    if isinstance(body, Mapping):
        for key in ("Message", "Detail", "Title", "message", "error_description", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
    text = response.text.strip()
    return text[:500] if text and not text.startswith(("{", "<")) else response.reason_phrase


def _echoed(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    elements = body.get("Elements")
    if not isinstance(elements, list):
        return []
    return [e for e in elements if isinstance(e, Mapping)]
