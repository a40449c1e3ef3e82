"""Credit notes from suppliers (purchase) and to customers (sales).

::

    draft ──approve──▶ approved ──allocate──▶ partially allocated ──allocate──▶ allocated
    draft | approved ──void──▶ voided

Approval sends the credit note to Xero; allocating it against a bill or an
invoice follows it there (``CreditAllocated``).

What Xero has allocated of it to documents that are not here is kept apart
(``allocated_in_xero``), and so is what Xero paid out of it as refunds (payments of the
credit note, ``refunded_in_xero``); both are set by ``follow_xero``. They are used credit
all the same, so the credit left here is total − allocated here − allocated in Xero
elsewhere − refunded in Xero, and the status counts all three.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from ledgerlink.domain._values import check_date
from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import InvalidDocument
from ledgerlink.domain.events import CreditAllocated, DocumentApproved, DocumentCancelled
from ledgerlink.domain.money import ZERO, money


class CreditNoteKind(enum.StrEnum):
    """Who the credit is with: a supplier (``purchase``) or a customer (``sales``)."""

    PURCHASE = "purchase"
    SALES = "sales"


class CreditNoteStatus(enum.StrEnum):
    """Where a credit note is in its lifecycle."""

    DRAFT = "draft"
    APPROVED = "approved"
    PARTIALLY_ALLOCATED = "partially_allocated"
    ALLOCATED = "allocated"
    VOIDED = "voided"


_S = CreditNoteStatus
#: The statuses of a credit note some of whose credit is used.
CREDIT_TAKEN = frozenset({_S.PARTIALLY_ALLOCATED, _S.ALLOCATED})


@dataclass(kw_only=True, eq=False)
class CreditNote(Document):
    """A credit note; ``party_id`` is the supplier (purchase) or customer (sales)."""

    KIND: ClassVar[str] = "credit_note"
    LABEL: ClassVar[str] = "credit note"
    EDITABLE_IN: ClassVar[frozenset[CreditNoteStatus]] = frozenset({_S.DRAFT, _S.APPROVED})
    SENT_STATUSES: ClassVar[frozenset[CreditNoteStatus]] = frozenset({_S.APPROVED})
    EDITABLE_FIELDS: ClassVar[frozenset[str]] = Document.EDITABLE_FIELDS | {"date"}

    kind: CreditNoteKind
    party_id: UUID
    date: dt.date
    status: CreditNoteStatus = CreditNoteStatus.DRAFT
    amount_allocated: Decimal = ZERO
    #: What Xero has allocated of it to bills or invoices that are not here.
    allocated_in_xero: Decimal = ZERO
    #: What Xero has paid out of it as refunds (payments of the credit note there).
    refunded_in_xero: Decimal = ZERO
    credited_document_id: UUID | None = None

    def __post_init__(self) -> None:
        self.date = check_date(self.date, "date")
        self.kind = CreditNoteKind(self.kind)
        self.status = CreditNoteStatus(self.status)
        self.amount_allocated = money(self.amount_allocated, "amount_allocated")
        self.allocated_in_xero = money(self.allocated_in_xero, "allocated_in_xero")
        if self.allocated_in_xero < 0:
            raise InvalidDocument(
                "allocated_in_xero", f"must be 0 or more, got {self.allocated_in_xero}"
            )
        self.refunded_in_xero = money(self.refunded_in_xero, "refunded_in_xero")
        if self.refunded_in_xero < 0:
            raise InvalidDocument(
                "refunded_in_xero", f"must be 0 or more, got {self.refunded_in_xero}"
            )
        super().__post_init__()

    def _purchase_side(self) -> bool:
        return self.kind is CreditNoteKind.PURCHASE

    @property
    def used_in_xero(self) -> Decimal:
        """What Xero used of it apart from what is allocated here: allocated elsewhere and
        refunded."""
        return self.allocated_in_xero + self.refunded_in_xero

    @property
    def remaining_credit(self) -> Decimal:
        """What is left to allocate: total − allocated here − allocated in Xero elsewhere −
        refunded in Xero."""
        return self.total - self.amount_allocated - self.used_in_xero

    def _follow_use(self) -> None:
        """The status that what is used of the credit (here and in Xero) gives it."""
        if self.remaining_credit == 0:
            self.status = _S.ALLOCATED
        elif self.amount_allocated + self.used_in_xero == 0:
            self.status = _S.APPROVED
        else:
            self.status = _S.PARTIALLY_ALLOCATED

    def _check_ready(self, adjective: str) -> None:
        super()._check_ready(adjective)
        if self.total <= 0:
            raise InvalidDocument(
                "lines", f"an {adjective} credit note needs a total above 0, got {self.total}"
            )

    def approve(self) -> None:
        """Approve (draft → approved); needs accounts on lines and a total above 0."""
        self._require("approve", {_S.DRAFT})
        self._check_ready("approved")
        self.status = _S.APPROVED
        self._bump(DocumentApproved)

    def void(self) -> None:
        """Void a credit note that is not allocated; an approved one is voided in Xero."""
        self._require("void", {_S.DRAFT, _S.APPROVED})
        was_sent = self.status in self.SENT_STATUSES
        self.status = _S.VOIDED
        self._bump(DocumentCancelled if was_sent else None)

    def allocate(self, amount: Decimal, *, target_id: UUID) -> None:
        """Use ``amount`` of the credit against the bill or invoice ``target_id``.

        Raises:
            InvalidTransition: the credit note is not approved or is used up.
            InvalidDocument: ``amount`` is not above 0 or above the remaining credit.
        """
        self._require("allocate", {_S.APPROVED, _S.PARTIALLY_ALLOCATED})
        used = money(amount, "amount")
        remaining = self.remaining_credit
        if used <= 0 or used > remaining:
            raise InvalidDocument(
                "amount",
                f"an allocation must be more than 0 and at most the remaining credit "
                f"{remaining}, got {used}",
            )
        self.amount_allocated += used
        self._follow_use()
        self._bump(CreditAllocated, amount=used, target_id=target_id)

    def unallocate(self, amount: Decimal) -> None:
        """Give back ``amount`` of the credit used, as when Xero removes an allocation.

        Raises:
            InvalidTransition: nothing of the credit note is allocated.
            InvalidDocument: ``amount`` is not above 0 or above what is allocated.
        """
        self._require("unallocate", {_S.PARTIALLY_ALLOCATED, _S.ALLOCATED})
        freed = money(amount, "amount")
        if freed <= 0 or freed > self.amount_allocated:
            raise InvalidDocument(
                "amount",
                f"an allocation taken back must be more than 0 and at most the "
                f"{self.amount_allocated} allocated, got {freed}",
            )
        self.amount_allocated -= freed
        self._follow_use()
        self._bump()

    def follow_xero(self, allocated: Decimal, refunded: Decimal = ZERO) -> bool:
        """Take ``allocated`` as what Xero has allocated of it to documents not here, and
        ``refunded`` as what Xero paid out of it as refunds (read from Xero again:
        allocations and refunds made or deleted there move them); True when they moved.

        Raises:
            InvalidTransition: the credit note is a draft or voided.
            InvalidDocument: ``allocated`` or ``refunded`` is below 0, or with what is
                allocated here more than the total.
        """
        elsewhere = money(allocated, "allocated_in_xero")
        paid_out = money(refunded, "refunded_in_xero")
        if (elsewhere, paid_out) == (self.allocated_in_xero, self.refunded_in_xero):
            return False
        self._require("follow Xero's allocations of", {_S.APPROVED, *CREDIT_TAKEN})
        room = self.total - self.amount_allocated
        if elsewhere < 0 or elsewhere > room:
            raise InvalidDocument(
                "allocated_in_xero",
                f"what Xero allocated elsewhere must be 0 or more and at most the {room} not "
                f"allocated here, got {elsewhere}",
            )
        if paid_out < 0 or paid_out > room - elsewhere:
            raise InvalidDocument(
                "refunded_in_xero",
                f"what Xero refunded must be 0 or more and at most the {room - elsewhere} "
                f"not allocated here or elsewhere, got {paid_out}",
            )
        self.allocated_in_xero = elsewhere
        self.refunded_in_xero = paid_out
        self._follow_use()
        self._bump()
        return True
