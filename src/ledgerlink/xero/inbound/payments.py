"""Xero's payments, batch payments and credit allocations as settlements to apply here.

Xero sends no webhook for a payment, so they are read with ``If-Modified-Since``. What
settles a bill or a sales invoice in Xero comes in three shapes, each made one
``Settlement`` (one payment here, split over the documents it pays):

- a payment of one invoice (``/Payments``);
- a batch payment: one payment per invoice in Xero sharing a ``BatchPaymentID``;
- an allocation of an overpayment, a prepayment or a credit note to an invoice (the
  credit note itself is a credit note here too, see ``credit_notes.py``).

A payment of a credit note, an overpayment or a prepayment is a refund of that credit
paid out, never a payment of an invoice, though Xero's ``/Payments`` names a credit note
refunded as its ``Invoice`` (of ``Type`` ``ACCRECCREDIT`` or ``ACCPAYCREDIT``): those are
left out here (``settles_invoice``); a credit note follows its refunds itself
(``credit_elsewhere.py``).

A deleted Xero payment comes back with ``Status: DELETED``; a deleted allocation is simply
no longer listed on its credit, hence ``CreditAllocations.current``. A payment moved to
another invoice is, in Xero, deleted on one and made on the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from xero_client import CreditNote, Overpayment, Payment, Prepayment

#: How each shape is linked here (`xero_links.kind`).
PAYMENT = "payment"
BATCH_PAYMENT = "batch_payment"
CREDIT_ALLOCATION = "credit_allocation"
#: The account code kept on a payment here made from a credit that names none.
CREDIT_ACCOUNT = "credit"
GONE = frozenset({"DELETED", "VOIDED"})
#: The payment types of refunds paid out of a credit (credit note, overpayment, prepayment).
REFUND_TYPES = frozenset(
    {
        "ARCREDITPAYMENT",
        "APCREDITPAYMENT",
        "AROVERPAYMENTPAYMENT",
        "APOVERPAYMENTPAYMENT",
        "ARPREPAYMENTPAYMENT",
        "APPREPAYMENTPAYMENT",
    }
)
#: The types of a credit note, as Xero's ``/Payments`` names one refunded as its Invoice.
CREDIT_NOTE_TYPES = frozenset({"ACCRECCREDIT", "ACCPAYCREDIT"})


@dataclass(frozen=True, slots=True)
class Part:
    """The amount of a settlement that goes to one Xero invoice."""

    invoice_id: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Settlement:
    """One payment, batch payment or credit allocation as Xero holds it now."""

    link_kind: str
    xero_id: str
    deleted: bool
    date: dt.date
    bank_account_code: str
    parts: tuple[Part, ...]
    reference: str | None = None
    #: The credit an allocation belongs to (kept as the link's number), and its kind.
    parent_id: str | None = None
    parent_kind: str | None = None

    @property
    def order(self) -> tuple[bool, dt.date, str]:
        """Deletions first, so a payment moved in Xero frees its old invoice first."""
        return (not self.deleted, self.date, self.xero_id)


@dataclass(frozen=True, slots=True)
class CreditAllocations:
    """The allocations a Xero credit lists now; those linked here and not listed are gone."""

    link_parent: str
    current: frozenset[str] = field(default_factory=frozenset)


def _lower(value: str | None) -> str:
    return (value or "").lower()


def _reference(value: str | None) -> str | None:
    text = (value or "").strip()
    return text[:255] or None


def settles_invoice(payment: Payment) -> bool:
    """Whether a payment read from ``/Payments`` pays an invoice (a bill or sales invoice):
    not a refund of a credit note, overpayment or prepayment."""
    if payment.invoice is None or payment.credit_note is not None:
        return False
    if payment.overpayment is not None or payment.prepayment is not None:
        return False
    if (payment.payment_type or "").upper() in REFUND_TYPES:
        return False
    return (payment.invoice.type or "").upper() not in CREDIT_NOTE_TYPES


def from_payments(payments: Iterable[Payment], today: dt.date) -> list[Settlement]:
    """The settlements of payments read from ``/Payments`` (batches grouped)."""
    batches: dict[str, list[Payment]] = {}
    settlements: list[Settlement] = []
    for payment in payments:
        if payment.payment_id is None or payment.amount is None or not settles_invoice(payment):
            continue  # a refund of a credit note or overpayment settles no invoice
        if payment.batch_payment_id:
            batches.setdefault(payment.batch_payment_id.lower(), []).append(payment)
            continue
        settlements.append(_settlement(PAYMENT, payment.payment_id, [payment], today))
    for batch_id, members in batches.items():
        settlements.append(_settlement(BATCH_PAYMENT, batch_id, members, today))
    return sorted(settlements, key=lambda settlement: settlement.order)


def _settlement(kind: str, xero_id: str, members: Sequence[Payment], today: dt.date) -> Settlement:
    first = members[0]
    # A batch payment is deleted in Xero as a whole, never one invoice of it.
    parts = tuple(
        Part(_lower(member.invoice.invoice_id if member.invoice else None), member.amount)
        for member in members
        if member.amount is not None
    )
    deleted = all((member.status or "").upper() in GONE for member in members)
    account = first.account.code if first.account is not None else None
    return Settlement(
        link_kind=kind,
        xero_id=xero_id.lower(),
        deleted=deleted,
        date=first.date or today,
        bank_account_code=account or CREDIT_ACCOUNT,
        parts=parts,
        reference=_reference(first.reference),
    )


Credit = Overpayment | Prepayment | CreditNote


def _credit_id(credit: Credit) -> tuple[str | None, str]:
    if isinstance(credit, Overpayment):
        return credit.overpayment_id, "overpayment"
    if isinstance(credit, Prepayment):
        return credit.prepayment_id, "prepayment"
    return credit.credit_note_id, "credit_note"


def from_credits(
    credits: Iterable[Credit], today: dt.date
) -> tuple[list[Settlement], list[CreditAllocations]]:
    """The allocations of credits to invoices, and each credit's current set of them."""
    settlements: list[Settlement] = []
    sets: list[CreditAllocations] = []
    for credit in credits:
        credit_id, credit_kind = _credit_id(credit)
        if credit_id is None:
            continue
        live = (credit.status or "").upper() not in GONE
        current: set[str] = set()
        for allocation in credit.allocations if live else ():
            if allocation.allocation_id is None or allocation.amount is None:
                continue
            if allocation.is_deleted or allocation.invoice is None:
                continue
            current.add(allocation.allocation_id.lower())
            settlements.append(
                Settlement(
                    link_kind=CREDIT_ALLOCATION,
                    xero_id=allocation.allocation_id.lower(),
                    deleted=False,
                    date=allocation.date or credit.date or today,
                    bank_account_code=_credit_account(credit),
                    parts=(Part(_lower(allocation.invoice.invoice_id), allocation.amount),),
                    reference=_reference(credit.reference),
                    parent_id=credit_id.lower(),
                    parent_kind=credit_kind,
                )
            )
        sets.append(CreditAllocations(credit_id.lower(), frozenset(current)))
    return sorted(settlements, key=lambda settlement: settlement.order), sets


def _credit_account(credit: Credit) -> str:
    for line in credit.line_items:
        if line.account_code:
            return line.account_code
    return CREDIT_ACCOUNT
