"""Sales invoices as a document kind: their rules, Xero shape and calls.

An issued invoice goes as an ``ACCREC`` invoice. A negative one goes as an
``ACCRECCREDIT`` credit note (or is refused, by setting), so one batch may make two calls:
the invoices, then the credit notes, each answer given back at its element's place.
A $0 invoice is held back until it is paid here when the settings say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.document import Document
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kind import Rules, Stage, Withdrawal
from ledgerlink.sync.export.purchasing import bill_withdrawal, document_summary, unit_dp_param
from ledgerlink.sync.export.reconcile import Found, Taken, find_credit_notes, find_invoices
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.sales import credit_note_json, sales_invoice_json
from ledgerlink.xero.outbound.settings import ExportSettings, NegativeInvoices
from xero_client import BatchResult, Invoice, XeroClient, XeroModel
from xero_client import CreditNote as XeroCreditNote

_S = SalesInvoiceStatus


def credit_withdrawal(current: XeroCreditNote) -> Withdrawal:
    """How to take back a credit note Xero holds as ``current``."""
    if current.status in ("DELETED", "VOIDED"):
        return Withdrawal()
    if (current.remaining_credit is not None and current.total is not None) and (
        current.remaining_credit < current.total
    ):
        return Withdrawal(
            refusal=(
                "allocations exist: Xero will not void a credit note that has been allocated "
                f"({current.total - current.remaining_credit} used)"
            ),
            fix="remove the credit note's allocations in Xero first, then retry the void",
        )
    return Withdrawal("VOIDED" if current.status in ("AUTHORISED", "PAID") else "DELETED")


def _as_credit(document: Document) -> bool:
    return isinstance(document, SalesInvoice) and document.is_negative


class SalesInvoices:
    kind = "sales_invoice"
    label = "sales invoice"
    rules = Rules(
        stage=Stage.DOCUMENTS,
        send=frozenset({_S.ISSUED, _S.PARTIALLY_PAID, _S.PAID}),
        cancel=frozenset({_S.VOIDED}),
        follow_when_known=True,
    )
    finished_status: str | None = None

    def sends(self, settings: ExportSettings) -> bool:
        return settings.sends(self.kind)

    def party_of(self, document: Document) -> tuple[str, UUID] | None:
        assert isinstance(document, SalesInvoice)
        return ("customer", document.customer_id)

    def sales_side(self, document: Document) -> bool:
        return True

    def held_back(self, document: Document, settings: ExportSettings) -> bool:
        assert isinstance(document, SalesInvoice)
        return settings.zero_invoices_when_paid and document.is_zero and document.status != _S.PAID

    def problems(
        self, document: Document, settings: ExportSettings
    ) -> tuple[ReferenceProblem, ...]:
        if _as_credit(document) and settings.negative_invoices is NegativeInvoices.REFUSE:
            return (
                ReferenceProblem(
                    "lines",
                    f"the invoice total {document.total} is below 0: Xero takes no negative "
                    "invoice, and the settings send none as a credit note",
                    "raise a credit note for the customer instead, or set negative_invoices "
                    "to credit_note in the Xero settings, then retry",
                ),
            )
        return ()

    def status_for(self, document: Document, settings: ExportSettings) -> tuple[str, str | None]:
        return settings.status_for(self.kind), None

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.sales_invoices.get_many(company_id, ids)

    def load_followers(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, list[UUID]]:
        return {}

    def summary(self, document: Document) -> str:
        shown = document_summary(self.label, document)
        return f"{shown} (as a credit note)" if _as_credit(document) else shown

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
        assert isinstance(document, SalesInvoice)
        build = credit_note_json if document.is_negative else sales_invoice_json
        return build(
            document, contact_id=contact_id, status=status, defaults=defaults, xero_id=xero_id
        )

    async def create(
        self, client: XeroClient, elements: Sequence[XeroModel], key: str, unit_dp: int
    ) -> list[BatchResult[XeroModel]]:
        invoices = [(i, e) for i, e in enumerate(elements) if isinstance(e, Invoice)]
        notes = [(i, e) for i, e in enumerate(elements) if isinstance(e, XeroCreditNote)]
        answers: list[BatchResult[XeroModel]] = []
        dp = unit_dp_param(unit_dp)
        if invoices:
            got = await client.create_invoices(
                [e for _, e in invoices], idempotency_key=key, unitdp=dp
            )
            answers += [replace(a, index=invoices[a.index][0]) for a in got]  # type: ignore[misc]
        if notes:
            made = await client.create_credit_notes(
                [e for _, e in notes], idempotency_key=f"{key}-credit", unitdp=dp
            )
            answers += [replace(a, index=notes[a.index][0]) for a in made]  # type: ignore[misc]
        return answers

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        if isinstance(element, XeroCreditNote):
            return await client.update_credit_note(element, idempotency_key=key)
        assert isinstance(element, Invoice)
        return await client.update_invoice(
            element, idempotency_key=key, unitdp=unit_dp_param(unit_dp)
        )

    def facts(self, element: XeroModel) -> tuple[str | None, str | None, Decimal | None]:
        if isinstance(element, XeroCreditNote):
            total = -element.total if element.total is not None else None
            return element.credit_note_id, element.status, total
        assert isinstance(element, Invoice)
        return element.invoice_id, element.status, element.total

    async def find(
        self, client: XeroClient, documents: Sequence[tuple[Document, str]], taken: Taken
    ) -> dict[UUID, Found]:
        invoices = [(d, c, d.number) for d, c in documents if c and not _as_credit(d)]
        credits = [(d, c, d.number) for d, c in documents if c and _as_credit(d)]
        found = await find_invoices(client, invoices, "ACCREC", taken=taken)
        found |= await find_credit_notes(
            client, credits, "ACCRECCREDIT", taken=taken, total_of=lambda d: -d.total
        )
        return found

    async def withdrawal(self, client: XeroClient, xero_id: str, document: Document) -> Withdrawal:
        if _as_credit(document):
            return credit_withdrawal(await client.get_credit_note(xero_id))
        return bill_withdrawal(await client.get_invoice(xero_id), self.label)

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
        if _as_credit(document):
            return XeroCreditNote(credit_note_id=xero_id, status=status)
        return Invoice(invoice_id=xero_id, status=status)
