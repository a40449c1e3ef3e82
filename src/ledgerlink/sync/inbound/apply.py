"""Apply an invoice as Xero holds it to the bill or sales invoice linked to it.

What Xero settles is taken: a void or deletion cancels a bill or voids a sales invoice.
Payments are not read from the invoice but from Xero's payments (`poll.py`), which the
worker reads before it applies invoices, so a bill whose payments were removed in Xero
before it was voided is free of them by then. The document's events are dropped: a
change that came from Xero is not sent back to it.
"""

from uuid import UUID

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.errors import DomainError
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.inbound.settle import drop_events, linked_document
from xero_client import Invoice

CANCELLED_IN_XERO = frozenset({"VOIDED", "DELETED"})
ENDED_HERE = frozenset({BillStatus.CANCELLED, SalesInvoiceStatus.VOIDED})


def apply_invoice(
    uow: SqlUnitOfWork, company_id: UUID, tenant_id: str, invoice_id: str, invoice: Invoice | None
) -> str | None:
    """Bring the linked document in line with `invoice`; returns a note when nothing changed."""
    document = linked_document(uow, company_id, tenant_id, invoice_id)
    if document is None:
        return f"no bill or sales invoice here is linked to Xero invoice {invoice_id}"
    if invoice is None:
        return f"Xero holds no invoice {invoice_id}"
    try:
        _apply(document, invoice)
    except DomainError as refused:
        return f"Xero invoice {invoice_id} is {invoice.status}; not applied here: {refused}"
    drop_events(uow)  # nothing goes back to Xero for a change that came from it
    return None


def _apply(document: PayableDocument, invoice: Invoice) -> None:
    if (invoice.status or "").upper() not in CANCELLED_IN_XERO or document.status in ENDED_HERE:
        return
    if isinstance(document, Bill):
        document.cancel()
    elif isinstance(document, SalesInvoice):
        document.void()
