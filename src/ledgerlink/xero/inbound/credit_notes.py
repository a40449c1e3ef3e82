"""A credit note made in Xero, as the fields of a credit note here.

An ``ACCPAYCREDIT`` is a supplier's credit (purchase), an ``ACCRECCREDIT`` one given to a
customer (sales). A line's tax rate is the organisation's rate for its tax type when it
was imported, else the line's own tax over its amount (what Xero computed it with).
``live_allocations`` lists what Xero has allocated of a credit note now, ``refunded`` what
it paid out of it (its payments, each a refund to the customer or from the supplier).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ledgerlink.domain.credit_note import CreditNoteKind
from ledgerlink.domain.money import LineAmountType
from xero_client import CreditNote, LineItem

KINDS = {"ACCPAYCREDIT": CreditNoteKind.PURCHASE, "ACCRECCREDIT": CreditNoteKind.SALES}
#: The party a credit note's contact is here, by its kind.
PARTY_KINDS = {CreditNoteKind.PURCHASE: "supplier", CreditNoteKind.SALES: "customer"}
#: Xero statuses of a credit note that stands (a draft is not a credit yet).
STANDING = frozenset({"AUTHORISED", "PAID"})
ENDED = frozenset({"VOIDED", "DELETED"})
RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class LiveAllocation:
    """One allocation of a credit note that Xero holds now (not deleted)."""

    allocation_id: str
    invoice_id: str
    amount: Decimal


def live_allocations(note: CreditNote) -> list[LiveAllocation]:
    """The allocations Xero holds of `note` now; none of one voided or deleted."""
    if (note.status or "").upper() in ENDED:
        return []
    return [
        LiveAllocation(
            (allocation.allocation_id or "").lower(),
            ((allocation.invoice.invoice_id if allocation.invoice else None) or "").lower(),
            allocation.amount,
        )
        for allocation in note.allocations
        if allocation.amount is not None and allocation.amount > 0 and not allocation.is_deleted
    ]


def refunded(note: CreditNote) -> Decimal:
    """What Xero has paid out of `note` as refunds now: its payments not deleted (a deleted
    one gives its credit back); nothing of one voided or deleted."""
    if (note.status or "").upper() in ENDED:
        return Decimal(0)
    return sum(
        (
            payment.amount
            for payment in note.payments
            if payment.amount is not None
            and payment.amount > 0
            and (payment.status or "").upper() != "DELETED"
        ),
        Decimal(0),
    )


@dataclass(frozen=True, slots=True)
class ImportedCreditNote:
    """What a credit note here is made of, read from Xero."""

    xero_id: str
    kind: CreditNoteKind
    contact_id: str
    fields: dict[str, Any]
    total: Decimal | None


def _rate(line: LineItem, rates: Mapping[str, Decimal], amounts: LineAmountType) -> Decimal | None:
    if line.tax_type and line.tax_type in rates:
        return rates[line.tax_type]
    if line.tax_amount is None or not line.line_amount:
        return None
    net = line.line_amount - line.tax_amount if amounts is LineAmountType.INCLUSIVE else None
    base = net if net is not None else line.line_amount
    return (line.tax_amount / base * 100).quantize(RATE_PLACES) if base else None


def _line(line: LineItem, rates: Mapping[str, Decimal], amounts: LineAmountType) -> dict[str, Any]:
    quantity = line.quantity if line.quantity is not None else Decimal(1)
    price = line.unit_amount
    if price is None:
        price = (line.line_amount or Decimal(0)) / quantity if quantity else Decimal(0)
    return {
        "description": line.description or "",
        "quantity": quantity,
        "unit_price": price,
        "account_code": line.account_code,
        "tax_type": line.tax_type,
        "tax_rate": _rate(line, rates, amounts),
        "item_code": None,
    }


def credit_note_from_xero(
    note: CreditNote, rates: Mapping[str, Decimal]
) -> ImportedCreditNote | None:
    """The credit note's fields here, or None when it is not a credit note of a contact."""
    kind = KINDS.get((note.type or "").upper())
    contact_id = note.contact.contact_id if note.contact is not None else None
    if note.credit_note_id is None or kind is None or contact_id is None or note.date is None:
        return None
    try:
        line_amount_type = LineAmountType(note.line_amount_types or LineAmountType.EXCLUSIVE)
    except ValueError:
        line_amount_type = LineAmountType.EXCLUSIVE
    fields = {
        "kind": kind,
        "number": note.credit_note_number or None,
        "reference": note.reference or None,
        "currency": note.currency_code or "NZD",
        "date": note.date,
        "line_amount_type": line_amount_type,
        "lines": [_line(line, rates, line_amount_type) for line in note.line_items],
    }
    return ImportedCreditNote(
        xero_id=note.credit_note_id.lower(),
        kind=kind,
        contact_id=contact_id.lower(),
        fields=fields,
        total=note.total,
    )
