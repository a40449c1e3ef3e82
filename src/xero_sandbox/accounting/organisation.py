"""`/Organisation` and `/Currencies`."""

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.fields import Problems, text
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import where_and_order
from xero_sandbox.accounting.wire import bad_request, envelope

CURRENCY_CODE = re.compile(r"[A-Z]{3}")


async def get_organisation(request: Request) -> Response:
    ledger = ledger_of(request)
    return envelope("Organisations", [ledger.organisation], now_of(request))


async def get_currencies(request: Request) -> Response:
    ledger = ledger_of(request)
    records = ledger.currencies
    try:
        records = where_and_order(request, records)
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("Currencies", records, now_of(request))


def plan_currency(ledger: Ledger, element: dict[str, Any]) -> Plan:
    """Subscribe the organisation to another currency (ISO 4217 code)."""
    problems = Problems()
    code = (text(element, "Code", problems) or "").upper()
    if not CURRENCY_CODE.fullmatch(code):
        problems.add("Code must be a three-letter ISO 4217 currency code such as EUR")
    elif any(c["Code"] == code for c in ledger.currencies):
        problems.add(f"Organisation is already subscribed to currency {code}")
    problems.check()

    def subscribe() -> Record:
        record = {"Code": code, "Description": text(element, "Description", Problems()) or code}
        ledger.currencies.append(record)
        return record

    return subscribe


async def create_currency(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    return await run_batch(request, "Currencies", lambda e: plan_currency(ledger, e), now)


def routes() -> list[Route]:
    return [
        Route("/Organisation", get_organisation, methods=["GET"]),
        Route("/Currencies", get_currencies, methods=["GET"]),
        Route("/Currencies", create_currency, methods=["PUT"]),
    ]
