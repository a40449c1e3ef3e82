"""`/PurchaseOrders`: DRAFT → SUBMITTED → AUTHORISED → BILLED, or DELETED. Purchase orders
do not post to the ledger, so lock dates do not apply to them.

A purchase order whose bill exists (an ACCPAY invoice for the same contact whose Reference
or InvoiceNumber is the PO number, as Xero's "copy to bill" makes) cannot be deleted.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan
from xero_sandbox.accounting.contacts import choose_contact, contact_reference
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of, query_param
from xero_sandbox.accounting.document_routes import document_routes, unit_dp
from xero_sandbox.accounting.documents import (
    currency,
    document_date,
    document_lines,
    line_amount_types,
    present,
    short_text,
    status,
)
from xero_sandbox.accounting.fields import Invalid, Problems, parse_date
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.lines import LineRules, totals_of
from xero_sandbox.accounting.listing import filtered_page
from xero_sandbox.accounting.wire import bad_request, envelope

STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED", "BILLED", "DELETED")
CREATE_STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED")
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "SUBMITTED": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "AUTHORISED": frozenset({"AUTHORISED", "BILLED", "DELETED"}),
    "BILLED": frozenset({"BILLED", "AUTHORISED"}),
    "DELETED": frozenset(),
}
STATUS_CHANGE_INVALID = "The Purchase Order status change is invalid"
MAX_DELIVERY_INSTRUCTIONS = 500
_TEXT_FIELDS = {"DeliveryAddress": 500, "AttentionTo": 255, "Telephone": 50}


def find_purchase_order(ledger: Ledger, key: str) -> Record | None:
    """A purchase order by PurchaseOrderID or PurchaseOrderNumber."""
    found = ledger.purchase_orders.get(key.lower())
    if found is not None:
        return found
    return next(
        (
            po
            for po in ledger.lookup("PurchaseOrders", "PurchaseOrderNumber", key)
            if po["PurchaseOrderNumber"] == key
        ),
        None,
    )


def linked_bills(ledger: Ledger, order: Record) -> list[Record]:
    """Live bills raised from this purchase order."""
    number = order["PurchaseOrderNumber"]
    return [
        bill
        for bill in ledger.invoices.values()
        if bill["Type"] == "ACCPAY"
        and bill["Status"] not in ("DELETED", "VOIDED")
        and bill["Contact"]["ContactID"] == order["Contact"]["ContactID"]
        and number in (bill.get("Reference"), bill.get("InvoiceNumber"))
    ]


def plan_purchase_order(
    ledger: Ledger,
    now: datetime,
    element: dict[str, Any],
    *,
    may_update: bool,
    unit_dp: int,
    batch_numbers: set[str],
) -> Plan:
    problems = Problems()
    existing: Record | None = None
    if may_update and element.get("PurchaseOrderID"):
        existing = ledger.purchase_orders.get(str(element["PurchaseOrderID"]).lower())
        if existing is None:
            raise Invalid(
                [f"Purchase order with PurchaseOrderID {element['PurchaseOrderID']} "
                 "could not be found"]
            )  # fmt: skip
    elif may_update and element.get("PurchaseOrderNumber"):
        existing = find_purchase_order(ledger, str(element["PurchaseOrderNumber"]))
    current: Record = existing or {}
    new_status = status(element, STATUSES, problems, current.get("Status"))
    if existing is None:
        new_status = new_status or "DRAFT"
        if new_status not in CREATE_STATUSES:
            problems.add(STATUS_CHANGE_INVALID)
    elif new_status not in TRANSITIONS[existing["Status"]] or (
        new_status == "DELETED" and linked_bills(ledger, existing)
    ):
        raise Invalid([STATUS_CHANGE_INVALID])
    contact = None
    if existing is None or "Contact" in element:
        contact = choose_contact(ledger, element.get("Contact"), problems)
    date = document_date(element, "Date", problems, current.get("Date")) or now.date()
    delivery_date = document_date(element, "DeliveryDate", problems, current.get("DeliveryDate"))
    amounts_type = line_amount_types(element, problems, current.get("LineAmountTypes"))
    currency_code, currency_rate = currency(ledger, element, problems, current.get("CurrencyCode"))
    number = short_text(
        element, "PurchaseOrderNumber", problems, 255, current.get("PurchaseOrderNumber")
    )
    if number:
        clash = find_purchase_order(ledger, number)
        if (clash is not None and clash is not existing) or (
            existing is None and number in batch_numbers
        ):
            problems.add("Purchase Order Number must be unique.")
        batch_numbers.add(number)
    texts = {
        field: short_text(element, field, problems, limit, current.get(field, ""))
        for field, limit in {
            **_TEXT_FIELDS,
            "Reference": 255,
            "DeliveryInstructions": MAX_DELIVERY_INSTRUCTIONS,
        }.items()
    }
    arrival = element.get("ExpectedArrivalDate")
    if arrival is not None and parse_date(arrival) is None:
        problems.add(f"ExpectedArrivalDate {arrival!r} is not a date: use YYYY-MM-DD")
    rules = LineRules("PO", amounts_type, unit_dp, account_required=False)
    lines = document_lines(ledger, element, existing, rules, problems)
    totals, discount = totals_of(lines, amounts_type)
    problems.check()

    def save() -> Record:
        record = existing
        if record is None:
            record = {
                "PurchaseOrderID": new_id(),
                "SentToContact": False,
                "HasAttachments": False,
            }
        if contact is not None:
            chosen = contact.resolve(ledger, now)
            record["Contact"] = contact_reference(chosen)
        record.update(texts)
        record.update(
            Date=date,
            LineAmountTypes=amounts_type,
            LineItems=lines,
            CurrencyCode=currency_code,
            CurrencyRate=currency_rate,
            Status=new_status,
            SubTotal=totals.sub_total,
            TotalTax=totals.total_tax,
            Total=totals.total,
            TotalDiscount=discount,
            UpdatedDateUTC=now,
        )
        if delivery_date is not None:
            record["DeliveryDate"] = delivery_date
        if arrival is not None:
            record["ExpectedArrivalDate"] = parse_date(arrival)
        record["PurchaseOrderNumber"] = number or record.get("PurchaseOrderNumber") or _next(ledger)
        if existing is None:
            ledger.add("PurchaseOrders", record)
        else:
            ledger.note("PurchaseOrders", record)
        return record

    return save


def _next(ledger: Ledger) -> str:
    while True:
        number = ledger.next_number("PO")
        if find_purchase_order(ledger, number) is None:
            return number


def _planner(request: Request, may_update: bool) -> Callable[[dict[str, Any]], Plan]:
    ledger, now, dp, numbers = ledger_of(request), now_of(request), unit_dp(request), set[str]()
    return lambda element: plan_purchase_order(
        ledger, now, element, may_update=may_update, unit_dp=dp, batch_numbers=numbers
    )


async def list_purchase_orders(request: Request) -> Response:
    ledger = ledger_of(request)
    records = list(ledger.purchase_orders.values())
    wanted = query_param(request, "Status")
    date_from = parse_date(query_param(request, "DateFrom"))
    date_to = parse_date(query_param(request, "DateTo"))
    if wanted:
        records = [r for r in records if r["Status"] == wanted.upper()]
    if date_from:
        records = [r for r in records if r["Date"] >= date_from]
    if date_to:
        records = [r for r in records if r["Date"] <= date_to]
    try:
        records, extra = filtered_page(request, records, "PurchaseOrderID")
    except BadRequest as error:
        return bad_request(str(error))
    return envelope(
        "PurchaseOrders",
        present(ledger_of(request), records, unit_dp(request)),
        now_of(request),
        extra,
    )


def routes() -> list[Route]:
    return document_routes(
        "PurchaseOrders",
        "PurchaseOrderID",
        find_purchase_order,
        _planner,
        list_purchase_orders,
    )
