"""The web console: server-rendered pages (Jinja2, htmx vendored under static/) on the
same app as the REST API, calling the same services in-process.

`install(app, ...)` adds it; `bootstrap` does that for every app it builds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote
from uuid import UUID

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import Response

from ledgerlink.web.auth import CsrfRefused, NotAllowed, PageNotFound, SignInRequired, check_csrf
from ledgerlink.web.parts import ConsoleParts, Sleep, parts_of
from ledgerlink.web.render import redirect, render
from ledgerlink.web.routes import ROUTERS
from ledgerlink.web.session import COOKIE_NAME

STATIC = Path(__file__).parent / "static"

__all__ = ["install"]


def install(
    app: FastAPI,
    *,
    secret_key: Callable[[], str],
    secure_cookies: bool,
    sleep: Sleep = asyncio.sleep,
) -> None:
    """Serve the console at `/` (and its files at `/static`) on ``app``; sessions are
    signed with a key derived from ``secret_key()``, read on first use."""
    app.state.console = ConsoleParts(secret_key, sleep, secure_cookies)
    app.mount("/static", StaticFiles(directory=STATIC), name="console-static")
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(check_csrf)], include_in_schema=False)
    app.state.console_return = _console_return
    app.add_exception_handler(SignInRequired, _sign_in_required)
    app.add_exception_handler(PageNotFound, _not_found)
    app.add_exception_handler(NotAllowed, _not_allowed)
    app.add_exception_handler(CsrfRefused, _csrf_refused)


def _console_return(request: Request, company_id: UUID) -> str | None:
    """Where Xero's way back lands a browser signed in to the console: its Connect page."""
    session = parts_of(request).signer.load(
        request.cookies.get(COOKIE_NAME), request.app.state.clock()
    )
    if session is None or session.user_id is None:
        return None
    return f"/companies/{company_id}/connect?done=connected"


async def _sign_in_required(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = "/"  # a form cannot be sent again after signing in
    return redirect(request, f"/sign-in?next={quote(target, safe='/')}")


async def _not_found(request: Request, _: Exception) -> Response:
    context = {"title": "Not found", "message": "There is no such page, or it is not yours."}
    return render(request, "error.html", context, status=404)


async def _not_allowed(request: Request, _: Exception) -> Response:
    context = {
        "title": "Admins only",
        "message": "Only an admin of this company can change this; ask one of its admins.",
    }
    return render(request, "error.html", context, status=403)


async def _csrf_refused(request: Request, _: Exception) -> Response:
    context = {
        "title": "Form expired",
        "message": "This form was not sent from this console's page (or the page is too "
        "old). Go back, reload the page and send it again.",
    }
    return render(request, "error.html", context, status=403)
