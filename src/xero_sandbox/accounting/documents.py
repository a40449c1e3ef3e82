"""What invoices, credit notes, purchase orders and bank transactions share: header fields,
the lock date, currencies, and balances after payments and allocations."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xero_sandbox.accounting.contacts import contact_reference
from xero_sandbox.accounting.fields import Problems, a_date, choice, decimal, text
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.lines import LineRules, build_lines, shown_at
from xero_sandbox.accounting.totals import EXCLUSIVE, LINE_AMOUNT_TYPES

ZERO = Decimal("0.00")
MODIFY_STATUS_MESSAGE = "Invoice not of valid status for modification"
ALLOCATED_MESSAGE = (
    "This document cannot be edited as it has a payment or credit note allocated to it."
)


def line_amount_types(element: dict[str, Any], problems: Problems, current: str | None) -> str:
    """`LineAmountTypes`: Exclusive (the default), Inclusive or NoTax."""
    value = element.get("LineAmountTypes")
    if value is None:
        return current or EXCLUSIVE
    for allowed in LINE_AMOUNT_TYPES:
        if isinstance(value, str) and value.lower() == allowed.lower():
            return allowed
    problems.add(f"LineAmountTypes {value!r} is not valid: use Exclusive, Inclusive or NoTax")
    return current or EXCLUSIVE


def currency(
    ledger: Ledger, element: dict[str, Any], problems: Problems, current: str | None
) -> tuple[str, Decimal]:
    """`CurrencyCode` (must be enabled for the organisation) and its `CurrencyRate`."""
    code = text(element, "CurrencyCode", problems) or current or ledger.base_currency
    if code not in {c["Code"] for c in ledger.currencies}:
        problems.add(f"Organisation is not subscribed to currency {code}")
    rate = decimal(element, "CurrencyRate", problems)
    if code == ledger.base_currency:
        rate = Decimal(1)
    elif rate is not None and rate <= 0:
        problems.add(f"CurrencyRate must be greater than zero; got {rate}")
    return code, rate if rate is not None else Decimal(1)


def check_lock_date(ledger: Ledger, when: date | None, problems: Problems) -> None:
    """Nothing that posts to the ledger may be dated on or before a lock date.

    Xero names each lock date the document falls under, with the date ("30-Nov-2018").
    Drafts and documents awaiting approval are not posted, so callers check only what posts:
    approved (or voided) invoices and credit notes, payments, allocations, bank transactions.
    """
    if when is None:
        return
    period = ledger.organisation.get("PeriodLockDate")
    year_end = ledger.organisation.get("EndOfYearLockDate")
    if isinstance(period, date) and when <= period:
        problems.add(
            "The document date cannot be before the period lock date, currently set at "
            f"{_xero_day(period)}"
        )
    if isinstance(year_end, date) and when <= year_end:
        problems.add(
            "The document date cannot be before the end of year lock date, currently set at "
            f"{_xero_day(year_end)}"
        )


def posts_to_ledger(new_status: str | None, old_status: str | None) -> bool:
    """Whether saving a document in this status touches the books (so lock dates apply)."""
    return new_status in ("AUTHORISED", "PAID", "VOIDED") or old_status in ("AUTHORISED", "PAID")


def _xero_day(day: date) -> str:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{day.day:02d}-{months[day.month - 1]}-{day.year}"


def document_date(
    element: dict[str, Any], field: str, problems: Problems, current: date | None
) -> date | None:
    """A date field, keeping the current value when the element leaves it out."""
    if field not in element:
        return current
    return a_date(element, field, problems)


def status(
    element: dict[str, Any], allowed: tuple[str, ...], problems: Problems, current: str | None
) -> str | None:
    """The requested `Status`, or the current one."""
    if "Status" not in element:
        return current
    return choice(element, "Status", allowed, problems)


def short_text(
    element: dict[str, Any], field: str, problems: Problems, limit: int, current: Any
) -> Any:
    """A text field, keeping the current value when the element leaves it out."""
    if field not in element:
        return current
    return text(element, field, problems, max_length=limit) or ""


def document_lines(
    ledger: Ledger,
    element: dict[str, Any],
    existing: Record | None,
    rules: LineRules,
    problems: Problems,
    *,
    rebuild: bool = False,
) -> list[Record]:
    """The element's line items, built and checked. An update that sends neither
    `LineItems` nor `LineAmountTypes` keeps the existing lines as they are."""
    if existing is None or rebuild or "LineItems" in element or "LineAmountTypes" in element:
        source = element.get("LineItems", (existing or {}).get("LineItems"))
        return build_lines(ledger, source, rules, problems)
    lines: list[Record] = existing["LineItems"]
    return lines


def applied(entries: list[Record]) -> Decimal:
    """The sum of `AppliedAmount` over allocation summaries."""
    return sum((entry["AppliedAmount"] for entry in entries), ZERO)


def refresh_invoice_balance(invoice: Record, now: datetime) -> None:
    """Recompute AmountPaid/AmountCredited/AmountDue and move between AUTHORISED and PAID."""
    paid = sum((p["Amount"] for p in invoice["Payments"]), ZERO)
    credited = (
        applied(invoice["CreditNotes"])
        + applied(invoice["Overpayments"])
        + applied(invoice["Prepayments"])
    )
    invoice["AmountPaid"] = paid
    invoice["AmountCredited"] = credited
    if invoice["Status"] in ("VOIDED", "DELETED"):
        invoice["AmountDue"] = ZERO
        return
    invoice["AmountDue"] = invoice["Total"] - paid - credited
    # An approved invoice with nothing to pay (a $0 invoice) is PAID at once, as in Xero.
    settled = paid or credited or not invoice["Total"]
    if invoice["Status"] == "AUTHORISED" and invoice["AmountDue"] <= 0 and settled:
        invoice["Status"] = "PAID"
        dates = [p["Date"] for p in invoice["Payments"]] + [
            c["Date"]
            for c in invoice["CreditNotes"] + invoice["Overpayments"] + invoice["Prepayments"]
        ]
        invoice["FullyPaidOnDate"] = max(dates) if dates else now.date()
    elif invoice["Status"] == "PAID" and invoice["AmountDue"] > 0:
        invoice["Status"] = "AUTHORISED"
        invoice.pop("FullyPaidOnDate", None)
    invoice["UpdatedDateUTC"] = now


def present(ledger: Ledger, records: list[Record], unit_dp: int) -> list[Record]:
    """Documents as a GET shows them: the contact as it is now (Xero shows a renamed
    contact's new name on old documents), unit amounts at the asked precision."""
    shown = []
    for record in shown_at(records, unit_dp):
        contact = ledger.contacts.get(record.get("Contact", {}).get("ContactID", ""))
        if contact is not None:
            record = {**record, "Contact": contact_reference(contact)}
        shown.append(record)
    return shown
