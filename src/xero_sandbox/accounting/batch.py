"""PUT/POST of many elements, with Xero's two ways of reporting failures.

Default (`summarizeErrors=true`): if any element fails, answer 400 ValidationException
listing the failed elements and create nothing. With `summarizeErrors=false`: answer 200
with every element, each marked `StatusAttributeString` "OK" or "ERROR"; the good ones are
created.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from xero_sandbox.accounting.context import BadRequest, flag, parse_elements
from xero_sandbox.accounting.fields import Invalid, readable, unreadable_text
from xero_sandbox.accounting.ledger import Record
from xero_sandbox.accounting.wire import (
    bad_request,
    envelope,
    to_wire,
    validation_exception,
    wired_envelope,
)

# Validates one element and returns the step that stores it (and returns the stored record).
Plan = Callable[[], Record]
Planner = Callable[[dict[str, Any]], Plan]


_NUMBER_FIELDS = frozenset(
    {"Quantity", "UnitAmount", "LineAmount", "TaxAmount", "DiscountRate", "DiscountAmount",
     "Amount", "BankAmount", "CurrencyRate", "SubTotal", "TotalTax", "Total", "UnitPrice",
     "Rate", "AmountDue", "AmountPaid"}
)  # fmt: skip


def _echo(value: Any) -> Any:
    """An element as Xero echoes it back: read as its model, so numbers sent as text come back
    as numbers and values it could not read are left out."""
    if isinstance(value, list):
        return [_echo(item) for item in value]
    if isinstance(value, str):
        return readable(value)
    if not isinstance(value, dict):
        return value
    echoed: dict[str, Any] = {}
    for key, item in value.items():
        key = readable(key)
        if key in _NUMBER_FIELDS and not isinstance(item, Decimal | int):
            try:
                item = Decimal(str(item))
            except InvalidOperation:
                continue
            if not item.is_finite():
                continue
        echoed[key] = _echo(item)
    return echoed


# The flag each kind of element raises when it failed (as its schema names it).
_ERROR_FLAGS = {
    "Invoices": "HasErrors",
    "CreditNotes": "HasErrors",
    "Contacts": "HasValidationErrors",
    "Payments": "HasValidationErrors",
}


def _failed(element: dict[str, Any], error: Invalid, collection: str = "") -> dict[str, Any]:
    flag = _ERROR_FLAGS.get(collection)
    return {
        **to_wire(_echo(element)),
        **({flag: True} if flag else {}),
        "StatusAttributeString": "ERROR",
        "ValidationErrors": [{"Message": message} for message in error.messages],
    }


async def run_batch(request: Request, collection: str, planner: Planner, now: datetime) -> Response:
    """Read the body's elements, plan each, and store them as Xero would."""
    body = await request.body()
    try:
        elements = parse_elements(body, collection)
    except BadRequest as error:
        return bad_request(str(error))
    return apply_batch(elements, collection, planner, now, flag(request, "summarizeErrors", True))


def _readable_only(planner: Planner) -> Planner:
    """Refuse an element holding text that is not Unicode, as Xero does, before planning it."""

    def plan(element: dict[str, Any]) -> Plan:
        unreadable = unreadable_text(element)
        if unreadable:
            raise Invalid(
                [
                    f"{field} contains a character that is not valid text (an unpaired "
                    "surrogate such as \\ud800); remove it or replace it"
                    for field in unreadable
                ]
            )
        return planner(element)

    return plan


def apply_batch(
    elements: list[dict[str, Any]],
    collection: str,
    planner: Planner,
    now: datetime,
    summarize: bool,
) -> Response:
    """Plan and store elements already read from the body."""
    planner = _readable_only(planner)
    if summarize:
        plans: list[Plan] = []
        failures: list[dict[str, Any]] = []
        for element in elements:
            try:
                plans.append(planner(element))
            except Invalid as error:
                failures.append(_failed(element, error, collection))
        if failures:
            return validation_exception(failures)
        return envelope(collection, [plan() for plan in plans], now)
    results: list[dict[str, Any]] = []
    for element in elements:
        try:
            record = planner(element)()
        except Invalid as error:
            results.append(_failed(element, error, collection))
        else:
            results.append({**to_wire(record), "StatusAttributeString": "OK"})
    return wired_envelope(collection, results, now)
