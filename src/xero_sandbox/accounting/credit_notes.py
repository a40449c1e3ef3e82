"""`/CreditNotes` (ACCPAYCREDIT from suppliers, ACCRECCREDIT to customers) and their
allocations to invoices. Statuses move as for invoices."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan
from xero_sandbox.accounting.contacts import choose_contact, contact_reference
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.credit_routes import allocation_routes
from xero_sandbox.accounting.document_routes import document_routes, unit_dp
from xero_sandbox.accounting.documents import (
    ZERO,
    check_lock_date,
    currency,
    document_date,
    document_lines,
    line_amount_types,
    posts_to_ledger,
    present,
    short_text,
    status,
)
from xero_sandbox.accounting.events import CREATE, CREDITNOTE, UPDATE
from xero_sandbox.accounting.fields import Invalid, Problems, choice
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.invoices import CREATE_STATUSES, STATUSES, TRANSITIONS
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.lines import LineRules, totals_of
from xero_sandbox.accounting.listing import filtered_page
from xero_sandbox.accounting.settlement import CREDIT_NOTE, refresh_credit
from xero_sandbox.accounting.stock import move_stock, stock_moves
from xero_sandbox.accounting.wire import bad_request, envelope

CREDIT_NOTE_TYPES = ("ACCPAYCREDIT", "ACCRECCREDIT")
ALLOCATED_MESSAGE = "This credit note cannot be changed as it has been allocated or refunded."


def find_credit_note(ledger: Ledger, key: str) -> Record | None:
    found = ledger.credit_notes.get(key.lower())
    if found is not None:
        return found
    return next(
        (c for c in ledger.lookup("CreditNotes", "CreditNoteNumber", key)
         if c["CreditNoteNumber"] == key),
        None,
    )  # fmt: skip


def plan_credit_note(
    ledger: Ledger, now: datetime, element: dict[str, Any], *, may_update: bool, unit_dp: int
) -> Plan:
    problems = Problems()
    existing: Record | None = None
    if may_update and element.get("CreditNoteID"):
        existing = ledger.credit_notes.get(str(element["CreditNoteID"]).lower())
        if existing is None:
            raise Invalid(
                [f"Credit note with CreditNoteID {element['CreditNoteID']} could not be found"]
            )
    current: Record = existing or {}
    if existing is None:
        type_ = choice(element, "Type", CREDIT_NOTE_TYPES, problems)
        if element.get("Type") is None:
            problems.add("Type is required: use ACCPAYCREDIT (from a supplier) or ACCRECCREDIT")
    else:
        type_ = existing["Type"]
    new_status = status(element, STATUSES, problems, current.get("Status"))
    if existing is None:
        new_status = new_status or "DRAFT"
        if new_status not in CREATE_STATUSES:
            problems.add("Credit note not of valid status for creation")
    else:
        if new_status not in TRANSITIONS[existing["Status"]]:
            raise Invalid(["Document not of valid status for modification"])
        if (existing["Allocations"] or existing["Payments"]) and (
            new_status == "VOIDED" or "LineItems" in element or "Contact" in element
        ):
            raise Invalid([ALLOCATED_MESSAGE])
    contact = None
    if existing is None or "Contact" in element:
        contact = choose_contact(ledger, element.get("Contact"), problems)
    date = document_date(element, "Date", problems, current.get("Date")) or now.date()
    if posts_to_ledger(new_status, current.get("Status")):
        check_lock_date(ledger, date, problems)
    amounts_type = line_amount_types(element, problems, current.get("LineAmountTypes"))
    currency_code, currency_rate = currency(ledger, element, problems, current.get("CurrencyCode"))
    number = short_text(element, "CreditNoteNumber", problems, 255, current.get("CreditNoteNumber"))
    if number and type_ == "ACCRECCREDIT":
        clash = find_credit_note(ledger, number)
        if clash is not None and clash is not existing:
            problems.add("Credit Note # must be unique.")
    reference = short_text(element, "Reference", problems, 255, current.get("Reference", ""))
    # Credit notes take no DiscountRate on either side (Xero: "credit notes in Xero do not
    # support discounts").
    kind = "ACCRECCREDIT" if type_ == "ACCRECCREDIT" else "ACCPAYCREDIT"
    rules = LineRules(kind, amounts_type, unit_dp, new_status in ("SUBMITTED", "AUTHORISED"))
    lines = document_lines(ledger, element, existing, rules, problems)
    totals, _ = totals_of(lines, amounts_type)
    if totals.total < 0:
        problems.add(
            "Total must not be negative: a credit note's lines must add up to zero or more"
        )
    problems.check()
    assert type_ is not None and new_status is not None

    def save() -> Record:
        record = existing
        if record is None:
            record = {
                "Type": type_,
                "CreditNoteID": new_id(),
                "Allocations": [],
                "Payments": [],
                "RemainingCredit": ZERO,
                "AppliedAmount": ZERO,
                "HasAttachments": False,
                "HasErrors": False,
                "SentToContact": False,
            }
        stock_before = stock_moves(ledger, record)
        if contact is not None:
            record["Contact"] = contact_reference(contact.resolve(ledger, now))
        record.update(
            Date=date,
            LineAmountTypes=amounts_type,
            LineItems=lines,
            CurrencyCode=currency_code,
            CurrencyRate=currency_rate,
            Status=new_status,
            Reference=reference,
            SubTotal=totals.sub_total,
            TotalTax=totals.total_tax,
            Total=totals.total,
            UpdatedDateUTC=now,
        )
        if number:
            record["CreditNoteNumber"] = number
        elif not record.get("CreditNoteNumber"):
            record["CreditNoteNumber"] = ledger.next_number("CN") if type_ == "ACCRECCREDIT" else ""
        refresh_credit(record, now)
        if existing is None:
            ledger.add("CreditNotes", record)
        else:
            ledger.note("CreditNotes", record)
        move_stock(ledger, stock_before, stock_moves(ledger, record))
        ledger.record_event(
            CREDITNOTE, CREATE if existing is None else UPDATE, record["CreditNoteID"], now
        )
        return record

    return save


def _planner(request: Request, may_update: bool) -> Callable[[dict[str, Any]], Plan]:
    ledger, now, dp = ledger_of(request), now_of(request), unit_dp(request)
    return lambda element: plan_credit_note(ledger, now, element, may_update=may_update, unit_dp=dp)


async def list_credit_notes(request: Request) -> Response:
    try:
        records, extra = filtered_page(
            request, ledger_of(request).credit_notes.values(), "CreditNoteID"
        )
    except BadRequest as error:
        return bad_request(str(error))
    return envelope(
        "CreditNotes",
        present(ledger_of(request), records, unit_dp(request)),
        now_of(request),
        extra,
    )


def routes() -> list[Route]:
    return [
        *document_routes(
            "CreditNotes", "CreditNoteID", find_credit_note, _planner, list_credit_notes
        ),
        *allocation_routes(CREDIT_NOTE, find_credit_note),
    ]
