"""Documents that are paid: bills and sales invoices share how payments apply."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from ledgerlink.domain._values import article, check_date
from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import InvalidDocument, InvalidValue
from ledgerlink.domain.events import PaymentApplied, PaymentRemoved
from ledgerlink.domain.money import ZERO, money


@dataclass(kw_only=True, eq=False)
class PayableDocument(Document):
    """A document with a due date that payments settle.

    Subclasses name their statuses: ``OPEN`` (sent, nothing paid),
    ``PARTIALLY_PAID`` and ``PAID``.
    """

    OPEN: ClassVar[Any]
    PARTIALLY_PAID: ClassVar[Any]
    PAID: ClassVar[Any]

    date: dt.date
    due_date: dt.date | None = None
    amount_paid: Decimal = ZERO

    def __post_init__(self) -> None:
        self.date = check_date(self.date, "date")
        if self.due_date is not None:
            self.due_date = check_date(self.due_date, "due_date")
        self.amount_paid = money(self.amount_paid, "amount_paid")
        if self.amount_paid < 0:
            raise InvalidValue("amount_paid", f"may not be negative, got {self.amount_paid}")
        if self.due_date is not None and self.due_date < self.date:
            raise InvalidDocument(
                "due_date",
                f"must be on or after the date {self.date.isoformat()}, "
                f"got {self.due_date.isoformat()}",
            )
        super().__post_init__()

    @property
    def amount_due(self) -> Decimal:
        """What is left to pay: total − amount paid."""
        return self.total - self.amount_paid

    def _check_ready(self, adjective: str) -> None:
        super()._check_ready(adjective)
        if self.due_date is None:
            label = f"{adjective} {self.LABEL}"
            raise InvalidDocument("due_date", f"{article(label)} {label} needs a due date")

    def apply_payment(self, amount: Decimal, *, payment_id: UUID | None = None) -> None:
        """Apply (part of) a payment: the status becomes partially paid or paid.

        Raises:
            InvalidTransition: the document is not open for payments.
            InvalidDocument: ``amount`` is not above 0 or is above the amount due.
        """
        self._require("pay", {self.OPEN, self.PARTIALLY_PAID})
        paid = money(amount, "amount")
        if paid <= 0:
            raise InvalidDocument("amount", f"a payment must be more than 0, got {paid}")
        due = self.amount_due
        if paid > due:
            raise InvalidDocument(
                "amount",
                f"a payment of {paid} is above the amount due {due} on {self._named()}",
            )
        self.amount_paid += paid
        self.status = self.PAID if self.amount_due == 0 else self.PARTIALLY_PAID
        self._bump(PaymentApplied, amount=paid, payment_id=payment_id)

    def remove_payment(self, amount: Decimal, *, payment_id: UUID | None = None) -> None:
        """Take back a payment applied earlier (e.g. deleted or moved in Xero).

        Raises:
            InvalidTransition: nothing has been paid.
            InvalidDocument: ``amount`` is above what was paid.
        """
        self._require("remove a payment from", {self.PARTIALLY_PAID, self.PAID})
        removed = money(amount, "amount")
        if removed <= 0 or removed > self.amount_paid:
            raise InvalidDocument(
                "amount",
                f"a removed payment must be more than 0 and at most the {self.amount_paid} "
                f"paid, got {removed}",
            )
        self.amount_paid -= removed
        self.status = self.PARTIALLY_PAID if self.amount_paid else self.OPEN
        self._bump(PaymentRemoved, amount=removed, payment_id=payment_id)

    def _named(self) -> str:
        return f"{self.LABEL} {self.number}" if self.number else f"this {self.LABEL}"
