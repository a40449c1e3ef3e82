"""`/Overpayments` and `/Prepayments`: read them and allocate them to invoices. Credit notes
use the same allocation routes."""

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import filtered_page
from xero_sandbox.accounting.settlement import (
    OVERPAYMENT,
    PREPAYMENT,
    CreditKind,
    Reservations,
    allocate,
    plan_allocation,
    remove_allocation,
)
from xero_sandbox.accounting.wire import bad_request, envelope, json_response, not_found, to_wire


def allocation_routes(
    kind: CreditKind, find: Callable[[Ledger, str], Record | None]
) -> list[Route]:
    """PUT allocates a credit to invoices; DELETE takes one allocation back."""
    base = f"/{kind.table}/{{{kind.id_field}}}/Allocations"

    async def create_allocations(request: Request) -> Response:
        ledger, now = ledger_of(request), now_of(request)
        credit = find(ledger, request.path_params[kind.id_field])
        if credit is None:
            await request.body()
            return not_found()

        reservations = Reservations()

        def plan(element: dict[str, Any]) -> Plan:
            allocation = plan_allocation(ledger, kind, credit, element, now, reservations)
            return lambda: allocate(ledger, kind, credit, allocation, now)

        return await run_batch(request, "Allocations", plan, now)

    async def delete_allocation(request: Request) -> Response:
        ledger, now = ledger_of(request), now_of(request)
        credit = find(ledger, request.path_params[kind.id_field])
        removed = (
            remove_allocation(ledger, kind, credit, request.path_params["AllocationID"], now)
            if credit is not None
            else None
        )
        # Xero answers a deleted allocation with the bare Allocation, not an envelope.
        return not_found() if removed is None else json_response(to_wire(removed))

    return [
        Route(base, create_allocations, methods=["PUT"]),
        Route(base + "/{AllocationID}", delete_allocation, methods=["DELETE"]),
    ]


def _routes_for(kind: CreditKind) -> list[Route]:
    base = f"/{kind.table}/{{{kind.id_field}}}"

    async def list_credits(request: Request) -> Response:
        try:
            table = ledger_of(request).tables[kind.table]
            records, extra = filtered_page(request, table.values(), kind.id_field)
        except BadRequest as error:
            return bad_request(str(error))
        return envelope(kind.table, records, now_of(request), extra)

    async def get_credit(request: Request) -> Response:
        credit = (
            ledger_of(request).tables[kind.table].get(request.path_params[kind.id_field].lower())
        )
        return not_found() if credit is None else envelope(kind.table, [credit], now_of(request))

    return [
        Route(f"/{kind.table}", list_credits, methods=["GET"]),
        Route(base, get_credit, methods=["GET"]),
        *allocation_routes(kind, lambda ledger, key: ledger.tables[kind.table].get(key.lower())),
    ]


def routes() -> list[Route]:
    return [*_routes_for(OVERPAYMENT), *_routes_for(PREPAYMENT)]
