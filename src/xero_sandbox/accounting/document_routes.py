"""The routes invoices, credit notes and purchase orders share: GET one by ID or number,
PUT creates, POST creates or updates, and POST to one document updates it."""

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import ledger_of, now_of, query_param
from xero_sandbox.accounting.documents import present
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.wire import envelope, not_found

Finder = Callable[[Ledger, str], Record | None]
PlannerFor = Callable[[Request, bool], Callable[[dict[str, Any]], Plan]]
Endpoint = Callable[[Request], Any]


def unit_dp(request: Request) -> int:
    """`unitdp=4` opts in to four-decimal unit amounts."""
    return 4 if query_param(request, "unitdp") == "4" else 2


def document_routes(
    table: str, id_field: str, find: Finder, planner: PlannerFor, list_documents: Endpoint
) -> list[Route]:
    """`/{table}` and `/{table}/{id_field}`; `planner(request, may_update)` plans one element."""

    async def get_document(request: Request) -> Response:
        document = find(ledger_of(request), request.path_params[id_field])
        if document is None:
            return not_found()
        return envelope(
            table, present(ledger_of(request), [document], unit_dp(request)), now_of(request)
        )

    async def create_documents(request: Request) -> Response:
        return await run_batch(request, table, planner(request, False), now_of(request))

    async def save_documents(request: Request) -> Response:
        return await run_batch(request, table, planner(request, True), now_of(request))

    async def update_document(request: Request) -> Response:
        document = find(ledger_of(request), request.path_params[id_field])
        if document is None:
            await request.body()
            return not_found()
        plan = planner(request, True)
        return await run_batch(
            request,
            table,
            lambda element: plan({**element, id_field: document[id_field]}),
            now_of(request),
        )

    one = f"/{table}/{{{id_field}}}"
    return [
        Route(f"/{table}", list_documents, methods=["GET"]),
        Route(f"/{table}", create_documents, methods=["PUT"]),
        Route(f"/{table}", save_documents, methods=["POST"]),
        Route(one, get_document, methods=["GET"]),
        Route(one, update_document, methods=["POST"]),
    ]
