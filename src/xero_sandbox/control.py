"""`/_sandbox/...`: JSON endpoints that tests and people use to steer the sandbox."""

import json
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from xero_sandbox import problems
from xero_sandbox.accounting import Ledger
from xero_sandbox.accounting.credit_void import VOIDABLE, VoidRefused, void_credit
from xero_sandbox.accounting.wire import to_wire
from xero_sandbox.faults import FaultSpecError
from xero_sandbox.orgs_view import organisation_page, organisations_page
from xero_sandbox.sandbox_of import sandbox_of
from xero_sandbox.state import SandboxState

MAX_BULK_SEED = 100_000


class ControlError(Exception):
    """A control request that names the field at fault and the fix."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise ControlError("body", f"must be a JSON object ({error})") from error
    if not isinstance(data, dict):
        raise ControlError("body", "must be a JSON object")
    return data


def _ledger(sandbox: SandboxState, tenant: str) -> Ledger:
    ledger = sandbox.ledgers.get(tenant.lower())
    if ledger is None:
        for candidate in sandbox.ledgers.values():
            if candidate.name == tenant:
                return candidate
        raise ControlError(
            "tenant",
            f"unknown organisation {tenant!r}: use a tenantId from GET /_sandbox/tenants",
            404,
        )
    return ledger


def _count(data: dict[str, Any], name: str) -> int:
    value = data.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BULK_SEED:
        raise ControlError(name, f"must be a whole number from 0 to {MAX_BULK_SEED}, not {value!r}")
    return value


def _date_or_none(data: dict[str, Any], name: str) -> date | None:
    value = data.get(name)
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ControlError(name, f"must be a date as YYYY-MM-DD or null, not {value!r}") from error


def _tenant_json(ledger: Ledger) -> dict[str, Any]:
    lock = ledger.lock_date
    return {
        "tenantId": ledger.tenant_id,
        "name": ledger.name,
        "shortCode": ledger.short_code,
        "lockDate": lock.isoformat() if lock else None,
    }


async def reset(request: Request) -> Response:
    data = await _json_body(request)
    sandbox = sandbox_of(request)
    sandbox.reset(identity=bool(data.get("identity", False)))
    return problems.json_response(
        {"status": "reset", "tenants": [_tenant_json(x) for x in sandbox.ledgers.values()]}
    )


async def seed(request: Request) -> Response:
    data = await _json_body(request)
    sandbox = sandbox_of(request)
    tenant = data.get("tenant")
    if not isinstance(tenant, str):
        raise ControlError("tenant", "is required: a tenantId or organisation name")
    ledger = _ledger(sandbox, tenant)
    counts = {name: _count(data, name) for name in ("contacts", "items", "bills")}
    added = ledger.seed_bulk(sandbox.clock.now(), **counts)
    sandbox.webhooks.enqueue(ledger.tenant_id, ledger.drain_events())
    sandbox.changed()
    return problems.json_response({"tenantId": ledger.tenant_id, "added": added})


async def faults_add(request: Request) -> Response:
    data = await _json_body(request)
    try:
        fault = sandbox_of(request).faults.add(data)
    except FaultSpecError as error:
        raise ControlError(error.field, error.message) from error
    return problems.json_response(fault.to_public(), 201)


async def faults_list(request: Request) -> Response:
    return problems.json_response([f.to_public() for f in sandbox_of(request).faults.armed()])


async def faults_clear(request: Request) -> Response:
    sandbox_of(request).faults.clear()
    return Response(status_code=204)


def _idempotency_json(sandbox: SandboxState) -> dict[str, Any]:
    return {"honourKeys": sandbox.honour_idempotency_keys, "keys": len(sandbox.idempotency)}


async def idempotency(request: Request) -> Response:
    """GET: whether `Idempotency-Key` is honoured; POST `{"honour_keys": false}` ignores it."""
    sandbox = sandbox_of(request)
    if request.method == "POST":
        data = await _json_body(request)
        honour = data.get("honour_keys")
        if not isinstance(honour, bool):
            raise ControlError("honour_keys", f"must be true or false, not {honour!r}")
        sandbox.honour_idempotency_keys = honour
    return problems.json_response(_idempotency_json(sandbox))


async def stats_show(request: Request) -> Response:
    sandbox = sandbox_of(request)
    return problems.json_response(sandbox.stats.to_public(sandbox.tenant_names()))


async def stats_clear(request: Request) -> Response:
    sandbox_of(request).stats.clear()
    return Response(status_code=204)


async def clock(request: Request) -> Response:
    sandbox = sandbox_of(request)
    if request.method == "POST":
        data = await _json_body(request)
        seconds = data.get("advance_seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ControlError(
                "advance_seconds", f"must be a number of seconds >= 0, not {seconds!r}"
            )
        sandbox.clock.advance(float(seconds))
    return problems.json_response({"now": sandbox.clock.now().isoformat()})


async def tenants(request: Request) -> Response:
    sandbox = sandbox_of(request)
    if request.method == "POST":
        data = await _json_body(request)
        name = data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ControlError("name", "is required: the new organisation's name")
        return problems.json_response(_tenant_json(sandbox.add_organisation(name.strip())), 201)
    return problems.json_response([_tenant_json(x) for x in sandbox.ledgers.values()])


async def lock_date(request: Request) -> Response:
    sandbox = sandbox_of(request)
    ledger = _ledger(sandbox, request.path_params["tenant"])
    data = await _json_body(request)
    period = _date_or_none(data, "period_lock_date")
    end_of_year = _date_or_none(data, "end_of_year_lock_date")
    sandbox.set_lock_dates(ledger, period, end_of_year)
    return problems.json_response(_tenant_json(ledger))


def _voider(collection: str) -> Any:
    kind = VOIDABLE[collection]

    async def void(request: Request) -> Response:
        """What a person does in Xero's web app: void an unallocated overpayment or
        prepayment (Xero's API cannot)."""
        await _json_body(request)
        sandbox = sandbox_of(request)
        ledger = _ledger(sandbox, request.path_params["tenant"])
        try:
            credit = void_credit(ledger, kind, request.path_params["id"], sandbox.clock.now())
        except VoidRefused as refused:
            raise ControlError(refused.field, refused.message, refused.status) from refused
        sandbox.changed()
        return problems.json_response({kind.table: [to_wire(credit)]})

    void.__name__ = f"void_{collection}"
    return void


async def webhooks_status(request: Request) -> Response:
    return problems.json_response(sandbox_of(request).webhooks.status())


async def webhooks_configure(request: Request) -> Response:
    data = await _json_body(request)
    url = data.get("url")
    if url is not None and (
        not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https")
    ):
        raise ControlError("url", "must be an absolute http(s) URL, or null to stop webhooks")
    key = data.get("key")
    if key is not None and (not isinstance(key, str) or not key):
        raise ControlError("key", "must be a non-empty string (the webhook signing key)")
    webhooks = sandbox_of(request).webhooks
    await webhooks.configure(url, key)
    return problems.json_response(webhooks.status())


async def intent_to_receive(request: Request) -> Response:
    data = await _json_body(request)
    url = data.get("url")
    if url is not None and not isinstance(url, str):
        raise ControlError("url", "must be the receiver's URL")
    sandbox = sandbox_of(request)
    if url is None and not sandbox.webhooks.enabled:
        raise ControlError("url", 'no --webhook-url is configured: pass {"url": ...}')
    return problems.json_response(await sandbox.webhooks.intent_to_receive(url))


async def orgs(request: Request) -> Response:
    return organisations_page(sandbox_of(request))


async def org(request: Request) -> Response:
    sandbox = sandbox_of(request)
    return organisation_page(_ledger(sandbox, request.path_params["tenant"]))


def _guarded(handler: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        try:
            response: Response = await handler(request)
        except ControlError as error:
            return problems.control_error(error.field, error.message, error.status)
        return response

    endpoint.__name__ = handler.__name__
    return endpoint


def routes() -> list[BaseRoute]:
    """The control routes, to be mounted under `/_sandbox`."""
    table: list[tuple[str, Any, list[str]]] = [
        ("/reset", reset, ["POST"]),
        ("/seed", seed, ["POST"]),
        ("/faults", faults_add, ["POST"]),
        ("/faults", faults_list, ["GET"]),
        ("/faults", faults_clear, ["DELETE"]),
        ("/idempotency", idempotency, ["GET", "POST"]),
        ("/stats", stats_show, ["GET"]),
        ("/stats", stats_clear, ["DELETE"]),
        ("/clock", clock, ["GET", "POST"]),
        ("/tenants", tenants, ["GET", "POST"]),
        ("/tenants/{tenant}/lock-dates", lock_date, ["POST"]),
        *[
            (f"/tenants/{{tenant}}/{name}/{{id}}/void", _voider(name), ["POST"])
            for name in VOIDABLE
        ],
        ("/webhooks", webhooks_status, ["GET"]),
        ("/webhooks", webhooks_configure, ["POST"]),
        ("/webhooks/intent-to-receive", intent_to_receive, ["POST"]),
        ("/orgs", orgs, ["GET"]),
        ("/orgs/{tenant}", org, ["GET"]),
    ]
    return [Route(path, _guarded(handler), methods=methods) for path, handler, methods in table]
