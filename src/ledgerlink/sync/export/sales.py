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
from ledgerlink.sync.export.invoice_kinds import (
    DocumentDefaults,
    Facts,
    create_credit_notes,
    create_invoices,
    credit_note_facts,
    credit_note_status,
    credit_note_withdrawal,
    document_summary,
    invoice_facts,
    invoice_status,
    invoice_withdrawal,
    update_credit_note,
    update_invoice,
)
from ledgerlink.sync.export.kind import Rules, Stage, Withdrawal
from ledgerlink.sync.export.reconcile import Found, Taken, find_credit_notes, find_invoices
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.sales import credit_note_json, sales_invoice_json
from ledgerlink.xero.outbound.settings import ExportSettings, NegativeInvoices
from xero_client import BatchResult, Invoice, XeroClient, XeroModel
from xero_client import CreditNote as XeroCreditNote

_S = SalesInvoiceStatus


def _as_credit(document: Document) -> bool:
    return isinstance(document, SalesInvoice) and document.is_negative


def _placed(
    positions: Sequence[tuple[int, XeroModel]], answers: Sequence[BatchResult[XeroModel]]
) -> list[BatchResult[XeroModel]]:
    """``answers`` to the elements at ``positions``, each given back at its element's place."""
    return [replace(a, index=positions[a.index][0]) for a in answers]


class SalesInvoices(DocumentDefaults):
    kind = "sales_invoice"
    label = "sales invoice"
    rules = Rules(
        stage=Stage.DOCUMENTS,
        send=frozenset({_S.ISSUED, _S.PARTIALLY_PAID, _S.PAID}),
        cancel=frozenset({_S.VOIDED}),
        follow_when_known=True,
    )

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

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Iterable[UUID]
    ) -> Mapping[UUID, Document]:
        return uow.sales_invoices.get_many(company_id, ids)

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
        if invoices:
            got = await create_invoices(client, [e for _, e in invoices], key, unit_dp)
            answers += _placed(invoices, got)
        if notes:
            made = await create_credit_notes(
                client, [e for _, e in notes], f"{key}-credit", unit_dp
            )
            answers += _placed(notes, made)
        return answers

    async def update(
        self, client: XeroClient, element: XeroModel, key: str, unit_dp: int
    ) -> XeroModel:
        if isinstance(element, XeroCreditNote):
            return await update_credit_note(client, element, key)
        return await update_invoice(client, element, key, unit_dp)

    def facts(self, element: XeroModel) -> Facts:
        if isinstance(element, XeroCreditNote):
            xero_id, status, total = credit_note_facts(element)
            return xero_id, status, -total if total is not None else None
        return invoice_facts(element)

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
            return await credit_note_withdrawal(client, xero_id)
        return await invoice_withdrawal(client, xero_id, self.label)

    def update_refusal(self, document: Document, sent_total: Decimal | None) -> Withdrawal | None:
        """An invoice whose total changed sign since it was sent: Xero turns no invoice into
        a credit note (nor back), and takes no invoice below 0."""
        if sent_total is None or _as_credit(document) == (sent_total < 0):
            return None
        if _as_credit(document):
            return Withdrawal(
                refusal=(
                    f"the invoice was sent to Xero as an invoice of {sent_total} and now totals "
                    f"{document.total}: Xero takes no invoice below 0 and does not turn an "
                    "invoice into a credit note"
                ),
                fix=(
                    "edit the invoice back to 0 or more and retry; or void it here (it is "
                    "voided in Xero) and raise a credit note for the customer"
                ),
            )
        return Withdrawal(
            refusal=(
                f"the invoice was sent to Xero as a credit note of {-sent_total} (its total was "
                f"below 0) and now totals {document.total}: Xero does not turn a credit note "
                "into an invoice"
            ),
            fix=(
                "edit the invoice back below 0 and retry; or void it here (its credit note is "
                "voided in Xero) and issue a new invoice"
            ),
        )

    def status_change(self, xero_id: str, status: str, document: Document) -> XeroModel:
        if _as_credit(document):
            return credit_note_status(xero_id, status)
        return invoice_status(xero_id, status)
