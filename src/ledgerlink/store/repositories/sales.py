"""Sales invoices and credit notes."""

from typing import Any, ClassVar

from sqlalchemy import Table
from sqlalchemy.engine import RowMapping

from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.store.repositories.documents import DocumentRepository
from ledgerlink.store.tables import credit_notes, customers, sales_invoices


class SalesInvoiceRepository(DocumentRepository[SalesInvoice]):
    table = sales_invoices
    label = "sales invoice"
    status_type = SalesInvoiceStatus
    party_column = "customer_id"
    references: ClassVar[dict[str, tuple[Table, str]]] = {"customer_id": (customers, "customer")}

    def _to_row(self, aggregate: SalesInvoice) -> dict[str, Any]:
        return {
            **self._document_row(aggregate),
            "date": aggregate.date,
            "customer_id": aggregate.customer_id,
            "due_date": aggregate.due_date,
            "amount_paid": aggregate.amount_paid,
        }

    def _from_row(self, row: RowMapping) -> SalesInvoice:
        return SalesInvoice(
            **self._document_fields(row),
            customer_id=row["customer_id"],
            due_date=row["due_date"],
            amount_paid=row["amount_paid"],
        )


class CreditNoteRepository(DocumentRepository[CreditNote]):
    table = credit_notes
    label = "credit note"
    status_type = CreditNoteStatus
    party_column = "party_id"
    unique_fields = ()

    def _to_row(self, aggregate: CreditNote) -> dict[str, Any]:
        return {
            **self._document_row(aggregate),
            "date": aggregate.date,
            "kind": aggregate.kind.value,
            "party_id": aggregate.party_id,
            "amount_allocated": aggregate.amount_allocated,
            "allocated_in_xero": aggregate.allocated_in_xero,
            "refunded_in_xero": aggregate.refunded_in_xero,
            "credited_document_id": aggregate.credited_document_id,
        }

    def _from_row(self, row: RowMapping) -> CreditNote:
        return CreditNote(
            **self._document_fields(row),
            kind=CreditNoteKind(row["kind"]),
            party_id=row["party_id"],
            amount_allocated=row["amount_allocated"],
            allocated_in_xero=row["allocated_in_xero"],
            refunded_in_xero=row["refunded_in_xero"],
            credited_document_id=row["credited_document_id"],
        )
