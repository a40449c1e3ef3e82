"""Documents as a person names them: an order, bill, sales invoice or credit note by its number
(PO-1001), a supplier or customer by its name, an item by its code, or any of them by
id; and sending one again that Xero already has."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine.manual import retry, sync_kind
from ledgerlink.sync.export.customer_credits import credit_number

LABELS = {
    "purchase_order": "purchase order",
    "bill": "bill",
    "sales_invoice": "sales invoice",
    "credit_note": "credit note",
    "supplier": "supplier",
    "customer": "customer",
    "item": "item",
    "payment": "payment",
    "refund": "refund",
    "store_credit": "store credit",
    "supplier_credit": "supplier credit",
    "credit_use": "credit use",
}
PARTIES = ("supplier", "customer")
#: Credits named by the number of their credit note in Xero; their uses by id.
CREDITS = {"refund": "RF", "store_credit": "SC"}
BY_ID = ("payment", "credit_use")


def _parties(uow: SqlUnitOfWork, kind: str) -> Any:
    return uow.suppliers if kind == "supplier" else uow.customers


def _documents(uow: SqlUnitOfWork, kind: str) -> Any:
    return {
        "purchase_order": uow.purchase_orders,
        "bill": uow.bills,
        "sales_invoice": uow.sales_invoices,
        "credit_note": uow.credit_notes,
    }[kind]


def name_of(uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID) -> str:
    """The document's number (a party's name); its id when it has none."""
    kind = sync_kind(kind)
    if kind in PARTIES:
        party = _parties(uow, kind).get(company_id, document_id)
        return party.name if party is not None else str(document_id)
    if kind == "item":
        item = uow.items.get(company_id, document_id)
        return item.code if item is not None else str(document_id)
    if kind == "payment":
        payment = uow.payments.get(company_id, document_id)
        return (payment.reference if payment is not None else None) or str(document_id)
    if kind in CREDITS:
        return credit_number(CREDITS[kind], document_id)
    if kind == "credit_use":
        return str(document_id)
    document = _documents(uow, kind).get(company_id, document_id)
    number = document.number if document is not None else None
    return number or str(document_id)


def find_document(uow: SqlUnitOfWork, company_id: UUID, kind: str, named: str) -> UUID:
    """The id of the document `named` (its id, its number, or a supplier's name).

    Raises:
        InvalidValue: no document of that kind has that id, number or name.
    """
    kind = sync_kind(kind)
    try:
        return UUID(named)
    except ValueError:
        pass
    found: object
    if kind in PARTIES:
        found = _parties(uow, kind).get_by_name(company_id, named)
    elif kind == "item":
        found = uow.items.get_by_code(company_id, named)
    elif kind in BY_ID or kind in CREDITS:
        found = None  # named by its id
    else:
        found = _documents(uow, kind).get_by_number(company_id, named)
    found_id = getattr(found, "id", None)
    if not isinstance(found_id, UUID):
        what = "name" if kind in PARTIES else {"item": "code"}.get(kind, "number")
        if kind in BY_ID or kind in CREDITS:
            what = "id"
        raise InvalidValue(
            "document", f"no {LABELS[kind]} with the id or {what} {named!r} in this company"
        )
    return found_id


def resend(
    uow: SqlUnitOfWork, company_id: UUID, kind: str, document_id: UUID, now: datetime
) -> SyncState:
    """Send the document again although Xero has its current version: Xero's copy is
    taken as stale, so the worker sends the whole document once more."""
    kind = sync_kind(kind)
    link = uow.xero_links.get(company_id, kind, document_id)
    if link is not None:
        uow.xero_links.upsert(
            company_id,
            kind,
            document_id,
            tenant_id=link.tenant_id,
            xero_id=link.xero_id,
            xero_number=link.xero_number,
            synced_version=None,
        )
    return retry(uow, company_id, kind, document_id, now)
