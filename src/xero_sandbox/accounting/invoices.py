"""Sales invoices (ACCREC) and bills (ACCPAY): creating, editing and status changes.

Statuses move as Xero allows: DRAFT and SUBMITTED may be edited, approved or deleted;
AUTHORISED may be edited while nothing is paid or credited, or voided; PAID, VOIDED and
DELETED are final ("Invoice not of valid status for modification").
"""

from datetime import datetime
from typing import Any

from xero_sandbox.accounting.batch import Plan
from xero_sandbox.accounting.contacts import choose_contact, contact_reference
from xero_sandbox.accounting.documents import (
    ALLOCATED_MESSAGE,
    MODIFY_STATUS_MESSAGE,
    ZERO,
    check_lock_date,
    currency,
    document_date,
    document_lines,
    line_amount_types,
    posts_to_ledger,
    refresh_invoice_balance,
    short_text,
    status,
)
from xero_sandbox.accounting.events import CREATE, INVOICE, UPDATE
from xero_sandbox.accounting.fields import Invalid, Problems, a_date, choice
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.lines import LineRules, totals_of
from xero_sandbox.accounting.payment_terms import due_date as term_due_date
from xero_sandbox.accounting.stock import move_stock, stock_moves

INVOICE_TYPES = ("ACCPAY", "ACCREC")
STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED")
CREATE_STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED")
APPROVED = ("SUBMITTED", "AUTHORISED")
TRANSITIONS: dict[str, frozenset[str]] = {
    "DRAFT": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "SUBMITTED": frozenset({"DRAFT", "SUBMITTED", "AUTHORISED", "DELETED"}),
    "AUTHORISED": frozenset({"AUTHORISED", "VOIDED"}),
    "PAID": frozenset(),
    "VOIDED": frozenset(),
    "DELETED": frozenset(),
}
# Fields that change what is owed; refused once money is allocated to the invoice.
_FINANCIAL_FIELDS = ("LineItems", "Contact", "LineAmountTypes", "CurrencyCode", "CurrencyRate")


def invoice_by_number(ledger: Ledger, number: str) -> Record | None:
    """The invoice with this InvoiceNumber (the newest, for repeated bill numbers)."""
    exact = [
        i
        for i in ledger.lookup("Invoices", "InvoiceNumber", number)
        if i["InvoiceNumber"] == number
    ]
    return exact[-1] if exact else None


def find_invoice(ledger: Ledger, key: str) -> Record | None:
    """An invoice by InvoiceID, or by InvoiceNumber as Xero also allows."""
    return ledger.invoices.get(key.lower()) or invoice_by_number(ledger, key)


def has_allocations(invoice: Record) -> bool:
    return bool(
        invoice["Payments"]
        or invoice["CreditNotes"]
        or invoice["Overpayments"]
        or invoice["Prepayments"]
    )


def _number_taken(ledger: Ledger, number: str, except_id: str | None) -> bool:
    return any(
        invoice["Type"] == "ACCREC"
        and invoice["InvoiceID"] != except_id
        and invoice["Status"] != "DELETED"
        for invoice in ledger.lookup("Invoices", "InvoiceNumber", number)
    )


def _target(ledger: Ledger, element: dict[str, Any], may_update: bool) -> Record | None:
    if not may_update:
        return None
    invoice_id = element.get("InvoiceID")
    if invoice_id:
        return ledger.invoices.get(str(invoice_id).lower())
    number = element.get("InvoiceNumber")
    if number and element.get("Type", "ACCREC") == "ACCREC":
        found = invoice_by_number(ledger, str(number))
        if found is not None and found["Type"] == "ACCREC":
            return found
    return None


def plan_invoice(
    ledger: Ledger,
    now: datetime,
    element: dict[str, Any],
    *,
    may_update: bool,
    unit_dp: int,
    batch_numbers: set[str],
) -> Plan:
    """Validate one invoice element (new, or an update of an existing one)."""
    problems = Problems()
    existing = _target(ledger, element, may_update)
    if element.get("InvoiceID") and existing is None:
        raise Invalid([f"Invoice with InvoiceID {element['InvoiceID']} could not be found"])
    current: Record = existing or {}
    if existing is None:
        type_ = choice(element, "Type", INVOICE_TYPES, problems)
        if element.get("Type") is None:
            problems.add("Type is required: use ACCPAY for a bill or ACCREC for a sales invoice")
    else:
        type_ = existing["Type"]
    new_status = status(element, STATUSES, problems, current.get("Status"))
    if existing is None:
        new_status = new_status or "DRAFT"
        if new_status not in CREATE_STATUSES:
            problems.add("Invoice not of valid status for creation")
    else:
        if new_status not in TRANSITIONS[existing["Status"]]:
            raise Invalid([MODIFY_STATUS_MESSAGE])
        touches_money = any(field in element for field in _FINANCIAL_FIELDS)
        if has_allocations(existing) and (touches_money or new_status == "VOIDED"):
            raise Invalid([ALLOCATED_MESSAGE])
    # Approving re-checks what a draft was allowed to leave loose (Xero validates again).
    approving = existing is not None and new_status != existing["Status"] and new_status in APPROVED
    contact = None
    if existing is None or "Contact" in element:
        contact = choose_contact(ledger, element.get("Contact"), problems)
    elif approving:
        choose_contact(ledger, existing["Contact"], problems)
    date = document_date(element, "Date", problems, current.get("Date")) or now.date()
    due_date = document_date(element, "DueDate", problems, current.get("DueDate"))
    if due_date is None and type_ is not None:
        side = "Bills" if type_ == "ACCPAY" else "Sales"
        named = contact.existing if contact is not None else None
        contact_terms = (named or {}).get("PaymentTerms") or {}
        org_terms = ledger.organisation.get("PaymentTerms") or {}
        due_date = term_due_date(date, contact_terms.get(side) or org_terms.get(side))
    if new_status in ("SUBMITTED", "AUTHORISED") and due_date is None:
        problems.add(
            "DueDate is required before an invoice is submitted or approved: give YYYY-MM-DD"
        )
    if posts_to_ledger(new_status, current.get("Status")):
        check_lock_date(ledger, date, problems)
    amounts_type = line_amount_types(element, problems, current.get("LineAmountTypes"))
    currency_code, currency_rate = currency(ledger, element, problems, current.get("CurrencyCode"))
    number = short_text(element, "InvoiceNumber", problems, 255, current.get("InvoiceNumber"))
    if type_ == "ACCREC" and number:
        if _number_taken(ledger, number, current.get("InvoiceID")) or (
            existing is None and number in batch_numbers
        ):
            problems.add("Invoice # must be unique.")
        batch_numbers.add(number)
    reference = short_text(element, "Reference", problems, 255, current.get("Reference", ""))
    rules = LineRules(
        kind=type_ or "ACCPAY",
        line_amount_types=amounts_type,
        unit_dp=unit_dp,
        account_required=new_status in ("SUBMITTED", "AUTHORISED"),
    )
    lines = document_lines(ledger, element, existing, rules, problems, rebuild=approving)
    if new_status in ("SUBMITTED", "AUTHORISED") and not lines:
        problems.add("LineItems is required: an invoice needs at least one line to be approved")
    totals, discount = totals_of(lines, amounts_type)
    if totals.total < 0:
        problems.add("Total must not be negative: raise a credit note instead")
    expected = a_date(element, "ExpectedPaymentDate", problems)
    planned = a_date(element, "PlannedPaymentDate", problems)
    problems.check()
    assert type_ is not None and new_status is not None

    def save() -> Record:
        chosen = contact.resolve(ledger, now) if contact is not None else None
        record = existing if existing is not None else _blank(type_)
        stock_before = stock_moves(ledger, record)
        if chosen is not None:
            record["Contact"] = contact_reference(chosen)
            chosen["IsSupplier" if type_ == "ACCPAY" else "IsCustomer"] = True
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
            TotalDiscount=discount,
            IsDiscounted=bool(discount),
            UpdatedDateUTC=now,
        )
        if due_date is not None:
            record["DueDate"] = due_date
        for field, value in (("ExpectedPaymentDate", expected), ("PlannedPaymentDate", planned)):
            if value:
                record[field] = value
        if number:
            record["InvoiceNumber"] = number
        elif type_ == "ACCREC" and not record.get("InvoiceNumber"):
            record["InvoiceNumber"] = _next_invoice_number(ledger)
        elif not record.get("InvoiceNumber"):
            record["InvoiceNumber"] = ""
        refresh_invoice_balance(record, now)
        if existing is None:
            ledger.add("Invoices", record)
        else:
            ledger.note("Invoices", record)
        move_stock(ledger, stock_before, stock_moves(ledger, record))
        ledger.record_event(
            INVOICE, CREATE if existing is None else UPDATE, record["InvoiceID"], now
        )
        return record

    return save


def _next_invoice_number(ledger: Ledger) -> str:
    while True:
        number = ledger.next_number("INV")
        if invoice_by_number(ledger, number) is None:
            return number


def _blank(type_: str) -> Record:
    return {
        "Type": type_,
        "InvoiceID": new_id(),
        "InvoiceNumber": "",
        "Reference": "",
        "Payments": [],
        "CreditNotes": [],
        "Prepayments": [],
        "Overpayments": [],
        "AmountDue": ZERO,
        "AmountPaid": ZERO,
        "AmountCredited": ZERO,
        "SentToContact": False,
        "HasAttachments": False,
        "HasErrors": False,
    }
