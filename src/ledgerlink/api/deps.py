"""Request dependencies: the unit of work, the caller, and their access to a company."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ledgerlink.api.problems import Problem, forbidden, not_found
from ledgerlink.store.records import Role
from ledgerlink.store.uow import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
Clock = Callable[[], datetime]

_bearer = HTTPBearer(auto_error=False, description="An API token from `ledgerlink users add`.")


#: Methods that only read: their unit of work is a reader.
READING_METHODS = frozenset({"GET", "HEAD"})


def get_uow(request: Request) -> Iterator[SqlUnitOfWork]:
    """One unit of work per request; routes call `uow.commit()` when they change data.

    A GET or HEAD only reads: its unit of work is a reader, which on SQLite takes no write
    lock, so a lookup never waits for the worker's writes (nor they for it)."""
    factory: UowFactory = request.app.state.uow_factory
    with factory() as uow:
        if request.method in READING_METHODS:
            uow.read_only()
        yield uow


UowDep = Annotated[SqlUnitOfWork, Depends(get_uow)]


def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


ClockDep = Annotated[Clock, Depends(get_clock)]


@dataclass(frozen=True)
class Caller:
    """Who is calling, and their role in each company their token reaches.

    `scope` is the one company the token was issued for, or None when it reaches every
    company of its owner.
    """

    user_id: UUID
    email: str
    roles: dict[UUID, Role]
    token_id: UUID
    scope: UUID | None = None


def unauthorized(detail: str) -> Problem:
    problem = Problem(401, "Unauthorized", detail)
    return problem


def get_caller(
    request: Request,
    uow: UowDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized(
            "send an API token as 'Authorization: Bearer <token>'; "
            "create one with 'ledgerlink users add EMAIL --company NAME'"
        )
    owner = uow.tokens.find_owner(credentials.credentials)
    if owner is None:
        raise unauthorized("the API token is unknown or revoked; create a new one")
    stale = uow.tokens.use_is_stale(owner.token)  # the last use is stamped once a minute
    if uow.is_reader:
        if stale:  # in a short write of its own, out of the read's way
            factory: UowFactory = request.app.state.uow_factory
            with factory() as writer:
                writer.tokens.stamp_use(owner.token.id)
                writer.commit()
            uow.fresh_read()  # the route's reads see the stamp
    else:  # ends the lookup's transaction: the route may open units of work of its own
        if stale:
            uow.tokens.stamp_use(owner.token.id)
        uow.commit()
    return Caller(
        owner.user.id,
        owner.user.email,
        dict(owner.roles),
        token_id=owner.token.id,
        scope=owner.token.company_id,
    )


CallerDep = Annotated[Caller, Depends(get_caller)]


@dataclass(frozen=True)
class CompanyAccess:
    """The caller may act in `company_id` with `role`."""

    company_id: UUID
    role: Role
    caller: Caller

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def get_company_access(company_id: UUID, caller: CallerDep) -> CompanyAccess:
    role = caller.roles.get(company_id)
    if role is None:
        # Another company's existence is not disclosed: it is simply not found.
        raise not_found(f"company {company_id}")
    return CompanyAccess(company_id, role, caller)


CompanyDep = Annotated[CompanyAccess, Depends(get_company_access)]


def get_admin_access(access: CompanyDep) -> CompanyAccess:
    if not access.is_admin:
        raise forbidden("this needs the admin role in the company; ask one of its admins")
    return access


AdminDep = Annotated[CompanyAccess, Depends(get_admin_access)]
