"""RFC 9457 problem details: every error the API answers has this one shape.

A problem names the field at fault (`errors[].field`) and says what is allowed, so a
developer feeding documents in can fix the request without reading our code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledgerlink.domain.errors import DomainError, InvalidTransition
from ledgerlink.store.errors import (
    ConcurrentUpdate,
    DuplicateRecord,
    MissingValue,
    UnknownReference,
)

PROBLEM_JSON = "application/problem+json"


@dataclass
class Problem(Exception):
    """An error to answer as problem+json."""

    status: int
    title: str
    detail: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)
    #: Headers of the answer, e.g. `Retry-After`.
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail or self.title,
            "instance": instance,
        }
        if self.errors:
            body["errors"] = self.errors
        return body


def not_found(what: str) -> Problem:
    return Problem(404, "Not Found", f"{what} was not found")


def forbidden(detail: str) -> Problem:
    return Problem(403, "Forbidden", detail)


def field_error(status: int, field_name: str, message: str) -> Problem:
    title = "Invalid state" if status == 409 else "Validation failed"
    return Problem(
        status, title, f"{field_name}: {message}", [{"field": field_name, "message": message}]
    )


def _respond(request: Request, problem: Problem, headers: dict[str, str] | None = None) -> Any:
    return JSONResponse(
        problem.body(request.url.path),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def _validation_error(err: Mapping[str, Any], body: Any) -> dict[str, str]:
    """One pydantic error as `{field, message}`; invalid JSON is placed by line and column."""
    loc = err.get("loc", ())
    if err.get("type") == "json_invalid" and isinstance(body, str) and len(loc) == 2:
        position = int(loc[1])
        line = body.count("\n", 0, position) + 1
        column = position - body.rfind("\n", 0, position)
        reason = (err.get("ctx") or {}).get("error", "")
        message = f"invalid JSON at line {line} column {column}"
        return {"field": "body", "message": f"{message}: {reason}" if reason else message}
    return {"field": _location(loc), "message": str(err.get("msg", ""))}


def install(app: FastAPI) -> None:
    """Answer every error of `app` as problem+json."""

    async def on_problem(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, Problem)
        return _respond(request, exc, exc.headers or None)

    async def on_domain(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, DomainError)
        status = 409 if isinstance(exc, InvalidTransition) else 422
        return _respond(request, field_error(status, exc.field, exc.message))

    async def on_duplicate(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, DuplicateRecord)
        return _respond(request, field_error(409, exc.field, str(exc)))

    async def on_concurrent(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, ConcurrentUpdate)
        if "if-match" in request.headers:
            # Two changes sent with the same If-Match at once: the loser's tag went stale.
            problem = Problem(412, "Precondition Failed", f"If-Match: {exc}", [
                {"field": "If-Match", "message": "someone changed it meanwhile; read it again"}
            ])  # fmt: skip
            return _respond(request, problem)
        return _respond(request, field_error(409, "version", str(exc)))

    async def on_missing(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, MissingValue)
        message = str(exc).removeprefix(f"{exc.field}: ")
        return _respond(request, field_error(422, exc.field, message))

    async def on_unknown_reference(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, UnknownReference)
        message = str(exc).removeprefix(f"{exc.field}: ")
        return _respond(request, field_error(422, exc.field, message))

    async def on_validation(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, RequestValidationError)
        errors = [_validation_error(err, exc.body) for err in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return _respond(request, Problem(422, "Validation failed", detail, errors))

    async def on_http(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and "digits" in str(exc.__cause__ or ""):
            # A JSON number too long for Python to read (over 4300 digits).
            message = "invalid JSON: a number has too many digits; numbers stay below 10^12"
            return _respond(request, field_error(422, "body", message))
        titles = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Not Allowed"}
        problem = Problem(exc.status_code, titles.get(exc.status_code, "Error"), str(exc.detail))
        return _respond(request, problem, dict(exc.headers or {}))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(DuplicateRecord, on_duplicate)
    app.add_exception_handler(ConcurrentUpdate, on_concurrent)
    app.add_exception_handler(MissingValue, on_missing)
    app.add_exception_handler(UnknownReference, on_unknown_reference)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
