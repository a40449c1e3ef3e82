"""Users (admins): who is in the company with which role; add, change role, remove.

Adding someone never creates a credential for the admin: the person signs in with their
own password (`ledgerlink users set-password`) and uses their own API tokens.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from ledgerlink.domain.errors import DomainError
from ledgerlink.store.records import Role
from ledgerlink.web.auth import AdminPageDep, PageNotFound, UowDep
from ledgerlink.web.render import redirect, render

router = APIRouter()

LAST_ADMIN = "This is the company's last admin: make another person admin first."


def _page(
    request: Request, page: AdminPageDep, uow: UowDep, error: str | None = None, email: str = ""
) -> Response:
    context = {
        "current": "Users",
        "members": uow.users.members(page.company_id),
        "roles": [r.value for r in Role],
        "error": error,
        "email": email,
    }
    return render(request, "users.html", context, status=400 if error else 200)


def _role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


def _member(page: AdminPageDep, uow: UowDep, user_id: str) -> tuple[UUID, dict[UUID, Role]]:
    members = {user.id: role for user, role in uow.users.members(page.company_id)}
    try:
        wanted = UUID(user_id)
    except ValueError:
        raise PageNotFound() from None
    if wanted not in members:
        raise PageNotFound()
    return wanted, members


def _is_last_admin(members: dict[UUID, Role], user_id: UUID) -> bool:
    return [uid for uid, role in members.items() if role is Role.ADMIN] == [user_id]


@router.get("/companies/{company_id}/users")
def users_page(request: Request, page: AdminPageDep, uow: UowDep) -> Response:
    return _page(request, page, uow)


@router.post("/companies/{company_id}/users")
def add_user(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=20)] = "member",
) -> Response:
    chosen = _role(role)
    if chosen is None:
        return _page(request, page, uow, "Role: choose admin or member.", email)
    try:
        user = uow.users.get_by_email(email) or uow.users.add(email)
    except DomainError as error:
        return _page(request, page, uow, f"Email: {error.message}.", email)
    uow.users.grant(user.id, page.company_id, chosen)
    uow.commit()
    return redirect(request, f"/companies/{page.company_id}/users?done=user-added")


@router.post("/companies/{company_id}/users/{user_id}/role")
def change_role(
    request: Request,
    page: AdminPageDep,
    uow: UowDep,
    user_id: str,
    role: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    wanted, members = _member(page, uow, user_id)
    chosen = _role(role)
    if chosen is None:
        return _page(request, page, uow, "Role: choose admin or member.")
    if chosen is not Role.ADMIN and _is_last_admin(members, wanted):
        return _page(request, page, uow, LAST_ADMIN)
    uow.users.grant(wanted, page.company_id, chosen)
    uow.commit()
    return redirect(request, f"/companies/{page.company_id}/users?done=user-changed")


@router.post("/companies/{company_id}/users/{user_id}/remove")
def remove_user(request: Request, page: AdminPageDep, uow: UowDep, user_id: str) -> Response:
    wanted, members = _member(page, uow, user_id)
    if _is_last_admin(members, wanted):
        return _page(request, page, uow, LAST_ADMIN)
    uow.users.revoke(wanted, page.company_id)
    uow.tokens.revoke_all(wanted, company_id=page.company_id)
    uow.commit()
    return redirect(request, f"/companies/{page.company_id}/users?done=user-removed")
