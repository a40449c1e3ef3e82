"""`/BatchPayments`: one bank-account movement paying several invoices of one type."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.documents import ZERO
from xero_sandbox.accounting.fields import Invalid, Problems, a_date, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.invoices import find_invoice
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import filter_common
from xero_sandbox.accounting.payments import delete_payment, payment_account, plan_payment
from xero_sandbox.accounting.settlement import Reservations
from xero_sandbox.accounting.wire import bad_request, envelope, not_found

BATCH_TYPES = {"ACCPAY": "PAYBATCH", "ACCREC": "RECBATCH"}


def plan_batch_payment(
    ledger: Ledger, now: datetime, element: dict[str, Any], reservations: Reservations
) -> Plan:
    if element.get("BatchPaymentID"):
        batch = ledger.batch_payments.get(str(element["BatchPaymentID"]).lower())
        if batch is None:
            raise Invalid([f"Batch payment {element['BatchPaymentID']} could not be found"])
        return plan_delete(ledger, now, batch, element)
    problems = Problems()
    account = payment_account(ledger, element.get("Account"), problems)
    when = a_date(element, "Date", problems) or now.date()
    raw_payments = element.get("Payments")
    if not isinstance(raw_payments, list) or not raw_payments:
        problems.add('Payments is required: a batch needs [{"Invoice": {...}, "Amount": ...}]')
        problems.check()
    assert isinstance(raw_payments, list)
    batch_id = new_id()
    types: set[str] = set()
    plans: list[Plan] = []
    for raw in raw_payments:
        if not isinstance(raw, dict):
            problems.add("Each batch payment must be an object with Invoice and Amount")
            continue
        invoice_key = (
            (raw.get("Invoice") or {}).get("InvoiceID")
            if isinstance(raw.get("Invoice"), dict)
            else None
        )
        invoice = find_invoice(ledger, str(invoice_key)) if invoice_key else None
        if invoice is not None:
            types.add(invoice["Type"])
        try:
            plans.append(
                plan_payment(
                    ledger,
                    now,
                    {**raw, "Account": element.get("Account"), "Date": element.get("Date")},
                    batch_id,
                    reservations,
                )
            )
        except Invalid as error:
            for message in error.messages:
                problems.add(message)
    if len(types) > 1:
        problems.add("A batch payment must pay only bills (ACCPAY) or only sales invoices (ACCREC)")
    details = {
        field: text(element, field, problems, max_length=255) or ""
        for field in ("Reference", "Particulars", "Code", "Details", "Narrative")
    }
    problems.check()
    assert account is not None

    def save() -> Record:
        payments = [plan() for plan in plans]
        total = sum((Decimal(p["Amount"]) for p in payments), ZERO)
        record: Record = {
            "BatchPaymentID": batch_id,
            "Account": {"AccountID": account["AccountID"], "Code": account["Code"]},
            "Date": when,
            "Type": BATCH_TYPES[next(iter(types))] if types else "PAYBATCH",
            "Status": "AUTHORISED",
            "TotalAmount": total,
            "Amount": total,
            "IsReconciled": False,
            "UpdatedDateUTC": now,
            "Payments": [
                {"PaymentID": p["PaymentID"], "Amount": p["Amount"], "Invoice": p["Invoice"]}
                for p in payments
            ],
            **details,
        }
        return ledger.add("BatchPayments", record)

    return save


def plan_delete(ledger: Ledger, now: datetime, batch: Record, element: dict[str, Any]) -> Plan:
    if element.get("Status") != "DELETED":
        raise Invalid(['A batch payment can only be deleted: send {"Status": "DELETED"}'])
    if batch["Status"] == "DELETED":
        raise Invalid(["This batch payment has already been deleted"])

    def delete() -> Record:
        for summary in batch["Payments"]:
            payment = ledger.payments[summary["PaymentID"]]
            if payment["Status"] != "DELETED":
                delete_payment(ledger, payment, now)
        batch["Status"] = "DELETED"
        batch["UpdatedDateUTC"] = now
        return batch

    return delete


async def list_batch_payments(request: Request) -> Response:
    try:
        records = filter_common(
            request, ledger_of(request).batch_payments.values(), "BatchPaymentID"
        )
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("BatchPayments", records, now_of(request))


async def get_batch_payment(request: Request) -> Response:
    batch = ledger_of(request).batch_payments.get(request.path_params["BatchPaymentID"].lower())
    return not_found() if batch is None else envelope("BatchPayments", [batch], now_of(request))


async def save_batch_payments(request: Request) -> Response:
    ledger, now, reservations = ledger_of(request), now_of(request), Reservations()
    return await run_batch(
        request,
        "BatchPayments",
        lambda element: plan_batch_payment(ledger, now, element, reservations),
        now,
    )


async def delete_batch_payment(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    batch = ledger.batch_payments.get(request.path_params["BatchPaymentID"].lower())
    if batch is None:
        await request.body()
        return not_found()
    return await run_batch(
        request, "BatchPayments", lambda element: plan_delete(ledger, now, batch, element), now
    )


def routes() -> list[Route]:
    return [
        Route("/BatchPayments", list_batch_payments, methods=["GET"]),
        Route("/BatchPayments", save_batch_payments, methods=["PUT", "POST"]),
        Route("/BatchPayments/{BatchPaymentID}", get_batch_payment, methods=["GET"]),
        Route("/BatchPayments/{BatchPaymentID}", delete_batch_payment, methods=["POST"]),
    ]
