"""Every route of the API, tried by one company's admin against another company.

The routes come from the app's own OpenAPI, so a route added tomorrow is tried the
day it lands; a route this suite cannot place (a new collection, a new kind of path
parameter) fails `test_every_route_is_placed` until it is given its rule here.

Company A's admin attacks company B three ways, for every operation:
- B's company in the URL (every route under /companies/{company_id}): 404.
- A's company in the URL and B's record ids in the path: 404.
- A's company in the URL and B's record ids in the body: refused (4xx).
After all of it, every row that belongs to B is as it was, no answer carried one of
B's record ids, and no token handed out by any answer reaches B.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text

from ledgerlink.bootstrap import Container
from ledgerlink.domain.supplier_credit import SupplierCredit
from ledgerlink.store.records import Role
from ledgerlink.store.repositories.export_jobs import ExportJob, ExportJobRepository
from ledgerlink.store.repositories.import_jobs import ImportJob, ImportJobRepository
from ledgerlink.store.repositories.pull_jobs import PullJob, PullJobRepository
from ledgerlink.store.tables import metadata
from tests.integration.api.conftest import Tenant, make_tenant

COMPANY_PREFIX = "/api/v1/companies/{company_id}"

# Routes outside a company, and why each needs no company rule.
NOT_COMPANY_SCOPED = {
    "/api/v1/companies": "lists only the caller's own companies (tested below)",
    "/xero/callback": "Xero's redirect; its state names the company (tested with the connect flow)",
}
# The caller's own things (tokens, profile): tried for leaks of B's ids, not for 404.
CALLERS_OWN = re.compile(r"^/api/v1/me(/|$)")

# A path parameter -> which of B's records fills it, by the collection before it.
COLLECTION_RECORD = {
    "suppliers": "supplier",
    "customers": "customer",
    "items": "item",
    "purchase-orders": "purchase_order",
    "bills": "bill",
    "invoices": "invoice",
    "credit-notes": "credit_note",
    "payments": "payment",
    "refunds": "refund",
    "store-credits": "store_credit",
    "supplier-credits": "supplier_credit",
    "users": "user",
    "imports": "import_job",
    "exports": "export_job",
    "pull": "pull_job",
    "tokens": "token",
    "attachments": "file",
    "stock-takes": "stock_take",
}
# Body fields that name a record, and which of B's records to put there.
BODY_REFERENCES = {
    "supplier_id": "supplier",
    "customer_id": "customer",
    "party_id": "supplier",
    "purchase_order_id": "purchase_order",
    "credited_document_id": "bill",
    "document_id": "bill",
    "invoice_id": "invoice",
    "company_id": "company",
    "item_code": "item_code",
    "item_id": "item",
}
# Adding a person to a company names them by email: B's admin's, in the attack.
PEOPLE_REFERENCES = {**BODY_REFERENCES, "email": "email"}
# Path parameters that are not ids: a value every such route accepts.
NAMED_PARAMETERS = {"kind": "bill"}
REMOTE_KIND = "suppliers"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    body_schema: dict[str, Any] | None
    multipart: bool = False

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class World:
    client: TestClient
    container: Container
    a: Tenant
    b: Tenant
    b_records: dict[str, str]


def _spec() -> dict[str, Any]:
    from ledgerlink.api.app import create_app

    spec: dict[str, Any] = create_app(lambda: None).openapi()  # type: ignore[arg-type,return-value]
    return spec


SPEC = _spec()


def _operations() -> list[Operation]:
    found = []
    for path, methods in SPEC["paths"].items():
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            multipart = "multipart/form-data" in content
            found.append(Operation(method.upper(), path, schema, multipart))
    return found


OPERATIONS = _operations()
SCOPED = [op for op in OPERATIONS if op.path.startswith(COMPANY_PREFIX)]
WITH_IDS = [
    op
    for op in SCOPED
    if set(re.findall(r"\{(\w+)\}", op.path)) - {"company_id", *NAMED_PARAMETERS}
]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = SPEC["components"]["schemas"][name]
    return schema


def _references(op: Operation) -> dict[str, str]:
    return PEOPLE_REFERENCES if op.path.endswith("/users") else BODY_REFERENCES


def _value(name: str, schema: dict[str, Any], records: dict[str, str], refs: dict[str, str]) -> Any:
    """A value that passes `schema`, with B's record in every field that names one."""
    schema = _resolve(schema)
    if name in refs:
        return records[refs[name]]
    for choice in schema.get("anyOf", []) + schema.get("oneOf", []):
        if _resolve(choice).get("type") != "null":
            return _value(name, choice, records, refs)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        required = schema.get("required", [])
        props = schema.get("properties", {})
        return {key: _value(key, props[key], records, refs) for key in required}
    if kind == "array":
        # One element when it can name a record (a line's item, an allocation's document).
        element = _resolve(schema.get("items", {}))
        if set(element.get("properties", {})) & set(refs):
            one = _value(name, element, records, refs)
            for key in set(element["properties"]) & set(refs):
                one[key] = records[refs[key]]
            return [one]
        return []
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return "1"
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-11-02"
    if schema.get("format") == "uuid":
        return records["company"]
    return "x"


def _body(op: Operation, records: dict[str, str]) -> Any:
    if op.body_schema is None:
        return None
    refs = _references(op)
    body = _value("body", op.body_schema, records, refs)
    # Reference fields are filled even when optional: they are what is attacked.
    props = _resolve(op.body_schema).get("properties", {})
    for key in props:
        if key in refs and isinstance(body, dict):
            body[key] = records[refs[key]]
    return body


def _record_for(path: str, parameter: str, records: dict[str, str]) -> str:
    if parameter in NAMED_PARAMETERS:
        return REMOTE_KIND if path.endswith("/remote/{kind}") else NAMED_PARAMETERS[parameter]
    segments = path.split("/")
    before = segments[segments.index("{" + parameter + "}") - 1]
    if parameter == "document_id":
        return records["bill"]
    return records[COLLECTION_RECORD[before]]


def _url(op: Operation, company_id: str, records: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return company_id if name == "company_id" else _record_for(op.path, name, records)

    return re.sub(r"\{(\w+)\}", fill, op.path)


def _call(world: World, op: Operation, url: str) -> Any:
    body = _body(op, world.b_records)
    kwargs: dict[str, Any] = {"headers": world.a.headers}
    if body is not None:
        kwargs["json"] = body
    if op.multipart:
        kwargs["files"] = {"file": ("attack.pdf", b"%PDF-1.4 attack", "application/pdf")}
    return world.client.request(op.method, url, **kwargs)


def _company_rows(container: Container, company_id: str, user_ids: list[str]) -> dict[str, Any]:
    """Every row that belongs to the company or its people, as plain values."""
    engine = container.engine
    rows: dict[str, Any] = {}
    present = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            columns = [c for c in table.columns if c.name != "last_used_at"]
            if "company_id" in table.c:
                where = table.c.company_id == UUID(company_id)
            elif "user_id" in table.c:
                where = table.c.user_id.in_([UUID(u) for u in user_ids])
            elif table.name == "users":
                where = table.c.id.in_([UUID(u) for u in user_ids])
            else:
                continue
            found = connection.execute(select(*columns).where(where)).all()
            rows[table.name] = sorted(repr(tuple(r)) for r in found)
        rows["companies"] = repr(
            connection.execute(text("SELECT * FROM companies WHERE id = :id"), {"id": company_id})
            .mappings()
            .all()
        )
    return rows


def _seed_other_company(client: TestClient, container: Container, b: Tenant) -> dict[str, str]:
    """B with one record of every kind the API holds, made as B's admin makes them."""

    def post(path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = client.post(b.url(path), json=body, headers=b.headers)
        assert response.status_code in (200, 201), (path, response.text)
        found: dict[str, Any] = response.json()
        return found

    supplier = post("/suppliers", {"name": "Initech Supplies"})
    customer = post("/customers", {"name": "Initrode"})
    item = post("/items", {"code": "SECRET-1", "name": "Secret widget"})
    tracked = {"code": "SECRET-2", "name": "Secret stock", "purchase_account_code": "310",
               "is_tracked_as_inventory": True, "inventory_asset_account_code": "630"}  # fmt: skip
    stock_take = post(
        "/stock-takes",
        {"item_id": post("/items", tracked)["id"], "date": "2026-11-02",
         "counted_quantity": "4", "reason": "Secret count"},
    )  # fmt: skip
    line = {"description": "Goods", "quantity": "1", "unit_price": "100.00", "account_code": "400"}
    purchase_order = post(
        "/purchase-orders",
        {"supplier_id": supplier["id"], "date": "2026-11-02", "currency": "NZD", "lines": [line]},
    )
    bill = post(
        "/bills",
        {
            "supplier_id": supplier["id"],
            "date": "2026-11-02",
            "due_date": "2026-12-02",
            "currency": "NZD",
            "lines": [line],
        },
    )
    post(f"/bills/{bill['id']}/submit")
    post(f"/bills/{bill['id']}/approve")
    invoice = post(
        "/invoices",
        {
            "customer_id": customer["id"],
            "date": "2026-11-02",
            "due_date": "2026-12-02",
            "currency": "NZD",
            "lines": [{**line, "account_code": "200"}],
        },
    )
    credit_note = post(
        "/credit-notes",
        {
            "kind": "purchase",
            "party_id": supplier["id"],
            "date": "2026-11-03",
            "currency": "NZD",
            "lines": [{**line, "unit_price": "10.00"}],
        },
    )
    payment = post(
        "/payments",
        {
            "date": "2026-11-10",
            "amount": "40.00",
            "currency": "NZD",
            "bank_account_code": "090",
            "allocations": [{"document_id": bill["id"], "amount": "40.00"}],
        },
    )
    credit = {"customer_id": customer["id"], "date": "2026-11-04", "currency": "NZD"}
    refund = post("/refunds", {**credit, "amount": "5.00"})
    store_credit = post("/store-credits", {**credit, "amount": "6.00"})
    file = client.post(
        b.url(f"/bills/{bill['id']}/attachments"),
        files={"file": ("secret.pdf", b"%PDF-1.4 secret", "application/pdf")},
        headers=b.headers,
    )
    assert file.status_code == 201, file.text
    post(f"/bills/{bill['id']}/notes", {"text": "Secret note"})
    member = make_tenant(container, "Globex Corp", "clerk@globex.test", Role.MEMBER)
    with container.uow() as uow:
        job = ImportJob(
            company_id=UUID(b.company_id),
            kind="suppliers",
            mode="all",
            created_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        )
        ImportJobRepository(uow.session).add(job)
        pull = PullJob(
            company_id=UUID(b.company_id), created_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
        )
        PullJobRepository(uow.session).add(pull)
        export = ExportJob(
            company_id=UUID(b.company_id),
            kind="customers",
            created_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC),
        )
        ExportJobRepository(uow.session).add(export)
        supplier_credit = SupplierCredit(
            company_id=UUID(b.company_id), supplier_id=UUID(supplier["id"]), source="prepayment",
            date=dt.date(2026, 11, 5), amount=Decimal("7.00"), currency="NZD",
        )  # fmt: skip
        uow.supplier_credits.add(supplier_credit)
        users = uow.users.members(UUID(b.company_id))
        tokens = uow.tokens.list(users[0][0].id)
        uow.commit()
    clerk = next(user for user, _ in users if user.email == "clerk@globex.test")
    assert member.token
    return {
        "company": b.company_id,
        "supplier": supplier["id"],
        "customer": customer["id"],
        "item": item["id"],
        "item_code": "SECRET-1",
        "purchase_order": purchase_order["id"],
        "bill": bill["id"],
        "invoice": invoice["id"],
        "credit_note": credit_note["id"],
        "payment": payment["id"],
        "refund": refund["id"],
        "store_credit": store_credit["id"],
        "supplier_credit": str(supplier_credit.id),
        "user": str(clerk.id),
        "email": "admin@globex.test",
        "import_job": str(job.id),
        "pull_job": str(pull.id),
        "export_job": str(export.id),
        "token": str(tokens[0].id),
        "file": file.json()["id"],
        "stock_take": stock_take["id"],
    }


@pytest.fixture
def world(client: TestClient, container: Container, admin: Tenant, other: Tenant) -> World:
    records = _seed_other_company(client, container, other)
    return World(client, container, admin, other, records)


@pytest.fixture
def guarded(world: World) -> Iterator[World]:
    """The world, checked afterwards: B's rows unchanged, no token of any answer reaches B."""
    with world.container.uow() as uow:
        user_ids = [str(u.id) for u, _ in uow.users.members(UUID(world.b.company_id))]
    before = _company_rows(world.container, world.b.company_id, user_ids)
    yield world
    after = _company_rows(world.container, world.b.company_id, user_ids)
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"company B's rows changed in: {changed}"


def _assert_no_leak(world: World, op: Operation, response: Any) -> None:
    """A successful answer carries none of B's record ids and no token that reaches B."""
    if not 200 <= response.status_code < 300 or not response.content:
        return
    payload = response.text
    secret_ids = {
        key: value
        for key, value in world.b_records.items()
        if key not in ("email", "user", "item_code")
    }
    leaked = [key for key, value in secret_ids.items() if value in payload]
    assert not leaked, f"{op.id} answered with company B's {leaked}"
    for token in re.findall(r"ll_[A-Za-z0-9_\-]{20,}", payload):
        reach = world.client.get(
            world.b.url("/suppliers"), headers={"Authorization": f"Bearer {token}"}
        )
        assert reach.status_code in (401, 404), f"{op.id} handed out a token that reaches B"


def test_every_route_is_placed() -> None:
    """Each route is company-scoped, the caller's own, or listed with its reason."""
    unplaced = [
        op.id
        for op in OPERATIONS
        if not op.path.startswith(COMPANY_PREFIX)
        and op.path not in NOT_COMPANY_SCOPED
        and not CALLERS_OWN.match(op.path)
    ]
    assert not unplaced, f"give these routes an isolation rule: {unplaced}"
    records = dict.fromkeys([*COLLECTION_RECORD.values(), "company", "bill"], "id")
    for op in WITH_IDS:
        for name in re.findall(r"\{(\w+)\}", op.path):
            if name != "company_id":
                _record_for(op.path, name, records)  # KeyError: a new kind of id


@pytest.mark.parametrize("op", SCOPED, ids=lambda op: op.id)
def test_another_company_in_the_url_is_not_found(guarded: World, op: Operation) -> None:
    world = guarded
    response = _call(world, op, _url(op, world.b.company_id, world.b_records))
    assert response.status_code == 404, f"{op.id}: {response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("op", WITH_IDS, ids=lambda op: op.id)
def test_another_companys_record_through_ones_own_company_is_not_found(
    guarded: World, op: Operation
) -> None:
    world = guarded
    response = _call(world, op, _url(op, world.a.company_id, world.b_records))
    assert response.status_code in (404, 422), f"{op.id}: {response.status_code} {response.text}"
    if response.status_code == 422:
        # Refused before the lookup: only acceptable when the body is what is at fault.
        fields = [e["field"] for e in response.json().get("errors", [])]
        assert fields and all(not f.startswith(("item_id", "user_id")) for f in fields), fields
    _assert_no_leak(world, op, response)


BODY_ATTACKS = [
    op
    for op in SCOPED
    if op not in WITH_IDS
    and op.body_schema is not None
    and set(_resolve(op.body_schema).get("properties", {})) & set(_references(op))
]


@pytest.mark.parametrize("op", BODY_ATTACKS, ids=lambda op: op.id)
def test_another_companys_record_in_a_body_is_refused(guarded: World, op: Operation) -> None:
    world = guarded
    response = _call(world, op, _url(op, world.a.company_id, world.b_records))
    _assert_no_leak(world, op, response)
    if op.path.endswith("/users"):
        # Adding a person by email is allowed; handing out their credential is not.
        assert response.status_code in (200, 201, 409, 422), response.text
        return
    assert 400 <= response.status_code < 500, f"{op.id}: {response.status_code} {response.text}"


def test_the_company_list_shows_only_ones_own(world: World) -> None:
    listed = world.client.get("/api/v1/companies", headers=world.a.headers)
    assert listed.status_code == 200
    assert world.b.company_id not in listed.text


@pytest.mark.parametrize(
    "op", [op for op in OPERATIONS if CALLERS_OWN.match(op.path)], ids=lambda op: op.id
)
def test_the_callers_own_routes_never_show_another_company(guarded: World, op: Operation) -> None:
    world = guarded
    url = re.sub(r"\{(\w+)\}", lambda m: _record_for(op.path, m.group(1), world.b_records), op.path)
    response = _call(world, op, url)
    assert response.status_code < 500, response.text
    _assert_no_leak(world, op, response)
