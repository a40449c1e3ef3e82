"""Who is at the browser, what they may see, and the CSRF check on every form.

A page of a company the person is not a member of answers 404, as the API does: another
company's existence is not disclosed. Members see; admins change.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request

from ledgerlink.store.records import Company, Role
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.web.parts import parts_of
from ledgerlink.web.session import COOKIE_NAME, ConsoleSession, new_session

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequired(Exception):
    """Nobody is signed in (or their session ended): off to the sign-in page."""


class PageNotFound(Exception):
    """A page that does not exist, or one of a company the person is not in."""


class NotAllowed(Exception):
    """The person may see this but not change it."""


class CsrfRefused(Exception):
    """A form came without the token of this browser's session."""


def get_uow(request: Request) -> Iterator[SqlUnitOfWork]:
    with request.app.state.uow_factory() as uow:
        yield uow


UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]


def browser_session(request: Request) -> ConsoleSession:
    """This browser's session; a new anonymous one (set on the answer) when it has none."""
    found: ConsoleSession | None = getattr(request.state, "console_session", None)
    if found is not None:
        return found
    parts = parts_of(request)
    now = request.app.state.clock()
    found = parts.signer.load(request.cookies.get(COOKIE_NAME), now)
    if found is None:
        found = new_session(now)
        request.state.new_console_session = found
    request.state.console_session = found
    return found


async def check_csrf(request: Request) -> None:
    """Refuse a form (or an htmx call) that does not carry this session's CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = browser_session(request).csrf
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        sent = field if isinstance(field, str) else None
    if sent is None or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


@dataclass(frozen=True)
class Person:
    """Someone signed in, with their role in each of their companies."""

    user_id: UUID
    email: str
    roles: dict[UUID, Role]


def signed_in_person(request: Request, uow: SqlUnitOfWork) -> Person | None:
    session = browser_session(request)
    if session.user_id is None:
        return None
    now = request.app.state.clock()
    if uow.console_sessions.user_of(session.session_id, now) != session.user_id:
        return None  # signed out, or ended by a new password or a membership taken away
    user = uow.users.get(session.user_id)
    if user is None:
        return None
    stamp = parts_of(request).signer.password_stamp(uow.users.password_hash(user.id))
    if not hmac.compare_digest(stamp, session.password_stamp):
        return None  # the password changed since this session began
    return Person(user.id, user.email, uow.users.roles(user.id))


def get_person(request: Request, uow: UowDep) -> Person:
    person = signed_in_person(request, uow)
    if person is None:
        raise SignInRequired()
    request.state.person = person
    return person


PersonDep = Annotated[Person, Depends(get_person)]


@dataclass(frozen=True)
class CompanyPage:
    """A page of one company, seen by a person with ``role`` in it."""

    company: Company
    role: Role
    person: Person

    @property
    def company_id(self) -> UUID:
        return self.company.id

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def get_company_page(
    company_id: str, request: Request, person: PersonDep, uow: UowDep
) -> CompanyPage:
    try:
        wanted = UUID(company_id)
    except ValueError:
        raise PageNotFound() from None
    role = person.roles.get(wanted)
    company = uow.companies.get(wanted) if role is not None else None
    if role is None or company is None:
        raise PageNotFound()
    page = CompanyPage(company, role, person)
    request.state.company_page = page
    return page


CompanyPageDep = Annotated[CompanyPage, Depends(get_company_page)]


def get_admin_page(page: CompanyPageDep) -> CompanyPage:
    if not page.is_admin:
        raise NotAllowed()
    return page


AdminPageDep = Annotated[CompanyPage, Depends(get_admin_page)]
