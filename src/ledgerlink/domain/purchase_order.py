"""Purchase orders and their lifecycle.

::

    draft ──submit──▶ submitted ──approve──▶ approved ──finish──▶ finished
      ▲                  │
      └─────reject───────┘
    draft | submitted | approved ──cancel──▶ cancelled

Approval sends the order to Xero (``DocumentApproved``); edits once approved,
cancelling an approved order and finishing it follow it there. Submitting and
rejecting stay local (``DocumentSubmitted``, ``DocumentRejected``).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from ledgerlink.domain._values import (
    check_date,
    optional_account_code,
    optional_text,
    require_text,
    to_decimal,
)
from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import InvalidDocument, InvalidValue
from ledgerlink.domain.events import (
    DocumentApproved,
    DocumentCancelled,
    DocumentFinished,
    DocumentRejected,
    DocumentSubmitted,
)
from ledgerlink.domain.lines import Line
from ledgerlink.domain.money import money
from ledgerlink.domain.parties import Address, to_address

SHIPPING_DESCRIPTION = "Shipping"


class PurchaseOrderStatus(enum.StrEnum):
    """Where a purchase order is in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    FINISHED = "finished"
    CANCELLED = "cancelled"


_S = PurchaseOrderStatus


@dataclass(kw_only=True, eq=False)
class PurchaseOrder(Document):
    """An order to a supplier; approved orders are sent to Xero as purchase orders.

    ``shipping_cost`` becomes an extra line (account ``shipping_account_code``,
    tax ``shipping_tax_type`` at ``shipping_tax_rate``) and counts in the totals.
    """

    KIND: ClassVar[str] = "purchase_order"
    LABEL: ClassVar[str] = "purchase order"
    PURCHASE: ClassVar[bool] = True
    EDITABLE_IN: ClassVar[frozenset[PurchaseOrderStatus]] = frozenset(
        {_S.DRAFT, _S.SUBMITTED, _S.APPROVED}
    )
    SENT_STATUSES: ClassVar[frozenset[PurchaseOrderStatus]] = frozenset({_S.APPROVED})
    EDITABLE_FIELDS: ClassVar[frozenset[str]] = Document.EDITABLE_FIELDS | {
        "supplier_id", "date", "delivery_date", "shipping_cost", "shipping_account_code",
        "shipping_tax_type", "shipping_tax_rate", "shipping_notes", "attention",
        "telephone", "delivery_address",
    }  # fmt: skip

    supplier_id: UUID
    date: dt.date
    status: PurchaseOrderStatus = PurchaseOrderStatus.DRAFT
    delivery_date: dt.date | None = None
    shipping_cost: Decimal = Decimal("0.00")
    shipping_account_code: str | None = None
    shipping_tax_type: str | None = None
    shipping_tax_rate: Decimal | None = None
    shipping_notes: str | None = None
    attention: str | None = None
    telephone: str | None = None
    delivery_address: Address | None = None
    rejection_reason: str | None = None
    #: Its bill is paid: Xero has no payments on purchase orders, it pays their bills.
    paid: bool = False

    def __post_init__(self) -> None:
        self.status = PurchaseOrderStatus(self.status)
        self.date = check_date(self.date, "date")
        if self.delivery_date is not None:
            self.delivery_date = check_date(self.delivery_date, "delivery_date")
        self.shipping_cost = money(self.shipping_cost, "shipping_cost")
        if self.shipping_cost < 0:
            raise InvalidValue("shipping_cost", f"may not be negative, got {self.shipping_cost}")
        if self.shipping_tax_rate is not None:
            self.shipping_tax_rate = to_decimal(self.shipping_tax_rate, "shipping_tax_rate")
        self.shipping_account_code = optional_account_code(
            self.shipping_account_code, "shipping_account_code"
        )
        self.shipping_tax_type = optional_text(
            self.shipping_tax_type, "shipping_tax_type", max_length=50
        )
        self.shipping_notes = optional_text(self.shipping_notes, "shipping_notes")
        self.attention = optional_text(self.attention, "attention", max_length=255)
        self.telephone = optional_text(self.telephone, "telephone", max_length=50)
        self.delivery_address = to_address(self.delivery_address, "delivery_address")
        if self.delivery_date is not None and self.delivery_date < self.date:
            raise InvalidDocument(
                "delivery_date",
                f"must be on or after the order date {self.date.isoformat()}, "
                f"got {self.delivery_date.isoformat()}",
            )
        super().__post_init__()

    def follow_bill(self, paid: bool) -> None:
        """Mark the order paid, or no longer paid, as its bill is; nothing goes to Xero."""
        if paid != self.paid:
            self.paid = paid
            self._bump()

    def shipping_line(self) -> Line | None:
        """The shipping cost as a line, or None when there is no shipping cost."""
        if not self.shipping_cost:
            return None
        return Line(
            description=SHIPPING_DESCRIPTION,
            quantity=Decimal(1),
            unit_price=self.shipping_cost,
            account_code=self.shipping_account_code,
            tax_type=self.shipping_tax_type,
            tax_rate=self.shipping_tax_rate,
        )

    def all_lines(self) -> tuple[Line, ...]:
        """The order's lines plus its shipping line, if any."""
        shipping = self.shipping_line()
        return self.lines if shipping is None else (*self.lines, shipping)

    def submit(self) -> None:
        """Ask for approval (draft → submitted); needs at least one line."""
        self._require("submit", {_S.DRAFT})
        if not self.lines:
            raise InvalidDocument("lines", "a submitted purchase order needs at least one line")
        self.status = _S.SUBMITTED
        self.rejection_reason = None
        self._bump(DocumentSubmitted)

    def approve(self) -> None:
        """Approve (submitted → approved); every line needs an account. Sent to Xero."""
        self._require("approve", {_S.SUBMITTED})
        self._check_ready("approved")
        self.status = _S.APPROVED
        self._bump(DocumentApproved)

    def reject(self, reason: str) -> None:
        """Send back to draft (submitted → draft) with a reason for the requester."""
        self._require("reject", {_S.SUBMITTED})
        self.rejection_reason = require_text(reason, "reason", max_length=1000)
        self.status = _S.DRAFT
        self._bump(DocumentRejected, reason=self.rejection_reason)

    def cancel(self) -> None:
        """Cancel from draft, submitted or approved; an approved order is withdrawn in Xero."""
        self._require("cancel", {_S.DRAFT, _S.SUBMITTED, _S.APPROVED})
        was_sent = self.status in self.SENT_STATUSES
        self.status = _S.CANCELLED
        self._bump(DocumentCancelled if was_sent else None)

    def finish(self) -> None:
        """Mark received in full (approved → finished); its bill can now be made."""
        self._require("finish", {_S.APPROVED})
        self.status = _S.FINISHED
        self._bump(DocumentFinished)
