"""The OpenAPI document's error answers: every 4xx is one `Problem` (application/problem+json).

FastAPI documents its own `HTTPValidationError` for 422; the API never answers that shape,
so each operation documents the `Problem` schema instead, for the statuses it can answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from ledgerlink.api.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details: what went wrong and, in `errors`, each field "
    "at fault with how to fix it.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "Validation failed"},
        "status": {"type": "integer", "example": 422},
        "detail": {"type": "string", "example": "due_date: a submitted bill needs a due date"},
        "instance": {"type": "string", "description": "The path that was called."},
        "errors": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/FieldError"},
            "description": "Each field at fault; absent when no one field is.",
        },
    },
}
FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "FieldError",
    "type": "object",
    "required": ["field", "message"],
    "properties": {
        "field": {
            "type": "string",
            "description": "Where in the request, e.g. `lines[0].account_code`, a query "
            "parameter, `If-Match`, or `body`.",
            "example": "lines[0].account_code",
        },
        "message": {"type": "string", "description": "What is wrong and what is allowed."},
    },
}

DESCRIPTIONS = {
    401: "No valid API token (`Authorization: Bearer ...`)",
    403: "The token's user may not do this in this company",
    404: "Nothing of that id in this company",
    409: "Not allowed in the record's current state, or it already exists",
    412: "`If-Match` names a version that is not the stored one",
    422: "The request is invalid; `errors` names each field and the fix",
}
_UNUSED_SCHEMAS = ("HTTPValidationError", "ValidationError")
_CHANGES = {"post", "put", "patch", "delete"}


def problem_response(status: int, description: str | None = None) -> dict[str, Any]:
    """One documented problem answer."""
    return {
        "description": description or DESCRIPTIONS.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _statuses(path: str, method: str, api_prefix: str, operation: dict[str, Any]) -> list[int]:
    statuses = [422]
    if path.startswith(api_prefix):
        statuses.append(401)
    if "{company_id}" in path:
        statuses.append(403)
    if "{" in path:
        statuses.append(404)
    if method in _CHANGES:
        statuses.append(409)
    if "412" in operation.get("responses", {}):
        statuses.append(412)
    return statuses


def document_problems(schema: dict[str, Any], api_prefix: str) -> dict[str, Any]:
    """`schema` with the Problem answers on every operation and no HTTPValidationError."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in _UNUSED_SCHEMAS:
        components.pop(name, None)
    components["Problem"] = PROBLEM_SCHEMA
    components["FieldError"] = FIELD_ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in _statuses(path, method, api_prefix, operation):
                described = responses.get(str(status), {}).get("description")
                keep = described if status != 422 else None
                responses[str(status)] = problem_response(status, keep)
    return schema


def install(app: FastAPI, api_prefix: str) -> None:
    """Serve `app`'s OpenAPI document with the Problem answers documented."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            app.openapi_schema = document_problems(schema, api_prefix)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
