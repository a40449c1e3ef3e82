"""Payments: one amount received or paid, allocated to one or several documents.

A payment over several bills or invoices is a split payment; what is left
after the allocations (an overpayment) becomes ``StoreCredit``.
``settle`` applies a payment's allocations to its documents, all or none.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Self
from uuid import UUID

from ledgerlink.domain._values import (
    check_date,
    optional_text,
    require_account_code,
)
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.credits import StoreCredit
from ledgerlink.domain.errors import InvalidDocument, InvalidTransition, InvalidValue
from ledgerlink.domain.events import DocumentCancelled, PaymentRecorded
from ledgerlink.domain.money import ZERO, Currency, money
from ledgerlink.domain.payable import PayableDocument


@dataclass(frozen=True, kw_only=True, slots=True)
class Allocation:
    """The part of a payment that goes to one bill or sales invoice."""

    document_id: UUID
    amount: Decimal

    def __post_init__(self) -> None:
        amount = money(self.amount, "amount")
        if amount <= 0:
            raise InvalidValue("amount", f"must be more than 0, got {amount}")
        object.__setattr__(self, "amount", amount)


class PaymentStatus(enum.StrEnum):
    """A payment stands (``recorded``) or was taken back (``deleted``)."""

    RECORDED = "recorded"
    DELETED = "deleted"


@dataclass(kw_only=True, eq=False)
class Payment(Aggregate):
    """Money received from a customer or paid to a supplier.

    ``record()`` makes one that must reach Xero (``PaymentRecorded``); a payment
    read from Xero is built directly and raises nothing.
    """

    KIND: ClassVar[str] = "payment"
    LABEL: ClassVar[str] = "payment"

    date: dt.date
    amount: Decimal
    currency: Currency
    bank_account_code: str
    allocations: tuple[Allocation, ...] = ()
    reference: str | None = None
    party_id: UUID | None = None
    status: PaymentStatus = PaymentStatus.RECORDED

    def __post_init__(self) -> None:
        self.date = check_date(self.date, "date")
        self.amount = money(self.amount, "amount")
        if self.amount <= 0:
            raise InvalidValue("amount", f"must be more than 0, got {self.amount}")
        self.currency = Currency(self.currency)
        self.bank_account_code = require_account_code(self.bank_account_code, "bank_account_code")
        self.reference = optional_text(self.reference, "reference", max_length=255)
        self.status = PaymentStatus(self.status)
        self.allocations = _allocations(self.allocations)
        allocated = self.allocated
        if allocated > self.amount:
            raise InvalidDocument(
                "allocations",
                f"the allocations add up to {allocated}, above the payment's {self.amount}",
            )

    @classmethod
    def record(cls, **fields: Any) -> Self:
        """A new payment, with the ``PaymentRecorded`` event that sends it to Xero."""
        payment = cls(**fields)
        payment.version = 0
        payment._bump(PaymentRecorded, amount=payment.amount)
        return payment

    @property
    def allocated(self) -> Decimal:
        """The sum of the allocations."""
        return sum((a.amount for a in self.allocations), ZERO)

    @property
    def unallocated(self) -> Decimal:
        """What the allocations leave over (an overpayment when above 0)."""
        return self.amount - self.allocated

    @property
    def is_split(self) -> bool:
        """True when the payment goes to more than one document."""
        return len(self.allocations) > 1

    def store_credit(self, customer_id: UUID) -> StoreCredit | None:
        """The overpayment as a new store credit for ``customer_id``, or None.

        It stays here and raises no event: in Xero the payment carries only the applied
        part, and the credit reaches Xero as a payment once it is used on an invoice.
        Only store credit a person adds by hand (``StoreCredit.record``) becomes a credit
        note in Xero.
        """
        if self.unallocated <= 0:
            return None
        return StoreCredit(
            company_id=self.company_id,
            customer_id=customer_id,
            date=self.date,
            amount=self.unallocated,
            currency=self.currency,
            source_payment_id=self.id,
        )

    def delete(self, *, from_xero: bool = False) -> None:
        """Take the payment back; unless Xero deleted it, Xero must delete it too."""
        if self.status is PaymentStatus.DELETED:
            raise InvalidTransition("delete", self.LABEL, "deleted", ["recorded"])
        self.status = PaymentStatus.DELETED
        self._bump(None if from_xero else DocumentCancelled)


def _allocations(raw: Iterable[Allocation]) -> tuple[Allocation, ...]:
    allocations = tuple(raw)
    seen: set[UUID] = set()
    for index, allocation in enumerate(allocations):
        if not isinstance(allocation, Allocation):
            raise InvalidValue(f"allocations[{index}]", "expected an Allocation")
        if allocation.document_id in seen:
            raise InvalidDocument(
                f"allocations[{index}].document_id",
                f"document {allocation.document_id} is allocated twice; merge the amounts",
            )
        seen.add(allocation.document_id)
    return allocations


def allocate_in_order(
    amount: Decimal, documents: Sequence[PayableDocument]
) -> tuple[tuple[Allocation, ...], Decimal]:
    """Spread ``amount`` over ``documents`` in order, each up to its amount due.

    Returns:
        The allocations and what is left over (an overpayment when above 0).
    """
    left = money(amount, "amount")
    allocations: list[Allocation] = []
    for document in documents:
        if left <= 0:
            break
        due = document.amount_due
        if due <= 0 or document.status not in (document.OPEN, document.PARTIALLY_PAID):
            continue
        part = min(due, left)
        allocations.append(Allocation(document_id=document.id, amount=part))
        left -= part
    return tuple(allocations), left


def settle(payment: Payment, documents: Mapping[UUID, PayableDocument]) -> None:
    """Apply every allocation of ``payment`` to its document: all of them or none.

    Raises:
        InvalidDocument: a document is missing, of another company or currency,
            not open for payment, or owes less than its allocation.
    """
    for index, allocation in enumerate(payment.allocations):
        field = f"allocations[{index}]"
        document = documents.get(allocation.document_id)
        if document is None:
            raise InvalidDocument(
                f"{field}.document_id", f"no bill or invoice {allocation.document_id}"
            )
        if document.company_id != payment.company_id:
            raise InvalidDocument(
                f"{field}.document_id",
                f"no bill or invoice {allocation.document_id} in this company",
            )
        if document.currency != payment.currency:
            raise InvalidDocument(
                f"{field}.document_id",
                f"the payment is in {payment.currency} but the {document.LABEL} is in "
                f"{document.currency}",
            )
        if document.status not in (document.OPEN, document.PARTIALLY_PAID):
            raise InvalidDocument(
                f"{field}.document_id",
                f"the {document.LABEL} is {str(document.status.value).replace('_', ' ')}; "
                f"payments go to {document.OPEN.value} or partially paid ones",
            )
        if allocation.amount > document.amount_due:
            raise InvalidDocument(
                f"{field}.amount",
                f"{allocation.amount} is above the amount due {document.amount_due} on the "
                f"{document.LABEL}",
            )
    for allocation in payment.allocations:
        documents[allocation.document_id].apply_payment(allocation.amount, payment_id=payment.id)


def unsettle(payment: Payment, documents: Mapping[UUID, PayableDocument]) -> None:
    """Take a deleted payment's allocations back off its documents: all of them or none.

    Raises:
        InvalidDocument: a document is missing or was paid less than its allocation.
    """
    for index, allocation in enumerate(payment.allocations):
        document = documents.get(allocation.document_id)
        if document is None:
            raise InvalidDocument(
                f"allocations[{index}].document_id",
                f"no bill or invoice {allocation.document_id}",
            )
        if allocation.amount > document.amount_paid:
            raise InvalidDocument(
                f"allocations[{index}].amount",
                f"{allocation.amount} is above the {document.amount_paid} paid on the "
                f"{document.LABEL}",
            )
    for allocation in payment.allocations:
        documents[allocation.document_id].remove_payment(allocation.amount, payment_id=payment.id)
