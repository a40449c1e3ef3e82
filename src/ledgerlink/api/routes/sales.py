"""Sales invoices and credit notes, with their lifecycle steps."""

from typing import Any

from fastapi import APIRouter

from ledgerlink.api.crud import Resource, add_action, add_routes
from ledgerlink.api.deps import CompanyAccess
from ledgerlink.api.routes.documents import edit_document, new_document
from ledgerlink.api.schemas.documents import (
    CreditNoteCreate,
    CreditNotePublic,
    CreditNoteUpdate,
    InvoiceCreate,
    InvoicePublic,
    InvoiceUpdate,
    document_public,
)
from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus
from ledgerlink.store.uow import SqlUnitOfWork

router = APIRouter(prefix="/companies/{company_id}", tags=["sales"])


def _create_invoice(access: CompanyAccess, body: Any, uow: SqlUnitOfWork) -> SalesInvoice:
    invoice: SalesInvoice = new_document(SalesInvoice, access, body, uow)
    return invoice


def _create_credit_note(access: CompanyAccess, body: Any, uow: SqlUnitOfWork) -> CreditNote:
    note: CreditNote = new_document(CreditNote, access, body, uow)
    return note


invoices: Resource[SalesInvoice] = Resource(
    path="/invoices",
    label="sales invoice",
    repository=lambda uow: uow.sales_invoices,
    public=InvoicePublic,
    create_body=InvoiceCreate,
    update_body=InvoiceUpdate,
    create=_create_invoice,
    update=edit_document,
    to_public=lambda invoice: document_public(InvoicePublic, invoice),
    statuses=", ".join(s.value for s in SalesInvoiceStatus),
)
credit_notes: Resource[CreditNote] = Resource(
    path="/credit-notes",
    label="credit note",
    repository=lambda uow: uow.credit_notes,
    public=CreditNotePublic,
    create_body=CreditNoteCreate,
    update_body=CreditNoteUpdate,
    create=_create_credit_note,
    update=edit_document,
    to_public=lambda note: document_public(CreditNotePublic, note),
    statuses=", ".join(s.value for s in CreditNoteStatus),
)
add_routes(router, invoices)
add_routes(router, credit_notes)
add_action(router, invoices, "issue", lambda invoice, _: invoice.issue(), summary=(
    "Issue a sales invoice (it is then sent to Xero)"
))  # fmt: skip
add_action(router, invoices, "void", lambda invoice, _: invoice.void())
add_action(router, credit_notes, "approve", lambda note, _: note.approve())
add_action(router, credit_notes, "void", lambda note, _: note.void())
