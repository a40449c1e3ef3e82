"""Pages from Jinja2 templates, and the answers every console route ends with."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from ledgerlink.sync.engine.document_files import size_words
from ledgerlink.web.auth import CSRF_FIELD, browser_session
from ledgerlink.web.parts import parts_of
from ledgerlink.web.session import COOKIE_NAME, SESSION_LIFETIME, ConsoleSession

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _sentence(text: str | None) -> str:
    """``choose an account`` → ``Choose an account`` (the rest as written: names stay)."""
    return "" if not text else text[:1].upper() + text[1:]


def _code_spans(text: str | None) -> Markup:
    """```ledgerlink sync pull``` in a fix → ``<code>ledgerlink sync pull</code>`` (every
    part escaped)."""
    shown, at = Markup(""), 0
    for found in _CODE.finditer(text or ""):
        shown += escape(found.string[at : found.start()])
        shown += Markup("<code>%s</code>") % found.group(1)
        at = found.end()
    return shown + escape((text or "")[at:])


def _counted(count: int, noun: str, plural: str | None = None) -> str:
    """``3 | counted("document")`` → ``3 documents``; ``1`` → ``1 document``."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


_CODE = re.compile(r"`([^`]+)`")
TEMPLATES.env.filters["counted"] = _counted
TEMPLATES.env.filters["sentence"] = _sentence
TEMPLATES.env.filters["code_spans"] = _code_spans
TEMPLATES.env.filters["file_size"] = size_words

# What a page says after a change, by the key its redirect names (`?done=saved`): the
# text never comes from the URL itself.
NOTICES = {
    "signed-out": "You are signed out.",
    "saved": "Settings saved.",
    "retried": "Sent again: the worker is on it.",
    "resolved": "Marked as handled in Xero: nothing more is sent for it.",
    "file-added": "File added: it follows the document to Xero.",
    "note-added": "Note added: it follows the document to Xero.",
    "retried-all": "Every failed document is queued to be sent again.",
    "disconnected": "Disconnected from Xero.",
    "connected": "Connected to Xero.",
    "user-added": "Person added.",
    "user-changed": "Role changed.",
    "user-removed": "Person removed from the company.",
    "compared": "Compared with Xero just now: what differs is listed below.",
}


def set_session_cookie(request: Request, response: Response, session: ConsoleSession) -> None:
    parts = parts_of(request)
    response.set_cookie(
        COOKIE_NAME,
        parts.signer.dump(session),
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=parts.secure_cookies,
        path="/",
    )


def _finish(request: Request, response: Response) -> Response:
    fresh: ConsoleSession | None = getattr(request.state, "new_console_session", None)
    if fresh is not None:
        set_session_cookie(request, response, fresh)
    response.headers["Cache-Control"] = "no-store"
    return response


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """The page ``template`` with the session's CSRF token, the person and the company."""
    session = browser_session(request)
    values: dict[str, Any] = {
        "csrf_field": CSRF_FIELD,
        "csrf_token": session.csrf,
        "person": getattr(request.state, "person", None),
        "page": getattr(request.state, "company_page", None),
        "notice": NOTICES.get(request.query_params.get("done", "")),
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    return _finish(request, response)


def redirect(request: Request, url: str) -> Response:
    """See other: after a form, the browser loads ``url`` (htmx follows it too)."""
    return _finish(request, RedirectResponse(url, status_code=303))
