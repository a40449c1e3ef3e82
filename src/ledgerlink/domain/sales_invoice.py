"""Sales invoices and their lifecycle.

::

    draft ──issue──▶ issued ──pay──▶ partially paid ──pay──▶ paid
    draft | issued ──void──▶ voided

Issuing sends the invoice towards Xero (``DocumentApproved``, an ``ACCREC``
invoice); edits once issued and voiding an issued invoice follow it. The model
holds $0 and negative invoices; which of them reach Xero is a sync rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from ledgerlink.domain.errors import InvalidDocument
from ledgerlink.domain.events import DocumentApproved, DocumentCancelled
from ledgerlink.domain.payable import PayableDocument


class SalesInvoiceStatus(enum.StrEnum):
    """Where a sales invoice is in its lifecycle."""

    DRAFT = "draft"
    ISSUED = "issued"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    VOIDED = "voided"


_S = SalesInvoiceStatus


@dataclass(kw_only=True, eq=False)
class SalesInvoice(PayableDocument):
    """An invoice to a customer; issued invoices go to Xero as ``ACCREC`` invoices."""

    KIND: ClassVar[str] = "sales_invoice"
    LABEL: ClassVar[str] = "sales invoice"
    OPEN: ClassVar[Any] = _S.ISSUED
    PARTIALLY_PAID: ClassVar[Any] = _S.PARTIALLY_PAID
    PAID: ClassVar[Any] = _S.PAID
    EDITABLE_IN: ClassVar[frozenset[SalesInvoiceStatus]] = frozenset({_S.DRAFT, _S.ISSUED})
    SENT_STATUSES: ClassVar[frozenset[SalesInvoiceStatus]] = frozenset({_S.ISSUED})
    EDITABLE_FIELDS: ClassVar[frozenset[str]] = PayableDocument.EDITABLE_FIELDS | {
        "customer_id", "date", "due_date",
    }  # fmt: skip

    customer_id: UUID
    status: SalesInvoiceStatus = SalesInvoiceStatus.DRAFT

    def __post_init__(self) -> None:
        self.status = SalesInvoiceStatus(self.status)
        super().__post_init__()

    def _ready_adjective(self) -> str:
        return "issued"

    @property
    def is_zero(self) -> bool:
        """True for a $0 invoice."""
        return self.total == 0

    @property
    def is_negative(self) -> bool:
        """True when the total is below 0 (a refund written as an invoice)."""
        return self.total < 0

    def issue(self) -> None:
        """Issue (draft → issued); needs accounts on lines and a due date."""
        self._require("issue", {_S.DRAFT})
        self._check_ready("issued")
        self.status = _S.ISSUED
        self._bump(DocumentApproved)

    def void(self) -> None:
        """Void an invoice without payments; an issued one is voided in Xero."""
        self._require("void", {_S.DRAFT, _S.ISSUED})
        was_sent = self.status in self.SENT_STATUSES
        self.status = _S.VOIDED
        self._bump(DocumentCancelled if was_sent else None)

    def apply_payment(self, amount: Decimal, *, payment_id: UUID | None = None) -> None:
        """Apply (part of) a payment; a negative invoice takes none."""
        if self.is_negative:
            raise InvalidDocument(
                "amount",
                f"a sales invoice with a negative total ({self.total}) takes no payments; "
                "refund the customer instead",
            )
        super().apply_payment(amount, payment_id=payment_id)
