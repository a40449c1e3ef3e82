"""Credit notes made here as a document kind: ``ACCRECCREDIT`` for customers,
``ACCPAYCREDIT`` for suppliers, under the party's contact.

Allocating a credit note changes it here without changing what Xero holds of it: a credit
note Xero holds is updated only for a change made while it is approved (unallocated).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kind import Rules, Stage, Withdrawal
from ledgerlink.sync.export.purchasing import document_summary, unit_dp_param
from ledgerlink.sync.export.reconcile import Found, Taken, find_credit_notes
from ledgerlink.sync.export.sales import credit_withdrawal
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.sales import credit_note_json
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, XeroClient, XeroModel
from xero_client import CreditNote as XeroCreditNote

_S = CreditNoteStatus
_TYPES = {CreditNoteKind.SALES: "ACCRECCREDIT", CreditNoteKind.PURCHASE: "ACCPAYCREDIT"}


class CreditNotes:
    kind = "credit_note"
    label = "credit note"
    rules = Rules(
        stage=Stage.DOCUMENTS,
        send=frozenset({_S.APPROVED, _S.PARTIALLY_ALLOCATED, _S.ALLOCATED}),
        cancel=frozenset({_S.VOIDED}),
        edited_in=frozenset({_S.APPROVED}),
    )
    finished_status: str | None = None

    def sends(self, settings: ExportSettings) -> bool:
        return settings.sends(self.kind)

    def party_of(self, document: Document) -> tuple[str, UUID] | None:
        assert isinstance(document, CreditNote)
        sales = document.kind is CreditNoteKind.SALES
        return ("customer" if sales else "supplier", document.party_id)

    def sales_side(self, document: Document) -> bool:
        return isinstance(document, CreditNote) and document.kind is CreditNoteKind.SALES

    def held_back(self, document: Document, settings: ExportSettings) -> bool:
        return False

    def problems(
        self, document: Document, settings: ExportSettings
    ) -> tuple[ReferenceProblem, ...]:
        return ()

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        return settings.status_for(self.kind), None

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.credit_notes.get_many(company_id, ids)

    def load_followers(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, list[UUID]]:
        return {}

    def summary(self, document: Document) -> str:
        return document_summary(self.label, document)

    def to_xero(
        self,
        document: Document,
        *,
        contact_id: str,
        status: str | None,
        settings: ExportSettings,
        defaults: LineDefaults,
        xero_id: str | None = None,
    ) -> XeroModel:
        assert isinstance(document, CreditNote)
        return credit_note_json(
            document, contact_id=contact_id, status=status, defaults=defaults, xero_id=xero_id
        )

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
    ) -> list[BatchResult[XeroModel]]:
        notes = [e for e in elements if isinstance(e, XeroCreditNote)]
        results = await client.create_credit_notes(
            notes, idempotency_key=key, unitdp=unit_dp_param(unit_dp)
        )
        return list(results)  # type: ignore[arg-type]

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        assert isinstance(element, XeroCreditNote)
        return await client.update_credit_note(element, idempotency_key=key)

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        assert isinstance(element, XeroCreditNote)
        return element.credit_note_id, element.status, element.total

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        found: dict[UUID, Found] = {}
        for side, type_ in _TYPES.items():
            notes = [
                (d, c, d.number)
                for d, c in documents
                if c and isinstance(d, CreditNote) and d.kind is side
            ]
            found |= await find_credit_notes(client, notes, type_, taken=taken)
        return found

    async def withdrawal(self, client: XeroClient, xero_id: str, document: Document) -> Withdrawal:
        return credit_withdrawal(await client.get_credit_note(xero_id))

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
        return XeroCreditNote(credit_note_id=xero_id, status=status)
