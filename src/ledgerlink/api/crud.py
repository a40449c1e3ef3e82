"""The list/get/create/update routes every company-scoped resource shares.

Each resource names its repository, its schemas and two functions (build a new
aggregate from a create body; apply an update body); this module wires the routes,
paging, status filters, company scoping and the unit of work around them.
"""

import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, Union, get_args, get_origin
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from ledgerlink.api.commit import commit_answering
from ledgerlink.api.deps import CompanyAccess, CompanyDep, UowDep
from ledgerlink.api.etags import IfMatch, check_if_match, set_etag, tagged
from ledgerlink.api.problems import Problem, not_found
from ledgerlink.api.schemas.common import MAX_OFFSET, MAX_PAGE_SIZE, FieldMessage, Page
from ledgerlink.api.status_filter import stored_status
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
    statuses: tuple[str, ...] = ()  # the stored statuses the list route filters by
    # Update fields that may not be null although a create body may leave them null.
    not_nullable: frozenset[str] = frozenset()
    # Refuses (422) what may not be stored as it is; returns warnings for the answer.
    check: Callable[[A, SqlUnitOfWork], list[dict[str, str]]] | None = None

    def render(self, aggregate: A) -> BaseModel:
        if self.to_public is not None:
            return self.to_public(aggregate)
        return self.public.model_validate(aggregate)

    def checked(self, aggregate: A, uow: SqlUnitOfWork) -> BaseModel:
        """`aggregate` rendered once `check` passed, with its warnings."""
        warnings = self.check(aggregate, uow) if self.check is not None else []
        rendered = self.render(aggregate)
        if warnings:
            rendered.warnings = [FieldMessage(**w) for w in warnings]  # type: ignore[attr-defined]
        return rendered

    def load(self, uow: SqlUnitOfWork, company_id: UUID, item_id: UUID, *, lock: bool = False) -> A:
        found = self.repository(uow).get(company_id, item_id, lock=lock)
        if found is None:
            raise not_found(f"{self.label} {item_id}")
        return found

    def clearable(self) -> frozenset[str]:
        """The update fields that may be sent as null to clear them: those a create body
        may leave null (e.g. `due_date`), not those it requires or fills (e.g. `date`)."""
        if self.update_body is None:
            return frozenset()
        create_fields = self.create_body.model_fields
        return frozenset(
            name
            for name in self.update_body.model_fields
            if name in create_fields
            and name not in self.not_nullable
            and not create_fields[name].is_required()
            and create_fields[name].default is None
            and _admits_none(create_fields[name].annotation)
        )


def _admits_none(annotation: Any) -> bool:
    if annotation is None or annotation is type(None):
        return True
    if get_origin(annotation) in (Union, types.UnionType):
        return any(_admits_none(arg) for arg in get_args(annotation))
    return False


def refuse_nulls(body: BaseModel, clearable: frozenset[str]) -> None:
    """Refuse (422) the fields sent as null that cannot be cleared, naming each."""
    message = "may not be null; leave it out to keep the current value"
    refused = sorted(
        name
        for name in body.model_fields_set
        if getattr(body, name) is None and name not in clearable
    )
    if refused:
        raise Problem(
            422,
            "Validation failed",
            "; ".join(f"{name}: {message}" for name in refused),
            [{"field": name, "message": message} for name in refused],
        )


def add_routes(router: APIRouter, resource: Resource[Any]) -> None:
    """List, get, create and update routes for `resource` on `router`."""
    r = resource
    page_model: Any = Page[r.public]  # type: ignore[name-defined]

    def list_items(
        access: CompanyDep,
        uow: UowDep,
        limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
        offset: int = Query(0, ge=0, le=MAX_OFFSET),
        status: str | None = Query(
            None,
            description="Only those of this status (either letter case).",
            json_schema_extra={"enum": [s.lower() for s in r.statuses]} if r.statuses else None,
        ),
    ) -> Any:
        repo = r.repository(uow)
        status = stored_status(status, r.statuses)
        items = repo.list(access.company_id, status=status, limit=limit, offset=offset)
        return page_model(
            data=[r.render(item) for item in items],
            count=repo.count(access.company_id, status=status),
            limit=limit,
            offset=offset,
        )

    def get_item(item_id: UUID, access: CompanyDep, uow: UowDep, response: Response) -> Any:
        item = r.load(uow, access.company_id, item_id)
        set_etag(response, item.version)
        return r.render(item)

    def create_item(body: Any, access: CompanyDep, uow: UowDep, response: Response) -> Any:
        item = r.create(access, body, uow)
        rendered = r.checked(item, uow)
        r.repository(uow).add(item)
        set_etag(response, item.version)
        return commit_answering(uow, rendered)

    clearable = r.clearable()

    def update_item(
        item_id: UUID,
        body: Any,
        access: CompanyDep,
        uow: UowDep,
        response: Response,
        if_match: IfMatch = None,
    ) -> Any:
        assert r.update is not None
        refuse_nulls(body, clearable)
        item = r.load(uow, access.company_id, item_id)
        check_if_match(if_match, f"{r.label} {item_id}", item.version)
        r.update(item, body, uow)
        rendered = r.checked(item, uow)
        set_etag(response, item.version)
        return commit_answering(uow, rendered)

    create_item.__annotations__["body"] = r.create_body
    plural = r.path.strip("/").replace("-", " ")
    router.add_api_route(
        r.path, list_items, methods=["GET"], response_model=page_model, summary=f"List {plural}"
    )
    router.add_api_route(
        r.path, create_item, methods=["POST"], response_model=r.public, status_code=201,
        summary=f"Create a {r.label}", responses=tagged(201, stale=False),
    )  # fmt: skip
    router.add_api_route(
        r.path + "/{item_id}", get_item, methods=["GET"], response_model=r.public,
        summary=f"Get a {r.label}", responses=tagged(stale=False),
    )  # fmt: skip
    if r.update_body is not None:
        update_item.__annotations__["body"] = r.update_body
        router.add_api_route(
            r.path + "/{item_id}", update_item, methods=["PATCH"], response_model=r.public,
            summary=f"Change a {r.label}", responses=tagged(),
            description="Send only the fields to change. A field that may be empty is "
            "cleared by sending null; null on a required field is refused (422).",
        )  # fmt: skip


def add_action(
    router: APIRouter,
    resource: Resource[Any],
    name: str,
    act: Callable[[Any, Any], None],
    body: type[BaseModel] | None = None,
    summary: str = "",
    *,
    checked: bool = False,
) -> None:
    """`POST {path}/{id}/{name}`: a lifecycle step such as approve or cancel; when
    `checked`, the resource's `check` runs after the step (e.g. submit and approve)."""
    r = resource

    def run(
        item_id: UUID,
        access: CompanyAccess,
        uow: SqlUnitOfWork,
        payload: Any,
        response: Response,
        if_match: str | None,
    ) -> Any:
        item = r.load(uow, access.company_id, item_id)
        check_if_match(if_match, f"{r.label} {item_id}", item.version)
        act(item, payload)
        rendered = r.checked(item, uow) if checked else r.render(item)
        set_etag(response, item.version)
        return commit_answering(uow, rendered)

    endpoint: Callable[..., Any]
    if body is None:

        def without_body(
            item_id: UUID,
            access: CompanyDep,
            uow: UowDep,
            response: Response,
            if_match: IfMatch = None,
        ) -> Any:
            return run(item_id, access, uow, None, response, if_match)

        endpoint = without_body
    else:

        def with_body(
            item_id: UUID,
            payload: Any,
            access: CompanyDep,
            uow: UowDep,
            response: Response,
            if_match: IfMatch = None,
        ) -> Any:
            return run(item_id, access, uow, payload, response, if_match)

        with_body.__annotations__["payload"] = body
        endpoint = with_body
    router.add_api_route(
        f"{r.path}/{{item_id}}/{name}", endpoint, methods=["POST"], response_model=r.public,
        summary=summary or f"{name.capitalize()} a {r.label}", name=f"{r.label}_{name}",
        responses=tagged(),
    )  # fmt: skip
