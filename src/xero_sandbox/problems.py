"""The error bodies Xero's platform layer answers with (before any accounting code runs)."""

import json
import uuid
from typing import Any

from starlette.responses import Response


def _json(
    body: dict[str, Any], status_code: int, headers: dict[str, str] | None = None
) -> Response:
    content = json.dumps(body, separators=(",", ":"))
    return Response(content, status_code, headers=headers, media_type="application/json")


def _problem(status: int, title: str, detail: str) -> dict[str, Any]:
    return {
        "Type": None,
        "Title": title,
        "Status": status,
        "Detail": detail,
        "Instance": str(uuid.uuid4()),
        "Extensions": {},
    }


def unauthorized() -> Response:
    """401 for a missing, expired, revoked or forged access token."""
    return _json(_problem(401, "Unauthorized", "AuthenticationUnsuccessful"), 401)


def scope_missing() -> Response:
    """401 when the token's scopes do not open the resource (what Xero answers)."""
    return _json(_problem(401, "Unauthorized", "AuthorizationUnsuccessful"), 401)


def forbidden() -> Response:
    """403 when the token does not cover the `xero-tenant-id`."""
    return _json(_problem(403, "Forbidden", "AuthorizationUnsuccessful"), 403)


def too_many_requests(problem: str, retry_after_seconds: int) -> Response:
    """429 with `X-Rate-Limit-Problem` and `Retry-After`, as Xero sends it."""
    headers = {"Retry-After": str(retry_after_seconds), "X-Rate-Limit-Problem": problem}
    return _json(
        _problem(429, "Too Many Requests", f"Rate limit exceeded ({problem})"), 429, headers
    )


def server_error(status: int) -> Response:
    """A 5xx the way Xero's front door answers when something is wrong on its side."""
    titles = {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }
    title = titles.get(status, "Server Error")
    return _json(_problem(status, title, "An error occurred in Xero. Please try again."), status)


def idempotency_conflict(message: str, status: int = 400) -> Response:
    """Xero's answer when an `Idempotency-Key` is reused for a different request."""
    return _json(
        {"ErrorNumber": 10, "Type": "ValidationException", "Message": message, "Elements": []},
        status,
    )


def oauth_error(error: str, description: str | None = None, status: int = 400) -> Response:
    """An RFC 6749 error from the token endpoint (`invalid_grant`, `invalid_client`, ...)."""
    body: dict[str, Any] = {"error": error}
    if description:
        body["error_description"] = description
    return _json(body, status, {"Cache-Control": "no-store"})


def control_error(field: str, message: str, status: int = 400) -> Response:
    """A 400 from a `/_sandbox` control endpoint naming the field and the fix."""
    return _json({"error": message, "field": field}, status)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Plain JSON for the platform's own endpoints."""
    content = json.dumps(body, separators=(",", ":"), default=str)
    return Response(content, status, headers=headers, media_type="application/json")
