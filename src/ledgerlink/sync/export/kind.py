"""What a kind of record declares to be exported: the protocols the registry holds.

A ``DocumentKind`` is a document with lines sent to Xero (purchase orders, bills, sales
invoices).
Its ``rules`` tell the planner which statuses mean "send" and "cancel", what it waits for
(``stage``) and which documents follow it; its methods are the only place the sender
learns how the kind is loaded, shaped for Xero, created, updated, looked up and taken back.
A ``PartyKind`` is a record sent as a Xero contact that documents reference (suppliers,
customers). A ``PaymentKind`` is money paid over documents of its ``targets`` kinds, sent
once they are in Xero (``payment_steps``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Party
from ledgerlink.domain.payments import Payment
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.reconcile import Found, Taken
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, Contact, XeroClient, XeroModel
from xero_client import Item as XeroItem


class Stage(enum.IntEnum):
    """What waits for what: a stage's records reach Xero after every earlier stage's."""

    PARTIES = 0  # contacts (suppliers, customers)
    ITEMS = 1
    DOCUMENTS = 2  # purchase orders, bills, invoices, credit notes
    PAYMENTS = 3
    ALLOCATIONS = 4


@dataclass(frozen=True)
class Rules:
    """What the planner needs to know of a document kind (plain data, no Xero)."""

    stage: Stage
    #: Statuses in which a document goes to Xero (created, or updated when it is there).
    send: frozenset[str]
    #: Statuses in which a document Xero holds is taken back.
    cancel: frozenset[str]
    #: Once it is in Xero (or its send has begun), every edit follows whatever the status.
    follow_when_known: bool = False
    #: Statuses after which the documents of ``followers`` made from it go as well.
    finish: frozenset[str] = frozenset()
    #: The kind of the documents that follow a finished one (an order's bills).
    followers: str | None = None
    #: Statuses in which a change here is an edit Xero gets; in the others a document Xero
    #: holds stays as it is there (None: every status).
    edited_in: frozenset[str] | None = None


@dataclass(frozen=True)
class Withdrawal:
    """How a document Xero holds is taken back: the status to set, or why there is none.

    Neither a status nor a refusal: it is already deleted or voided there.
    """

    status: str | None = None
    #: Why Xero will not take it back, and what a person can do about it.
    refusal: str | None = None
    fix: str | None = None


class DocumentKind(Protocol):
    """One kind of document as the planner and the sender drive it."""

    kind: str
    label: str
    rules: Rules

    def sends(self, settings: ExportSettings) -> bool:
        """True when the company's settings send documents of this kind."""
        ...

    def party_of(self, document: Document) -> tuple[str, UUID] | None:
        """The party kind and id of the party the document is made out to (its Xero
        contact), if any."""
        ...

    def sales_side(self, document: Document) -> bool:
        """True when the document's lines take sales accounts (else purchase ones)."""
        ...

    def held_back(self, document: Document, settings: ExportSettings) -> bool:
        """True when the settings keep a document in a sent status here until it changes
        (a $0 sales invoice not paid yet)."""
        ...

    def problems(
        self, document: Document, settings: ExportSettings
    ) -> tuple[ReferenceProblem, ...]:
        """Why the settings refuse to send the document (besides the common checks)."""
        ...

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]: ...

    def load_followers(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, list[UUID]]:
        """The ids of the ``rules.followers`` documents made from each of ``ids``."""
        ...

    def summary(self, document: Document) -> str: ...

    def to_xero(
        self,
        document: Document,
        *,
        contact_id: str,
        status: str | None,
        settings: ExportSettings,
        defaults: LineDefaults,
        xero_id: str | None = None,
    ) -> XeroModel: ...

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        """The status a new document is sent in, and why when it is not the settings' own."""
        ...

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
    ) -> list[BatchResult[XeroModel]]:
        """Create ``elements`` in Xero; each answer's element holds what ``facts`` reads."""
        ...

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel: ...

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        """The Xero id, status and total of an element Xero returned."""
        ...

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        """Documents (with their contact ids) already in Xero, by our id."""
        ...

    async def withdrawal(self, client: XeroClient, xero_id: str, document: Document) -> Withdrawal:
        """How the document Xero holds as ``xero_id`` is taken back."""
        ...

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
        """Only a new status for the document Xero holds (DELETED, VOIDED, BILLED)."""
        ...

    def update_refusal(self, document: Document, sent_total: Decimal | None) -> Withdrawal | None:
        """Why the document's current version cannot go over what Xero holds (sent with
        ``sent_total``), with the fix; None when the update may go."""
        ...

    #: The status its Xero record takes once its followers went (an order: BILLED).
    finished_status: str | None


class PartyKind(Protocol):
    """One kind of party documents are made out to, sent as a Xero contact."""

    kind: str
    label: str

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Party]: ...

    def to_contact(self, party: Party, *, contact_id: str | None = None) -> Contact: ...

    def left_out(self, party: Party) -> str | None:
        """What of the party Xero has no room for, in words for its sync log, or None."""
        ...


class ItemKind(Protocol):
    """Records of the ITEMS stage (products as Xero items): created and updated by code,
    looked up by code before any create, before the documents whose lines use them."""

    kind: str
    label: str

    def problems(self, item: Item) -> tuple[ReferenceProblem, ...]:
        """Why Xero would refuse the item; empty when it can go."""
        ...

    def to_xero(self, item: Item, *, xero_id: str | None = None) -> XeroItem: ...

    async def find(self, client: XeroClient, codes: Sequence[str]) -> dict[str, str]:
        """Xero item ids of ``codes`` that Xero already holds, by code."""
        ...

    async def create(
        self, client: XeroClient, items: Sequence[Item], key: str
    ) -> list[BatchResult[XeroItem]]: ...

    async def update(self, client: XeroClient, item: Item, xero_id: str, key: str) -> None: ...


class PaymentKind(Protocol):
    """One kind of payment: money over documents of the ``targets`` kinds.

    Its ``rules`` name the statuses that send (``recorded``) and take back (``deleted``);
    how a payment is shaped, checked, looked up and sent is the same for every target
    kind (a Xero invoice: bills and sales invoices alike) and lives in ``payment_steps``.
    """

    kind: str
    label: str
    rules: Rules
    #: The document kinds its allocations may pay, looked at in this order.
    targets: tuple[str, ...]

    def sends(self, settings: ExportSettings) -> bool: ...

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Payment]: ...

    def summary(self, payment: Payment) -> str: ...
