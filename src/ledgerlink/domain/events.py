"""Domain events: what changed, for the unit of work to turn into outbox rows.

Every change that has to reach Xero appends exactly one event to the changed
object's ``events`` list, carrying the object's new ``version``:

============================  ==============================================  =============
event                         raised by                                       reaches Xero
============================  ==============================================  =============
``DocumentApproved``          ``PurchaseOrder/Bill.approve()``,               yes
                              ``SalesInvoice.issue()``, ``CreditNote.approve()``
``DocumentEdited``            ``edit()``/``replace_lines()`` once approved    yes
``DocumentCancelled``         ``cancel()``, ``void()``                        yes
``DocumentFinished``          ``PurchaseOrder.finish()``                      yes
``PaymentRecorded``           ``Payment.record()``                            yes
``PaymentApplied``            ``Bill/SalesInvoice.apply_payment()``           no (the payment goes)
``PaymentRemoved``            ``remove_payment()`` (e.g. deleted in Xero)     no
``CreditRecorded``            ``Refund.record()``, ``StoreCredit.record()``   yes
``CreditAllocated``           ``CreditNote.allocate()``, ``StoreCredit.use()``, yes
                              ``Refund.record()`` (a refund of an invoice)
``CreditPaidOut``             ``Refund.record()`` (money leaves the bank)     yes
``OverpaymentRecorded``       ``StoreCredit.send_as_overpayment()``           yes
``PartyChanged``              ``Supplier/Customer.create()`` and ``edit()``   yes
``ItemChanged``               ``Item.create()`` and ``edit()``                yes
``StockCounted``              ``StockTake.record()``                          yes
``DocumentSubmitted``         ``submit()``                                    no
``DocumentRejected``          ``PurchaseOrder.reject()``                      no
============================  ==============================================  =============

A use of a refund or store credit (``CreditAllocated``, ``CreditPaidOut``, and the
overpayment that store credit is sent to Xero as: ``OverpaymentRecorded``) is a record
of its own in the outbox: ``kind`` ``"credit_use"`` and ``document_id`` the use's id
(``use_id``), so that each use reaches Xero once with its own sync state; the event names
the credit (``credit_kind``, ``credit_id``).

Edits of a draft or submitted document bump ``version`` but raise no event: it
has not been sent yet, and its approval will send its latest version.
``reaches_xero`` on each class says which types of event Xero must get; only events of
the kinds in ``KINDS_SENT_TO_XERO`` are sent today (``DomainEvent.sent_to_xero``). The
others are kept in the outbox as ``not_sent``, never waiting for a send that will not come.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar
from uuid import UUID, uuid5

#: The kind of the outbox records of uses of refunds and store credit.
CREDIT_USE = "credit_use"

#: The kinds of object sent to Xero today. Payments go once the documents they pay are in
#: Xero; uses of credit once the credit and what it is used on are.
KINDS_SENT_TO_XERO = frozenset(
    {
        "supplier",
        "customer",
        "item",
        "purchase_order",
        "bill",
        "sales_invoice",
        "credit_note",
        "payment",
        "refund",
        "store_credit",
        CREDIT_USE,
        "stock_take",
    }
)


def use_id(credit_id: UUID, version: int) -> UUID:
    """The id of the use of credit ``credit_id`` made at its ``version`` (the same on every
    machine, so a use is one record however often it is read)."""
    return uuid5(credit_id, f"use {version}")


@dataclass(frozen=True, kw_only=True, slots=True)
class DomainEvent:
    """Base of all events: which object (``kind``, ``document_id``) of which company."""

    reaches_xero: ClassVar[bool] = True

    kind: str
    document_id: UUID
    company_id: UUID
    version: int

    @property
    def sent_to_xero(self) -> bool:
        """True when this event is to be sent: its type reaches Xero and its kind is sent."""
        return type(self).reaches_xero and self.kind in KINDS_SENT_TO_XERO

    @property
    def name(self) -> str:
        """The event's type name, e.g. ``"DocumentApproved"`` (stored in the outbox)."""
        return type(self).__name__


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentApproved(DomainEvent):
    """A document was approved (a sales invoice: issued); it must now exist in Xero."""


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentEdited(DomainEvent):
    """An approved document changed; Xero must get its latest version."""


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentCancelled(DomainEvent):
    """A document was cancelled or voided; Xero deletes or voids its copy."""


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentFinished(DomainEvent):
    """A purchase order was finished (received in full); its bill follows."""


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentSubmitted(DomainEvent):
    """A document was submitted for approval (stays local)."""

    reaches_xero: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class DocumentRejected(DomainEvent):
    """A submitted document was sent back to draft (stays local)."""

    reaches_xero: ClassVar[bool] = False
    reason: str


@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentRecorded(DomainEvent):
    """A payment was recorded here (``kind="payment"``); Xero must get it."""

    amount: Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentApplied(DomainEvent):
    """Part of a payment was applied to this bill or invoice (stays local)."""

    reaches_xero: ClassVar[bool] = False
    amount: Decimal
    payment_id: UUID | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PaymentRemoved(DomainEvent):
    """A payment applied to a document was taken back (e.g. deleted in Xero)."""

    reaches_xero: ClassVar[bool] = False
    amount: Decimal
    payment_id: UUID | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CreditRecorded(DomainEvent):
    """A refund or a store credit was recorded; Xero gets it as a credit note."""

    amount: Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class CreditAllocated(DomainEvent):
    """Part of a credit note, refund or store credit was used against a bill or invoice.

    A credit note's carries the note as its record; a refund's or store credit's is a
    ``"credit_use"`` record of its own naming the credit (``credit_kind``, ``credit_id``).
    """

    amount: Decimal
    target_id: UUID
    credit_kind: str | None = None
    credit_id: UUID | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class CreditPaidOut(DomainEvent):
    """A refund's money left the bank (``bank_account_code``): a ``"credit_use"`` record."""

    amount: Decimal
    credit_kind: str
    credit_id: UUID
    bank_account_code: str


@dataclass(frozen=True, kw_only=True, slots=True)
class OverpaymentRecorded(DomainEvent):
    """An overpayment's rest goes to Xero as an overpayment (received into
    ``bank_account_code``), not kept here only: a ``"credit_use"`` record."""

    amount: Decimal
    credit_kind: str
    credit_id: UUID
    bank_account_code: str


@dataclass(frozen=True, kw_only=True, slots=True)
class PartyChanged(DomainEvent):
    """A supplier or customer was created (``created=True``) or edited."""

    created: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class ItemChanged(DomainEvent):
    """An item (product) was created (``created=True``) or edited."""

    created: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class StockCounted(DomainEvent):
    """A tracked item was counted (a stock take); Xero's quantity on hand follows."""
