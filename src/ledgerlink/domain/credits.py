"""Money owed back to a customer: refunds and store credit.

A refund and store credit made by hand reach Xero as credit notes (``CreditRecorded``).
Each use of one is a record of its own (``use_id``): store credit used on an invoice, or a
refund of an invoice, is an allocation there (``CreditAllocated``); a refund whose money
leaves the bank is a payment of its credit note (``CreditPaidOut``). Store credit left by
an overpayment is not a credit note in Xero (see ``Payment.store_credit``).
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
from ledgerlink.domain.events import (
    CREDIT_USE,
    CreditAllocated,
    CreditPaidOut,
    CreditRecorded,
    OverpaymentRecorded,
    use_id,
)
from ledgerlink.domain.money import ZERO, Currency, money


def _positive(value: object, field: str) -> Decimal:
    amount = money(value, field)
    if amount <= 0:
        raise InvalidValue(field, f"must be more than 0, got {amount}")
    return amount


def _raise_use(
    credit: Aggregate,
    event: type[CreditAllocated | CreditPaidOut | OverpaymentRecorded],
    amount: Decimal,
    **extra: Any,
) -> UUID:
    """Count one use of ``credit`` and raise its event as a ``credit_use`` record; its id."""
    credit.version += 1
    used = use_id(credit.id, credit.version)
    credit.events.append(
        event(
            kind=CREDIT_USE,
            document_id=used,
            company_id=credit.company_id,
            version=credit.version,
            amount=amount,
            credit_kind=credit.KIND,
            credit_id=credit.id,
            **extra,
        )
    )
    return used


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
        """A new refund, with the ``CreditRecorded`` event that sends it to Xero, then its
        use: paid out when it names a bank account (money leaves), else allocated to the
        invoice it names."""
        refund = cls(**fields)
        refund.version = 0
        refund._bump(CreditRecorded, amount=refund.amount)
        if refund.bank_account_code is not None:
            _raise_use(
                refund, CreditPaidOut, refund.amount, bank_account_code=refund.bank_account_code
            )
        elif refund.invoice_id is not None:
            _raise_use(refund, CreditAllocated, refund.amount, target_id=refund.invoice_id)
        return refund

    @property
    def use_id(self) -> UUID | None:
        """The id of the refund's use (paid out or allocated), None when it has none."""
        if self.bank_account_code is None and self.invoice_id is None:
            return None
        return use_id(self.id, 2)


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

    @property
    def made_by_hand(self) -> bool:
        """True for credit a person added (a credit note in Xero), not an overpayment's rest."""
        return self.source_payment_id is None

    def send_as_overpayment(self, bank_account_code: str) -> UUID:
        """Send the rest of an overpayment to Xero as an overpayment received into
        ``bank_account_code`` (``OverpaymentRecorded``); its uses are then allocations of
        that overpayment. Returns the record's id (``overpayment_use_id``).

        Raises:
            InvalidDocument: the credit was added by hand (it is a credit note in Xero) or
                was used already.
        """
        if self.made_by_hand or self.amount_used > 0 or self.version != 1:
            raise InvalidDocument(
                "store_credit",
                "only the untouched rest of an overpayment is sent to Xero as an overpayment",
            )
        return _raise_use(
            self, OverpaymentRecorded, self.amount, bank_account_code=bank_account_code
        )

    @property
    def overpayment_use_id(self) -> UUID:
        """The id of the record that sends an overpayment's rest to Xero, if it was sent."""
        return use_id(self.id, 2)

    def use(self, amount: Decimal, *, target_id: UUID) -> UUID:
        """Use ``amount`` of the credit against the invoice ``target_id``; the use's id.

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
        return _raise_use(self, CreditAllocated, used, target_id=target_id)

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
