"""Bills (supplier invoices) and their lifecycle.

::

    draft ──submit──▶ submitted ──approve──▶ approved ──pay──▶ partially paid ──pay──▶ paid
    draft | submitted | approved ──cancel──▶ cancelled

Approval sends the bill to Xero (an ``ACCPAY`` invoice); edits once approved
and cancelling an approved bill follow it. A bill with payments cannot be
cancelled: remove the payments first.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from ledgerlink.domain._values import optional_text
from ledgerlink.domain.errors import InvalidDocument
from ledgerlink.domain.events import DocumentApproved, DocumentCancelled, DocumentSubmitted
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.purchase_order import PurchaseOrder, PurchaseOrderStatus


class BillStatus(enum.StrEnum):
    """Where a bill is in its lifecycle."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    CANCELLED = "cancelled"


_S = BillStatus


@dataclass(kw_only=True, eq=False)
class Bill(PayableDocument):
    """A supplier's invoice; approved bills go to Xero as ``ACCPAY`` invoices.

    ``number`` is our own number; ``invoice_number`` is the supplier's.
    """

    KIND: ClassVar[str] = "bill"
    LABEL: ClassVar[str] = "bill"
    PURCHASE: ClassVar[bool] = True
    OPEN: ClassVar[Any] = _S.APPROVED
    PARTIALLY_PAID: ClassVar[Any] = _S.PARTIALLY_PAID
    PAID: ClassVar[Any] = _S.PAID
    EDITABLE_IN: ClassVar[frozenset[BillStatus]] = frozenset({_S.DRAFT, _S.SUBMITTED, _S.APPROVED})
    SENT_STATUSES: ClassVar[frozenset[BillStatus]] = frozenset({_S.APPROVED})
    EDITABLE_FIELDS: ClassVar[frozenset[str]] = PayableDocument.EDITABLE_FIELDS | {
        "supplier_id", "invoice_number", "date", "due_date",
    }  # fmt: skip

    supplier_id: UUID
    status: BillStatus = BillStatus.DRAFT
    invoice_number: str | None = None
    purchase_order_id: UUID | None = None

    def __post_init__(self) -> None:
        self.status = BillStatus(self.status)
        self.invoice_number = optional_text(self.invoice_number, "invoice_number", max_length=255)
        super().__post_init__()

    @classmethod
    def from_purchase_order(
        cls,
        po: PurchaseOrder,
        *,
        date: dt.date,
        due_date: dt.date | None = None,
        invoice_number: str | None = None,
        number: str | None = None,
        reference: str | None = None,
    ) -> Bill:
        """A draft bill for a finished purchase order: its supplier, currency and lines.

        The order's shipping cost becomes a line of the bill.

        Raises:
            InvalidDocument: the order is not finished.
        """
        if po.status is not PurchaseOrderStatus.FINISHED:
            raise InvalidDocument(
                "purchase_order_id",
                f"a bill is made from a finished purchase order; this one is {po.status.value}",
            )
        return cls(
            company_id=po.company_id,
            supplier_id=po.supplier_id,
            purchase_order_id=po.id,
            currency=po.currency,
            lines=po.all_lines(),
            line_amount_type=po.line_amount_type,
            unit_dp=po.unit_dp,
            date=date,
            due_date=due_date,
            invoice_number=invoice_number,
            number=number,
            reference=reference if reference is not None else po.number,
        )

    def submit(self) -> None:
        """Ask for approval (draft → submitted); needs at least one line and a due date."""
        self._require("submit", {_S.DRAFT})
        if not self.lines:
            raise InvalidDocument("lines", "a submitted bill needs at least one line")
        if self.due_date is None:
            raise InvalidDocument(
                "due_date", "a submitted bill needs a due date; set due_date, then submit"
            )
        self.status = _S.SUBMITTED
        self._bump(DocumentSubmitted)

    def approve(self) -> None:
        """Approve (submitted → approved); needs accounts on lines and a due date."""
        self._require("approve", {_S.SUBMITTED})
        self._check_ready("approved")
        self.status = _S.APPROVED
        self._bump(DocumentApproved)

    def cancel(self) -> None:
        """Cancel a bill without payments; an approved one is voided in Xero."""
        self._require("cancel", {_S.DRAFT, _S.SUBMITTED, _S.APPROVED})
        was_sent = self.status in self.SENT_STATUSES
        self.status = _S.CANCELLED
        self._bump(DocumentCancelled if was_sent else None)
