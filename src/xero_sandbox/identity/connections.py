"""`GET /connections` and `DELETE /connections/{id}` (any letter case of the path)."""

from starlette.requests import Request
from starlette.responses import Response

from xero_sandbox import problems
from xero_sandbox.identity.store import Caller
from xero_sandbox.sandbox_of import sandbox_of


def _caller(request: Request) -> Caller | None:
    sandbox = sandbox_of(request)
    header = request.headers.get("authorization", "")
    if header[:7].lower() != "bearer ":
        return None
    return sandbox.identity.authenticate(header[7:].strip(), sandbox.clock.now())


def _query(request: Request, name: str) -> str | None:
    for key, value in request.query_params.items():
        if key.lower() == name.lower():
            return value
    return None


async def list_connections(request: Request) -> Response:
    """The app's connected organisations, optionally of one `authEventId`."""
    caller = _caller(request)
    if caller is None:
        return problems.unauthorized()
    sandbox = sandbox_of(request)
    if caller.custom_tenant_id is not None:
        connection = sandbox.identity.custom_connection(
            caller, sandbox.tenant_names().get(caller.custom_tenant_id, "")
        )
        return problems.json_response([connection.to_public()])
    found = sandbox.identity.connections(caller.client_id, _query(request, "authEventId"))
    return problems.json_response([connection.to_public() for connection in found])


async def delete_connection(request: Request) -> Response:
    """Disconnect one organisation (204), or 404 when the id is unknown."""
    caller = _caller(request)
    if caller is None:
        return problems.unauthorized()
    sandbox = sandbox_of(request)
    if not sandbox.identity.delete_connection(caller.client_id, request.path_params["id"].lower()):
        return Response("Connection not found", status_code=404)
    sandbox.changed()
    return Response(status_code=204)
