"""Credit the company holds with a supplier: the rest of an overpayment or prepayment
made to it in Xero.

It is made from Xero and follows Xero only: what Xero has allocated of it to bills is
what is used, and one voided in Xero is voided here. Nothing of it is sent to Xero.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from ledgerlink.domain._values import check_date, optional_text
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.money import ZERO, Currency, money


class SupplierCreditSource(enum.StrEnum):
    """What it is in Xero."""

    OVERPAYMENT = "overpayment"
    PREPAYMENT = "prepayment"


@dataclass(kw_only=True, eq=False)
class SupplierCredit(Aggregate):
    """Money paid to a supplier in Xero beyond its bills, not yet allocated to one."""

    KIND: ClassVar[str] = "supplier_credit"
    LABEL: ClassVar[str] = "supplier credit"

    supplier_id: UUID
    source: SupplierCreditSource
    date: dt.date
    amount: Decimal
    currency: Currency
    amount_used: Decimal = ZERO
    voided: bool = False
    reference: str | None = None

    def __post_init__(self) -> None:
        self.source = SupplierCreditSource(self.source)
        self.date = check_date(self.date, "date")
        self.amount = money(self.amount, "amount")
        if self.amount <= 0:
            raise InvalidValue("amount", f"must be more than 0, got {self.amount}")
        self.currency = Currency(self.currency)
        self.amount_used = self._checked(self.amount_used)
        self.reference = optional_text(self.reference, "reference", max_length=255)

    def _checked(self, amount: object) -> Decimal:
        used = money(amount, "amount_used")
        if not ZERO <= used <= self.amount:
            raise InvalidValue("amount_used", f"must be from 0 to {self.amount}, got {used}")
        return used

    @property
    def remaining(self) -> Decimal:
        """What is left to allocate to bills (none once voided)."""
        return ZERO if self.voided else self.amount - self.amount_used

    @property
    def status(self) -> str:
        """open while some is left, used once all is allocated, voided once voided."""
        if self.voided:
            return "voided"
        return "open" if self.remaining > 0 else "used"

    def follow(self, used: Decimal, *, voided: bool) -> None:
        """Take what is used of it, and whether it stands, as Xero says; nothing is sent.

        Raises:
            InvalidValue: ``used`` is below 0 or above the credit.
        """
        checked = self._checked(used)
        if (checked, voided) != (self.amount_used, self.voided):
            self.amount_used, self.voided = checked, voided
            self._bump()
