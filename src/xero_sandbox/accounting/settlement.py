"""Money against documents: payments, and allocations of credit (credit notes, overpayments,
prepayments) to invoices. Each keeps the invoice's and the credit's balances right."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xero_sandbox.accounting.documents import ZERO, check_lock_date, refresh_invoice_balance
from xero_sandbox.accounting.events import CREDITNOTE, INVOICE, UPDATE
from xero_sandbox.accounting.fields import Problems, a_date, decimal
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.invoices import find_invoice
from xero_sandbox.accounting.ledger import Ledger, Record


@dataclass(frozen=True)
class CreditKind:
    """Where one kind of credit lives and how it shows on the invoices it pays."""

    table: str
    id_field: str
    invoice_list: str
    number_field: str | None
    event_category: str | None
    invoice_type: dict[str, str]


CREDIT_NOTE = CreditKind(
    "CreditNotes", "CreditNoteID", "CreditNotes", "CreditNoteNumber", CREDITNOTE,
    {"ACCPAYCREDIT": "ACCPAY", "ACCRECCREDIT": "ACCREC"},
)  # fmt: skip
OVERPAYMENT = CreditKind(
    "Overpayments", "OverpaymentID", "Overpayments", None, None,
    {"SPEND-OVERPAYMENT": "ACCPAY", "RECEIVE-OVERPAYMENT": "ACCREC"},
)  # fmt: skip
PREPAYMENT = CreditKind(
    "Prepayments", "PrepaymentID", "Prepayments", None, None,
    {"SPEND-PREPAYMENT": "ACCPAY", "RECEIVE-PREPAYMENT": "ACCREC"},
)  # fmt: skip


class Reservations:
    """Money promised by elements of one request that are planned but not yet stored.

    With summarizeErrors=true every element is checked before any is stored, so two
    payments of one invoice in one request must not both count on the whole amount due.
    """

    def __init__(self) -> None:
        self._held: dict[str, Decimal] = {}

    def held(self, key: str) -> Decimal:
        return self._held.get(key, ZERO)

    def hold(self, key: str, amount: Decimal) -> None:
        self._held[key] = self.held(key) + amount

    def release(self, key: str, amount: Decimal) -> None:
        self._held[key] = self.held(key) - amount


def invoice_summary(invoice: Record) -> Record:
    """How a payment or allocation shows the invoice it settles."""
    return {
        "InvoiceID": invoice["InvoiceID"],
        "InvoiceNumber": invoice.get("InvoiceNumber", ""),
        "Type": invoice["Type"],
        "Contact": {
            "ContactID": invoice["Contact"]["ContactID"],
            "Name": invoice["Contact"]["Name"],
        },
        "CurrencyCode": invoice["CurrencyCode"],
    }


def refresh_credit(credit: Record, now: datetime) -> None:
    """RemainingCredit after allocations and refunds; fully used credit becomes PAID."""
    used = sum((a["Amount"] for a in credit["Allocations"]), ZERO)
    refunded = sum((p["Amount"] for p in credit["Payments"]), ZERO)
    if credit["Status"] in ("VOIDED", "DELETED"):
        credit["RemainingCredit"] = ZERO
        return
    credit["RemainingCredit"] = credit["Total"] - used - refunded
    credit["AppliedAmount"] = used
    if credit["Status"] == "AUTHORISED" and credit["RemainingCredit"] <= 0:
        credit["Status"] = "PAID"
        credit["FullyPaidOnDate"] = now.date()
    elif credit["Status"] == "PAID" and credit["RemainingCredit"] > 0:
        credit["Status"] = "AUTHORISED"
        credit.pop("FullyPaidOnDate", None)
    credit["UpdatedDateUTC"] = now


def note_changed(ledger: Ledger, kind: CreditKind, credit: Record, now: datetime) -> None:
    if kind.event_category is not None:
        ledger.record_event(kind.event_category, UPDATE, credit[kind.id_field], now)


def check_amount(amount: Decimal | None, limit: Decimal, what: str, problems: Problems) -> None:
    """Amounts must be positive and no more than what is outstanding."""
    if amount is None:
        problems.add("Amount is required: give the amount to apply, e.g. 100.00")
    elif amount <= 0:
        problems.add(f"Amount must be greater than zero; got {amount}")
    elif amount > limit:
        problems.add(f"The amount ({amount}) is more than {what} ({limit})")


@dataclass(frozen=True)
class AllocationPlan:
    invoice: Record
    amount: Decimal
    when: date
    reservations: "Reservations"


def plan_allocation(
    ledger: Ledger,
    kind: CreditKind,
    credit: Record,
    element: dict[str, Any],
    now: datetime,
    reservations: Reservations | None = None,
) -> AllocationPlan:
    """Validate allocating part of a credit to an invoice (raises `Invalid`)."""
    problems = Problems()
    raw_invoice = element.get("Invoice")
    invoice = None
    if isinstance(raw_invoice, dict):
        key = raw_invoice.get("InvoiceID") or raw_invoice.get("InvoiceNumber")
        invoice = find_invoice(ledger, str(key)) if key else None
    if invoice is None:
        problems.add('Invoice could not be found: give {"Invoice": {"InvoiceID": "..."}}')
        problems.check()
    assert invoice is not None
    if credit["Status"] != "AUTHORISED":
        problems.add(f"Only an AUTHORISED credit can be allocated; this one is {credit['Status']}")
    if invoice["Status"] != "AUTHORISED":
        problems.add(f"Credit can only be allocated to an AUTHORISED invoice; this one is "
                     f"{invoice['Status']}")  # fmt: skip
    if kind.invoice_type[credit["Type"]] != invoice["Type"]:
        problems.add(
            f"A {credit['Type']} credit can only be allocated to "
            f"{kind.invoice_type[credit['Type']]} invoices"
        )
    if invoice["Contact"]["ContactID"] != credit["Contact"]["ContactID"]:
        problems.add("The invoice and the credit must be for the same contact")
    if invoice["CurrencyCode"] != credit["CurrencyCode"]:
        problems.add("The invoice and the credit must be in the same currency")
    amount = decimal(element, "Amount", problems)
    held = reservations or Reservations()
    credit_key, invoice_key = credit[kind.id_field], invoice["InvoiceID"]
    remaining = credit["RemainingCredit"] - held.held(credit_key)
    check_amount(amount, remaining, "the remaining credit", problems)
    due = invoice["AmountDue"] - held.held(invoice_key)
    if amount is not None and amount > due:
        problems.add(f"The amount ({amount}) is more than the amount due on the invoice ({due})")
    when = a_date(element, "Date", problems) or now.date()
    check_lock_date(ledger, when, problems)
    problems.check()
    assert amount is not None
    held.hold(credit_key, amount)
    held.hold(invoice_key, amount)
    return AllocationPlan(invoice, amount, when, held)


def allocate(
    ledger: Ledger, kind: CreditKind, credit: Record, plan: AllocationPlan, now: datetime
) -> Record:
    """Apply a validated allocation; returns the allocation as Xero shows it."""
    allocation_id = new_id()
    invoice = plan.invoice
    plan.reservations.release(credit[kind.id_field], plan.amount)
    plan.reservations.release(invoice["InvoiceID"], plan.amount)
    allocation: Record = {
        "AllocationID": allocation_id,
        "Amount": plan.amount,
        "Date": plan.when,
        "Invoice": invoice_summary(invoice),
        "IsDeleted": False,
    }
    credit["Allocations"].append(allocation)
    entry: Record = {
        kind.id_field: credit[kind.id_field],
        "AppliedAmount": plan.amount,
        "Date": plan.when,
        "Total": credit["Total"],
        "_AllocationID": allocation_id,
    }
    if kind.number_field:
        entry[kind.number_field] = credit.get(kind.number_field, "")
    invoice[kind.invoice_list].append(entry)
    refresh_invoice_balance(invoice, now)
    refresh_credit(credit, now)
    ledger.record_event(INVOICE, UPDATE, invoice["InvoiceID"], now)
    note_changed(ledger, kind, credit, now)
    return {**allocation, kind.table[:-1]: {kind.id_field: credit[kind.id_field]}}


def remove_allocation(
    ledger: Ledger, kind: CreditKind, credit: Record, allocation_id: str, now: datetime
) -> Record | None:
    """Undo an allocation; the invoice owes again what it covered."""
    allocation = next(
        (a for a in credit["Allocations"] if a["AllocationID"] == allocation_id.lower()), None
    )
    if allocation is None:
        return None
    credit["Allocations"].remove(allocation)
    invoice = ledger.invoices[allocation["Invoice"]["InvoiceID"]]
    invoice[kind.invoice_list] = [
        e
        for e in invoice[kind.invoice_list]
        if e.get("_AllocationID") != allocation["AllocationID"]
    ]
    refresh_invoice_balance(invoice, now)
    refresh_credit(credit, now)
    ledger.record_event(INVOICE, UPDATE, invoice["InvoiceID"], now)
    note_changed(ledger, kind, credit, now)
    return {**allocation, "IsDeleted": True}
