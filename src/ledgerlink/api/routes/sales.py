"""Sales invoices and credit notes, with their lifecycle steps."""

from fastapi import APIRouter

from ledgerlink.api.crud import add_action, add_routes
from ledgerlink.api.routes.documents import document_resource
from ledgerlink.api.schemas.documents import (
    CreditNoteCreate,
    CreditNotePublic,
    CreditNoteUpdate,
    InvoiceCreate,
    InvoicePublic,
    InvoiceUpdate,
)
from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus

router = APIRouter(prefix="/companies/{company_id}", tags=["sales"])


invoices = document_resource(
    SalesInvoice,
    path="/invoices",
    repository=lambda uow: uow.sales_invoices,
    public=InvoicePublic,
    create_body=InvoiceCreate,
    update_body=InvoiceUpdate,
    statuses=SalesInvoiceStatus,
)
credit_notes = document_resource(
    CreditNote,
    path="/credit-notes",
    repository=lambda uow: uow.credit_notes,
    public=CreditNotePublic,
    create_body=CreditNoteCreate,
    update_body=CreditNoteUpdate,
    statuses=CreditNoteStatus,
)
add_routes(router, invoices)
add_routes(router, credit_notes)
add_action(router, invoices, "issue", lambda invoice, _: invoice.issue(), summary=(
    "Issue a sales invoice (it is then sent to Xero)"
), checked=True)  # fmt: skip
add_action(router, invoices, "void", lambda invoice, _: invoice.void())
add_action(router, credit_notes, "approve", lambda note, _: note.approve(), checked=True)
add_action(router, credit_notes, "void", lambda note, _: note.void())
