"""Credit notes made here as a document kind: ``ACCRECCREDIT`` for customers,
``ACCPAYCREDIT`` for suppliers, under the party's contact.

Allocating a credit note changes it here without changing what Xero holds of it: a credit
note Xero holds is updated only for a change made while it is approved (unallocated).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from uuid import UUID

from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.document import Document
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.invoice_kinds import (
    DocumentDefaults,
    Facts,
    create_credit_notes,
    credit_note_facts,
    credit_note_status,
    credit_note_withdrawal,
    update_credit_note,
)
from ledgerlink.sync.export.kind import Rules, Stage, Withdrawal
from ledgerlink.sync.export.reconcile import Found, Taken, find_credit_notes
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.sales import credit_note_json
from ledgerlink.xero.outbound.settings import ExportSettings
from xero_client import BatchResult, XeroClient, XeroModel

_S = CreditNoteStatus
_TYPES = {CreditNoteKind.SALES: "ACCRECCREDIT", CreditNoteKind.PURCHASE: "ACCPAYCREDIT"}


class CreditNotes(DocumentDefaults):
    kind = "credit_note"
    label = "credit note"
    rules = Rules(
        stage=Stage.DOCUMENTS,
        send=frozenset({_S.APPROVED, _S.PARTIALLY_ALLOCATED, _S.ALLOCATED}),
        cancel=frozenset({_S.VOIDED}),
        edited_in=frozenset({_S.APPROVED}),
    )

    def party_of(self, document: Document) -> tuple[str, UUID] | None:
        assert isinstance(document, CreditNote)
        sales = document.kind is CreditNoteKind.SALES
        return ("customer" if sales else "supplier", document.party_id)

    def sales_side(self, document: Document) -> bool:
        return isinstance(document, CreditNote) and document.kind is CreditNoteKind.SALES

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.credit_notes.get_many(company_id, ids)

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
        return await create_credit_notes(client, elements, key, unit_dp)

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        return await update_credit_note(client, element, key)

    def facts(self, element: XeroModel) -> Facts:
        return credit_note_facts(element)

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
        return await credit_note_withdrawal(client, xero_id)

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
        return credit_note_status(xero_id, status)
