"""Every route that needs the admin role, tried by a member of the same company: 403, and
nothing of the company changes. The routes come from the app itself (those depending on
`get_admin_access`), so a route added tomorrow is tried the day it lands."""

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ledgerlink.api.app import create_app
from ledgerlink.api.deps import get_admin_access
from ledgerlink.bootstrap import Container
from ledgerlink.store.records import Role
from tests.integration.api.conftest import Tenant, make_tenant, problem
from tests.integration.api.test_isolation_every_route import (
    OPERATIONS,
    Operation,
    World,
    _call,
    _company_rows,
    _seed_other_company,
    _url,
)


def _needs_admin(dependant: Dependant) -> bool:
    return any(sub.call is get_admin_access or _needs_admin(sub) for sub in dependant.dependencies)


def _routes() -> Iterator[Any]:
    """The app's routes, each with its full path, methods and dependencies (FastAPI keeps
    an included router whole and gives its routes with their prefix on asking)."""
    app = create_app(lambda: None)  # type: ignore[arg-type,return-value]
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()


def _admin_only() -> set[tuple[str, str]]:
    return {
        (method, route.path)
        for route in _routes()
        if _needs_admin(route.dependant)
        for method in route.methods
    }


ADMIN_ONLY = _admin_only()
ADMIN_OPERATIONS = [op for op in OPERATIONS if (op.method, op.path) in ADMIN_ONLY]
PREFIX = "/api/v1/companies/{company_id}"
# The writes the README gives to admins alone: a route losing its check fails here.
MUST_NEED_ADMIN = [
    ("POST", f"{PREFIX}/xero/pull"),
    ("GET", f"{PREFIX}/xero/pull/{{job_id}}"),
    ("POST", f"{PREFIX}/xero/exports"),
    ("GET", f"{PREFIX}/xero/exports"),
    ("POST", f"{PREFIX}/sync/reconcile"),
    ("POST", f"{PREFIX}/xero/imports"),
    ("PUT", f"{PREFIX}/xero/settings"),
    ("DELETE", f"{PREFIX}/xero"),
    ("POST", f"{PREFIX}/bills/{{document_id}}/attachments"),
    ("DELETE", f"{PREFIX}/bills/{{document_id}}/attachments/{{file_id}}"),
    ("POST", f"{PREFIX}/bills/{{document_id}}/notes"),
]


def test_the_admin_writes_of_the_readme_need_the_admin_role() -> None:
    assert [op for op in MUST_NEED_ADMIN if op not in ADMIN_ONLY] == []


@pytest.fixture
def members_world(client: TestClient, container: Container, other: Tenant) -> Iterator[World]:
    records = _seed_other_company(client, container, other)
    member = make_tenant(container, "Globex Corp", "viewer@globex.test", Role.MEMBER)
    with container.uow() as uow:
        user_ids = [str(u.id) for u, _ in uow.users.members(UUID(other.company_id))]
    before = _company_rows(container, other.company_id, user_ids)
    yield World(client, container, member, other, records)
    after = _company_rows(container, other.company_id, user_ids)
    assert [name for name in before if before[name] != after[name]] == []


@pytest.mark.parametrize("op", ADMIN_OPERATIONS, ids=lambda op: op.id)
def test_a_member_gets_403_and_changes_nothing(members_world: World, op: Operation) -> None:
    world = members_world
    answer: Any = _call(world, op, _url(op, world.b.company_id, world.b_records))
    body = problem(answer, 403)
    assert "admin" in body["detail"]
