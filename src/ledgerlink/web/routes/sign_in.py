"""Signing in and out, and `/`, which sends a person to their first company."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from ledgerlink.store.passwords import UNUSABLE_HASH, password_matches
from ledgerlink.web.auth import PersonDep, UowDep, browser_session, signed_in_person
from ledgerlink.web.parts import parts_of
from ledgerlink.web.render import redirect, render, set_session_cookie
from ledgerlink.web.session import SESSION_LIFETIME, new_session
from ledgerlink.web.throttle import wait_seconds

router = APIRouter()

WRONG = "That email and password do not match. Check both and try again."


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never another host (`//evil.example`, `https://...`)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/")
def home(request: Request, person: PersonDep, uow: UowDep) -> Response:
    companies = sorted(
        (c for c in (uow.companies.get(cid) for cid in person.roles) if c is not None),
        key=lambda c: c.name.lower(),
    )
    if len(companies) == 1:
        return redirect(request, f"/companies/{companies[0].id}")
    return render(request, "companies.html", {"companies": companies})


@router.get("/sign-in")
def sign_in_page(request: Request, uow: UowDep, next: str | None = None) -> Response:
    if signed_in_person(request, uow) is not None:
        return redirect(request, _safe_next(next))
    return render(request, "sign_in.html", {"next": _safe_next(next), "email": ""})


@router.post("/sign-in")
async def sign_in(
    request: Request,
    uow: UowDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    parts = parts_of(request)
    clean = email.strip().lower()
    # Each failure in a row makes the next try of this email wait longer; the wait holds
    # no transaction (on SQLite one would hold the database's write lock).
    failures = uow.sign_in_failures.failures(clean)
    uow.rollback()
    await parts.sleep(wait_seconds(failures))
    user = uow.users.get_by_email(clean) if clean else None
    stored = uow.users.password_hash(user.id) if user is not None else None
    uow.rollback()
    # argon2 takes tens of milliseconds of CPU on purpose: off the event loop.
    matches = await asyncio.to_thread(password_matches, stored or UNUSABLE_HASH, password)
    now = request.app.state.clock()
    if user is None or stored is None or not matches:
        uow.sign_in_failures.record_failure(clean, now)
        uow.commit()
        context = {"next": _safe_next(next), "email": email, "error": WRONG}
        return render(request, "sign_in.html", context, status=400)
    session = browser_session(request).signed_in(user.id, parts.signer.password_stamp(stored), now)
    uow.sign_in_failures.clear(clean)
    uow.console_sessions.begin(session.session_id, user.id, now, now + SESSION_LIFETIME)
    uow.commit()
    response = redirect(request, _safe_next(next))
    set_session_cookie(request, response, session)
    return response


@router.post("/sign-out")
def sign_out(request: Request, uow: UowDep) -> Response:
    ending = browser_session(request).session_id
    if ending:
        uow.console_sessions.end(ending)
        uow.commit()
    response = redirect(request, "/sign-in?done=signed-out")
    set_session_cookie(request, response, new_session(request.app.state.clock()))
    return response
