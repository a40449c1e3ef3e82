"""`/Payments`: money paid against an AUTHORISED invoice or credit note.

PUT creates a batch of payments, POST one; POST `{"Status": "DELETED"}` to
`/Payments/{PaymentID}` deletes a payment and the document owes again what it covered.

A payment against a credit note is a refund of it paid out (``ARCREDITPAYMENT``,
``APCREDITPAYMENT``). As in Xero, the answer to the PUT names it under ``CreditNote``, but
a read of ``/Payments`` names the credit note under ``Invoice``, with the credit note's
``Type`` (``ACCRECCREDIT``, ``ACCPAYCREDIT``) and its id as the ``InvoiceID``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.credit_notes import find_credit_note
from xero_sandbox.accounting.documents import check_lock_date, refresh_invoice_balance
from xero_sandbox.accounting.events import CREDITNOTE, INVOICE, UPDATE
from xero_sandbox.accounting.fields import Invalid, Problems, a_date, decimal, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.invoices import find_invoice
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import filtered_page
from xero_sandbox.accounting.settlement import Reservations, invoice_summary, refresh_credit
from xero_sandbox.accounting.wire import bad_request, envelope, not_found

NOT_AUTHORISED = "Payments can only be made against Authorised documents"
EXCEEDS_OUTSTANDING = "Payment amount exceeds the amount outstanding on this document"
IN_A_BATCH = "Payments within a batch cannot be deleted."
#: Where a stored refund of a credit note keeps the credit note it was paid out of.
_PAID = "_CreditNote"
PAYMENT_TYPES = {
    "ACCPAY": "ACCPAYPAYMENT",
    "ACCREC": "ACCRECPAYMENT",
    "ACCPAYCREDIT": "APCREDITPAYMENT",
    "ACCRECCREDIT": "ARCREDITPAYMENT",
    "RECEIVE-OVERPAYMENT": "AROVERPAYMENTPAYMENT",
    "SPEND-OVERPAYMENT": "APOVERPAYMENTPAYMENT",
    "RECEIVE-PREPAYMENT": "ARPREPAYMENTPAYMENT",
    "SPEND-PREPAYMENT": "APPREPAYMENTPAYMENT",
}


def payment_account(ledger: Ledger, raw: Any, problems: Problems) -> Record | None:
    """The bank account (or payments-enabled account) money moves through."""
    if not isinstance(raw, dict) or not (raw.get("AccountID") or raw.get("Code")):
        problems.add('Account is required: give {"Account": {"Code": "090"}} or its AccountID')
        return None
    if raw.get("AccountID"):
        account = ledger.accounts.get(str(raw["AccountID"]).lower())
    else:
        account = ledger.account_by_code(str(raw["Code"]))
    if account is None or account["Status"] != "ACTIVE":
        problems.add("Account could not be found")
        return None
    if account["Type"] != "BANK" and not account.get("EnablePaymentsToAccount"):
        problems.add(
            f"Account code '{account['Code']}' is not a bank account and does not have "
            "payments enabled; pay through a bank account such as 090"
        )
    return account


@dataclass(frozen=True)
class Payable:
    """A kind of document a payment can be made against (or a refund taken from)."""

    key: str
    table: str
    id_field: str
    number_field: str | None
    balance: str
    event: str | None


PAYABLES = (
    Payable("Invoice", "Invoices", "InvoiceID", "InvoiceNumber", "AmountDue", INVOICE),
    Payable("CreditNote", "CreditNotes", "CreditNoteID", "CreditNoteNumber", "RemainingCredit",
            CREDITNOTE),
    Payable("Overpayment", "Overpayments", "OverpaymentID", None, "RemainingCredit", None),
    Payable("Prepayment", "Prepayments", "PrepaymentID", None, "RemainingCredit", None),
)  # fmt: skip


def _find(ledger: Ledger, payable: Payable, raw: dict[str, Any]) -> Record | None:
    key = raw.get(payable.id_field) or (raw.get(payable.number_field or "") or None)
    if not key:
        return None
    if payable.key == "Invoice":
        return find_invoice(ledger, str(key))
    if payable.key == "CreditNote":
        return find_credit_note(ledger, str(key))
    return ledger.tables[payable.table].get(str(key).lower())


def _document(
    ledger: Ledger, element: dict[str, Any], problems: Problems
) -> tuple[Payable, Record | None]:
    for payable in PAYABLES:
        raw = element.get(payable.key)
        if isinstance(raw, dict):
            document = _find(ledger, payable, raw)
            if document is None:
                words = "Credit note" if payable.key == "CreditNote" else payable.key
                problems.add(f"{words} could not be found")
            return payable, document
    problems.add('Invoice is required: give {"Invoice": {"InvoiceID": "..."}} (or a CreditNote)')
    return PAYABLES[0], None


def _refresh(ledger: Ledger, payable: Payable, document: Record, now: datetime) -> None:
    if payable.key == "Invoice":
        refresh_invoice_balance(document, now)
    else:
        refresh_credit(document, now)
    if payable.event is not None:
        ledger.record_event(payable.event, UPDATE, document[payable.id_field], now)


def plan_payment(
    ledger: Ledger,
    now: datetime,
    element: dict[str, Any],
    batch_id: str | None = None,
    reservations: Reservations | None = None,
) -> Plan:
    """Validate one payment; the plan stores it and updates its document."""
    problems = Problems()
    payable, document = _document(ledger, element, problems)
    account = payment_account(ledger, element.get("Account"), problems)
    amount = decimal(element, "Amount", problems)
    when = a_date(element, "Date", problems) or now.date()
    check_lock_date(ledger, when, problems)
    reference = text(element, "Reference", problems, max_length=255) or ""
    rate = decimal(element, "CurrencyRate", problems)
    held = reservations or Reservations()
    if document is not None:
        if document["Status"] != "AUTHORISED":
            problems.add(NOT_AUTHORISED)
        outstanding = document.get(payable.balance, 0) - held.held(document[payable.id_field])
        if amount is None:
            problems.add("Amount is required: give the amount paid, e.g. 100.00")
        elif amount <= 0:
            problems.add("Payment amounts must be positive amounts")
        elif amount > outstanding:
            problems.add(EXCEEDS_OUTSTANDING)
    problems.check()
    assert document is not None and account is not None and amount is not None
    document_key = document[payable.id_field]
    held.hold(document_key, amount)

    def save() -> Record:
        held.release(document_key, amount)
        payment: Record = {
            "PaymentID": new_id(),
            "Date": when,
            "Amount": amount,
            "BankAmount": amount,
            "CurrencyRate": rate or document.get("CurrencyRate") or 1,
            "Reference": reference,
            "IsReconciled": False,
            "Status": "AUTHORISED",
            "PaymentType": PAYMENT_TYPES[document["Type"]],
            "UpdatedDateUTC": now,
            "Account": {"AccountID": account["AccountID"], "Code": account["Code"],
                        "Name": account["Name"]},
            "HasAccount": True,
            "HasValidationErrors": False,
        }  # fmt: skip
        if batch_id:
            payment["BatchPaymentID"] = batch_id
        summary = {"PaymentID": payment["PaymentID"], "Date": when, "Amount": amount,
                   "Reference": reference, "CurrencyRate": payment["CurrencyRate"],
                   "HasAccount": True, "HasValidationErrors": False}  # fmt: skip
        if batch_id:
            summary["BatchPaymentID"] = batch_id
        document["Payments"].append(summary)
        reference_to = {payable.id_field: document[payable.id_field]}
        if payable.number_field:
            reference_to[payable.number_field] = document.get(payable.number_field, "")
        if payable.key == "Invoice":
            payment["Invoice"] = invoice_summary(document)
        elif payable.key == "CreditNote":
            payment["Invoice"] = credit_note_as_invoice(document)
            payment[_PAID] = reference_to
        else:
            payment[payable.key] = reference_to
        _refresh(ledger, payable, document, now)
        stored = ledger.add("Payments", payment)
        if payable.key != "CreditNote":
            return stored
        answer = {key: value for key, value in stored.items() if key not in ("Invoice", _PAID)}
        return {**answer, "CreditNote": reference_to}

    return save


def credit_note_as_invoice(note: Record) -> Record:
    """How a read of ``/Payments`` shows the credit note a refund was paid out of."""
    return {
        "InvoiceID": note["CreditNoteID"],
        "InvoiceNumber": note.get("CreditNoteNumber", ""),
        "Type": note["Type"],
        "Contact": {"ContactID": note["Contact"]["ContactID"], "Name": note["Contact"]["Name"]},
        "CurrencyCode": note["CurrencyCode"],
    }


def _paid(payment: Record) -> tuple[Payable, str]:
    """The kind of document a payment paid, and its id."""
    if _PAID in payment:
        payable = next(p for p in PAYABLES if p.key == "CreditNote")
        return payable, payment[_PAID][payable.id_field]
    payable = next(p for p in PAYABLES if p.key in payment)
    return payable, payment[payable.key][payable.id_field]


def delete_payment(ledger: Ledger, payment: Record, now: datetime) -> Record:
    """Mark a payment DELETED and give its document back what it covered."""
    if payment["Status"] == "DELETED":
        raise Invalid(["This payment has already been deleted"])
    payment["Status"] = "DELETED"
    payment["UpdatedDateUTC"] = now
    payable, document_id = _paid(payment)
    document = ledger.tables[payable.table][document_id]
    document["Payments"] = [
        p for p in document["Payments"] if p["PaymentID"] != payment["PaymentID"]
    ]
    _refresh(ledger, payable, document, now)
    return payment


def plan_status_change(
    ledger: Ledger, now: datetime, payment: Record, element: dict[str, Any]
) -> Plan:
    if element.get("Status") != "DELETED":
        raise Invalid(['A payment can only be deleted: send {"Status": "DELETED"}'])
    if payment["Status"] == "DELETED":
        raise Invalid(["This payment has already been deleted"])
    if payment.get("BatchPaymentID"):
        raise Invalid([IN_A_BATCH])
    return lambda: delete_payment(ledger, payment, now)


async def list_payments(request: Request) -> Response:
    try:
        records, extra = filtered_page(request, ledger_of(request).payments.values(), "PaymentID")
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("Payments", records, now_of(request), extra)


async def get_payment(request: Request) -> Response:
    payment = ledger_of(request).payments.get(request.path_params["PaymentID"].lower())
    return not_found() if payment is None else envelope("Payments", [payment], now_of(request))


def _planner(request: Request) -> Callable[[dict[str, Any]], Plan]:
    ledger, now, reservations = ledger_of(request), now_of(request), Reservations()

    def plan(element: dict[str, Any]) -> Plan:
        payment_id = element.get("PaymentID")
        if payment_id and request.method == "POST":
            payment = ledger.payments.get(str(payment_id).lower())
            if payment is None:
                raise Invalid([f"Payment with PaymentID {payment_id} could not be found"])
            return plan_status_change(ledger, now, payment, element)
        return plan_payment(ledger, now, element, reservations=reservations)

    return plan


async def create_payments(request: Request) -> Response:
    return await run_batch(request, "Payments", _planner(request), now_of(request))


async def update_payment(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    payment = ledger.payments.get(request.path_params["PaymentID"].lower())
    if payment is None:
        await request.body()
        return not_found()
    return await run_batch(
        request, "Payments", lambda element: plan_status_change(ledger, now, payment, element), now
    )


def routes() -> list[Route]:
    return [
        Route("/Payments", list_payments, methods=["GET"]),
        Route("/Payments", create_payments, methods=["PUT", "POST"]),
        Route("/Payments/{PaymentID}", get_payment, methods=["GET"]),
        Route("/Payments/{PaymentID}", update_payment, methods=["POST"]),
    ]
