"""Money owed back to a customer: refunds and store credit.

Both reach Xero as credit notes (``CreditRecorded``); using store credit on an
invoice is an allocation there (``CreditAllocated``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Self
from uuid import UUID

from ledgerlink.domain._values import check_date, optional_account_code, optional_text
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import InvalidDocument, InvalidValue
from ledgerlink.domain.events import CreditAllocated, CreditRecorded
from ledgerlink.domain.money import ZERO, Currency, money


def _positive(value: object, field: str) -> Decimal:
    amount = money(value, field)
    if amount <= 0:
        raise InvalidValue(field, f"must be more than 0, got {amount}")
    return amount


@dataclass(kw_only=True, eq=False)
class Refund(Aggregate):
    """Money paid back to a customer, optionally for one invoice."""

    KIND: ClassVar[str] = "refund"
    LABEL: ClassVar[str] = "refund"

    customer_id: UUID
    date: dt.date
    amount: Decimal
    currency: Currency
    bank_account_code: str | None = None
    invoice_id: UUID | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        self.date = check_date(self.date, "date")
        self.amount = _positive(self.amount, "amount")
        self.currency = Currency(self.currency)
        self.bank_account_code = optional_account_code(self.bank_account_code, "bank_account_code")
        self.reason = optional_text(self.reason, "reason", max_length=1000)

    @classmethod
    def record(cls, **fields: Any) -> Self:
        """A new refund, with the ``CreditRecorded`` event that sends it to Xero."""
        refund = cls(**fields)
        refund.version = 0
        refund._bump(CreditRecorded, amount=refund.amount)
        return refund


@dataclass(kw_only=True, eq=False)
class StoreCredit(Aggregate):
    """Credit a customer holds with the company, e.g. the rest of an overpayment."""

    KIND: ClassVar[str] = "store_credit"
    LABEL: ClassVar[str] = "store credit"

    customer_id: UUID
    date: dt.date
    amount: Decimal
    currency: Currency
    amount_used: Decimal = ZERO
    source_payment_id: UUID | None = None

    def __post_init__(self) -> None:
        self.amount = _positive(self.amount, "amount")
        self.currency = Currency(self.currency)
        self.amount_used = money(self.amount_used, "amount_used")
        if not ZERO <= self.amount_used <= self.amount:
            raise InvalidValue(
                "amount_used", f"must be from 0 to {self.amount}, got {self.amount_used}"
            )

    @classmethod
    def record(cls, **fields: Any) -> Self:
        """A new store credit, with the ``CreditRecorded`` event that sends it to Xero."""
        credit = cls(**fields)
        credit.version = 0
        credit._bump(CreditRecorded, amount=credit.amount)
        return credit

    @property
    def remaining(self) -> Decimal:
        """What is left to use."""
        return self.amount - self.amount_used

    def use(self, amount: Decimal, *, target_id: UUID) -> None:
        """Use ``amount`` of the credit against the invoice ``target_id``.

        Raises:
            InvalidDocument: ``amount`` is not above 0 or above what is left.
        """
        used = money(amount, "amount")
        if used <= 0 or used > self.remaining:
            raise InvalidDocument(
                "amount",
                f"store credit used must be more than 0 and at most the {self.remaining} "
                f"left, got {used}",
            )
        self.amount_used += used
        self._bump(CreditAllocated, amount=used, target_id=target_id)

    def match_used(self, amount: Decimal) -> None:
        """Take what is used of the credit as the books elsewhere say (Xero's allocations
        of the overpayment it came from); nothing is recorded to send.

        Raises:
            InvalidValue: ``amount`` is below 0 or above the credit.
        """
        used = money(amount, "amount_used")
        if not ZERO <= used <= self.amount:
            raise InvalidValue("amount_used", f"must be from 0 to {self.amount}, got {used}")
        if used != self.amount_used:
            self.amount_used = used
            self._bump()
