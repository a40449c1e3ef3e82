"""The list/get/create/update routes every company-scoped resource shares.

Each resource names its repository, its schemas and two functions (build a new
aggregate from a create body; apply an update body); this module wires the routes,
paging, status filters, company scoping and the unit of work around them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import CompanyAccess, CompanyDep, UowDep
from ledgerlink.api.problems import not_found
from ledgerlink.api.schemas.common import MAX_PAGE_SIZE, Page
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.uow import SqlUnitOfWork

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Resource(Generic[A]):
    """One company-scoped resource, e.g. suppliers."""

    path: str  # "/suppliers"
    label: str  # "supplier"
    repository: Callable[[SqlUnitOfWork], AggregateRepository[A]]
    public: type[BaseModel]
    create_body: type[BaseModel]
    update_body: type[BaseModel] | None  # None: not editable, no PATCH route
    create: Callable[[CompanyAccess, Any, SqlUnitOfWork], A]
    update: Callable[[A, Any, SqlUnitOfWork], None] | None
    to_public: Callable[[A], BaseModel] | None = None
    statuses: str = ""  # documented in the list route

    def render(self, aggregate: A) -> BaseModel:
        if self.to_public is not None:
            return self.to_public(aggregate)
        return self.public.model_validate(aggregate)

    def load(self, uow: SqlUnitOfWork, company_id: UUID, item_id: UUID) -> A:
        found = self.repository(uow).get(company_id, item_id)
        if found is None:
            raise not_found(f"{self.label} {item_id}")
        return found


def add_routes(router: APIRouter, resource: Resource[Any]) -> None:
    """List, get, create and update routes for `resource` on `router`."""
    r = resource
    page_model: Any = Page[r.public]  # type: ignore[name-defined]

    def list_items(
        access: CompanyDep,
        uow: UowDep,
        limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
        offset: int = Query(0, ge=0),
        status: str | None = Query(None, description=r.statuses or None),
    ) -> Any:
        repo = r.repository(uow)
        items = repo.list(access.company_id, status=status, limit=limit, offset=offset)
        return page_model(
            data=[r.render(item) for item in items],
            count=repo.count(access.company_id, status=status),
            limit=limit,
            offset=offset,
        )

    def get_item(item_id: UUID, access: CompanyDep, uow: UowDep) -> Any:
        return r.render(r.load(uow, access.company_id, item_id))

    def create_item(body: Any, access: CompanyDep, uow: UowDep) -> Any:
        item = r.create(access, body, uow)
        r.repository(uow).add(item)
        return commit_answering(uow, r.render(item))

    def update_item(item_id: UUID, body: Any, access: CompanyDep, uow: UowDep) -> Any:
        assert r.update is not None
        item = r.load(uow, access.company_id, item_id)
        r.update(item, body, uow)
        return commit_answering(uow, r.render(item))

    create_item.__annotations__["body"] = r.create_body
    plural = r.path.strip("/").replace("-", " ")
    router.add_api_route(
        r.path, list_items, methods=["GET"], response_model=page_model, summary=f"List {plural}"
    )
    router.add_api_route(
        r.path, create_item, methods=["POST"], response_model=r.public, status_code=201,
        summary=f"Create a {r.label}",
    )  # fmt: skip
    router.add_api_route(
        r.path + "/{item_id}", get_item, methods=["GET"], response_model=r.public,
        summary=f"Get a {r.label}",
    )  # fmt: skip
    if r.update_body is not None:
        update_item.__annotations__["body"] = r.update_body
        router.add_api_route(
            r.path + "/{item_id}", update_item, methods=["PATCH"], response_model=r.public,
            summary=f"Change a {r.label}",
        )  # fmt: skip


def add_action(
    router: APIRouter,
    resource: Resource[Any],
    name: str,
    act: Callable[[Any, Any], None],
    body: type[BaseModel] | None = None,
    summary: str = "",
) -> None:
    """`POST {path}/{id}/{name}`: a lifecycle step such as approve or cancel."""
    r = resource

    def run(item_id: UUID, access: CompanyAccess, uow: SqlUnitOfWork, payload: Any) -> Any:
        item = r.load(uow, access.company_id, item_id)
        act(item, payload)
        return commit_answering(uow, r.render(item))

    endpoint: Callable[..., Any]
    if body is None:

        def without_body(item_id: UUID, access: CompanyDep, uow: UowDep) -> Any:
            return run(item_id, access, uow, None)

        endpoint = without_body
    else:

        def with_body(item_id: UUID, payload: Any, access: CompanyDep, uow: UowDep) -> Any:
            return run(item_id, access, uow, payload)

        with_body.__annotations__["payload"] = body
        endpoint = with_body
    router.add_api_route(
        f"{r.path}/{{item_id}}/{name}", endpoint, methods=["POST"], response_model=r.public,
        summary=summary or f"{name.capitalize()} a {r.label}", name=f"{r.label}_{name}",
    )  # fmt: skip
