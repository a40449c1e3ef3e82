"""`/Invoices`: GET with filters and paging; PUT creates; POST creates or updates."""

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan
from xero_sandbox.accounting.context import BadRequest, flag, ledger_of, now_of, query_param
from xero_sandbox.accounting.document_routes import document_routes, unit_dp
from xero_sandbox.accounting.documents import present
from xero_sandbox.accounting.invoices import find_invoice, plan_invoice
from xero_sandbox.accounting.ledger import Record
from xero_sandbox.accounting.listing import filtered_page, split_list
from xero_sandbox.accounting.wire import bad_request, envelope

# Xero returns at most 100 invoices per call when no page is asked for.
UNPAGED_LIMIT = 100
SUMMARY_OMITS = frozenset({"LineItems", "Payments", "CreditNotes", "Prepayments", "Overpayments"})


def _filter_by_lists(request: Request, records: list[Record]) -> list[Record]:
    numbers = set(split_list(query_param(request, "InvoiceNumbers")))
    if numbers:
        records = [r for r in records if r.get("InvoiceNumber") in numbers]
    contacts = {c.lower() for c in split_list(query_param(request, "ContactIDs"))}
    if contacts:
        records = [r for r in records if r["Contact"]["ContactID"] in contacts]
    statuses = {s.upper() for s in split_list(query_param(request, "Statuses"))}
    if statuses:
        records = [r for r in records if r["Status"] in statuses]
    term = (query_param(request, "searchTerm") or "").lower()
    if term:
        records = [
            r
            for r in records
            if term in r.get("InvoiceNumber", "").lower() or term in r.get("Reference", "").lower()
        ]
    return records


async def list_invoices(request: Request) -> Response:
    ledger = ledger_of(request)
    try:
        records = _filter_by_lists(request, list(ledger.invoices.values()))
        records, extra = filtered_page(request, records, "InvoiceID")
        if "pagination" not in extra:
            records = records[:UNPAGED_LIMIT]
    except BadRequest as error:
        return bad_request(str(error))
    if flag(request, "summaryOnly", False):
        records = [{k: v for k, v in r.items() if k not in SUMMARY_OMITS} for r in records]
    return envelope(
        "Invoices", present(ledger_of(request), records, unit_dp(request)), now_of(request), extra
    )


def _planner(request: Request, may_update: bool) -> Callable[[dict[str, Any]], Plan]:
    ledger, now, dp, numbers = ledger_of(request), now_of(request), unit_dp(request), set[str]()
    return lambda element: plan_invoice(
        ledger, now, element, may_update=may_update, unit_dp=dp, batch_numbers=numbers
    )


def routes() -> list[Route]:
    return document_routes("Invoices", "InvoiceID", find_invoice, _planner, list_invoices)
