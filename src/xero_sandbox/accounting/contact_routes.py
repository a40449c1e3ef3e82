"""`/Contacts`: GET with paging, search and filters; PUT creates; POST creates or updates."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.contacts import (
    SUMMARY_OMITS,
    contact_changes,
    create_contact,
    duplicate_name_message,
    find_by_number,
    update_contact,
)
from xero_sandbox.accounting.context import BadRequest, flag, ledger_of, now_of, query_param
from xero_sandbox.accounting.documents import ZERO
from xero_sandbox.accounting.fields import Problems
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import filtered_page
from xero_sandbox.accounting.wire import bad_request, envelope, not_found

_SEARCHED = ("Name", "FirstName", "LastName", "ContactNumber", "CompanyNumber", "EmailAddress")


def _matching(ledger: Ledger, element: dict[str, Any]) -> Record | None:
    """The contact a POST element updates: by ContactID, then ContactNumber, then Name."""
    contact_id = element.get("ContactID")
    if contact_id:
        return ledger.contacts.get(str(contact_id).lower())
    number = element.get("ContactNumber")
    if number:
        found = find_by_number(ledger, str(number))
        if found is not None:
            return found
    name = element.get("Name")
    return ledger.contact_named(name) if isinstance(name, str) else None


def plan_save(
    ledger: Ledger,
    now: datetime,
    element: dict[str, Any],
    may_update: bool,
    batch_names: set[str],
) -> Plan:
    problems = Problems()
    existing = _matching(ledger, element) if may_update else None
    if element.get("ContactID") and existing is None:
        problems.add(f"Contact with ContactID {element['ContactID']} could not be found")
        problems.check()
    changes = contact_changes(ledger, element, problems, existing)
    name = changes.get("Name")
    if name:
        if name.lower() in batch_names:
            problems.add(duplicate_name_message(name))
        batch_names.add(name.lower())
    problems.check()
    if existing is None:
        return lambda: create_contact(ledger, changes, now)
    target = existing
    return lambda: update_contact(ledger, target, changes, now)


def _planner(ledger: Ledger, now: datetime, may_update: bool) -> Callable[[dict[str, Any]], Plan]:
    names: set[str] = set()
    return lambda element: plan_save(ledger, now, element, may_update, names)


def _search(records: list[Record], term: str) -> list[Record]:
    needle = term.lower()
    return [
        record
        for record in records
        if any(needle in str(record.get(field) or "").lower() for field in _SEARCHED)
    ]


async def list_contacts(request: Request) -> Response:
    ledger = ledger_of(request)
    records = list(ledger.contacts.values())
    if not flag(request, "includeArchived", False):
        records = [r for r in records if r["ContactStatus"] == "ACTIVE"]
    term = query_param(request, "searchTerm")
    if term:
        records = _search(records, term)
    try:
        if not query_param(request, "order"):
            records.sort(key=lambda r: str(r["Name"]).lower())
        records, extra = filtered_page(request, records, "ContactID")
    except BadRequest as error:
        return bad_request(str(error))
    if flag(request, "summaryOnly", False):
        records = [{k: v for k, v in r.items() if k not in SUMMARY_OMITS} for r in records]
    return envelope("Contacts", records, now_of(request), extra)


def _contact_at(request: Request) -> Record | None:
    ledger = ledger_of(request)
    key = request.path_params["ContactID"]
    return ledger.contacts.get(key.lower()) or find_by_number(ledger, key)


def _balances(ledger: Ledger, contact: Record, now: datetime) -> Record:
    """What the contact owes and is owed, as a single-contact GET shows it."""
    sums = {"ACCREC": [ZERO, ZERO], "ACCPAY": [ZERO, ZERO]}
    for invoice in ledger.invoices.values():
        if invoice["Contact"]["ContactID"] != contact["ContactID"]:
            continue
        if invoice["Status"] != "AUTHORISED":
            continue
        totals = sums[invoice["Type"]]
        totals[0] += invoice["AmountDue"]
        due = invoice.get("DueDate")
        if due is not None and due < now.date():
            totals[1] += invoice["AmountDue"]
    return {
        "AccountsReceivable": {"Outstanding": sums["ACCREC"][0], "Overdue": sums["ACCREC"][1]},
        "AccountsPayable": {"Outstanding": sums["ACCPAY"][0], "Overdue": sums["ACCPAY"][1]},
    }


async def get_contact(request: Request) -> Response:
    contact = _contact_at(request)
    if contact is None:
        return not_found()
    now = now_of(request)
    shown = {**contact, "Balances": _balances(ledger_of(request), contact, now)}
    return envelope("Contacts", [shown], now)


async def create_contacts(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    return await run_batch(request, "Contacts", _planner(ledger, now, False), now)


async def save_contacts(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    return await run_batch(request, "Contacts", _planner(ledger, now, True), now)


async def update_one_contact(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    contact = _contact_at(request)
    if contact is None:
        await request.body()
        return not_found()

    def planner(element: dict[str, Any]) -> Plan:
        return plan_save(ledger, now, {**element, "ContactID": contact["ContactID"]}, True, set())

    return await run_batch(request, "Contacts", planner, now)


def routes() -> list[Route]:
    return [
        Route("/Contacts", list_contacts, methods=["GET"]),
        Route("/Contacts", create_contacts, methods=["PUT"]),
        Route("/Contacts", save_contacts, methods=["POST"]),
        Route("/Contacts/{ContactID}", get_contact, methods=["GET"]),
        Route("/Contacts/{ContactID}", update_one_contact, methods=["POST"]),
    ]
