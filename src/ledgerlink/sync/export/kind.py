"""What a kind of record declares to be exported: the protocols the registry holds.

A ``DocumentKind`` is a document with lines sent to Xero (today purchase orders and bills).
Its ``rules`` tell the planner which statuses mean "send" and "cancel", what it waits for
(``stage``) and which documents follow it; its methods are the only place the sender
learns how the kind is loaded, shaped for Xero, created, updated, looked up and taken back.
A ``PartyKind`` is a record sent as a Xero contact that documents reference (suppliers).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Party
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.reconcile import Found, Taken
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, Contact, XeroClient, XeroModel


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
    #: The party kind its documents reference (their Xero contact), if any.
    party_kind: str | None

    def sends(self, settings: ExportSettings) -> bool:
        """True when the company's settings send documents of this kind."""
        ...

    def party_of(self, document: Document) -> UUID | None:
        """The id of the party (of ``party_kind``) the document is made out to."""
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
    ) -> list[BatchResult[XeroModel]]: ...

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

    async def withdrawal(self, client: XeroClient, xero_id: str) -> Withdrawal:
        """How the document Xero holds as ``xero_id`` is taken back."""
        ...

    def status_change(self, xero_id: str, status: str) -> XeroModel:
        """Only a new status for the document Xero holds (DELETED, VOIDED, BILLED)."""
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
