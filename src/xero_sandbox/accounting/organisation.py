"""`/Organisation` and `/Currencies`."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.context import ledger_of, now_of
from xero_sandbox.accounting.wire import envelope


async def get_organisation(request: Request) -> Response:
    ledger = ledger_of(request)
    return envelope("Organisations", [ledger.organisation], now_of(request))


async def get_currencies(request: Request) -> Response:
    ledger = ledger_of(request)
    return envelope("Currencies", ledger.currencies, now_of(request))


def routes() -> list[Route]:
    return [
        Route("/Organisation", get_organisation, methods=["GET"]),
        Route("/Currencies", get_currencies, methods=["GET"]),
    ]
