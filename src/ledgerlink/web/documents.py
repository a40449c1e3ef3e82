"""The documents the console lists, by kind: their repository, statuses and party."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.domain.sales_invoice import SalesInvoiceStatus
from ledgerlink.store.uow import SqlUnitOfWork


@dataclass(frozen=True)
class DocumentKind:
    """``synced``: the worker sends this kind to Xero (it has a sync state and log).
    ``party``: the column's heading; `party_of` tells each document's party."""

    key: str
    label: str
    statuses: type[enum.Enum]
    repository: Callable[[SqlUnitOfWork], Any]
    party: str  # "supplier", "customer" or, for credit notes, "supplier or customer"
    synced: bool
    xero_path: str  # Xero's page of a document of this kind, given its id


KINDS = {
    kind.key: kind
    for kind in (
        DocumentKind(
            "purchase_order",
            "Purchase orders",
            PurchaseOrderStatus,
            lambda uow: uow.purchase_orders,
            "supplier",
            synced=True,
            xero_path="Accounts/Payable/PurchaseOrders/View/{id}",
        ),
        DocumentKind(
            "bill",
            "Bills",
            BillStatus,
            lambda uow: uow.bills,
            "supplier",
            synced=True,
            xero_path="AccountsPayable/View.aspx?InvoiceID={id}",
        ),
        DocumentKind(
            "sales_invoice",
            "Sales invoices",
            SalesInvoiceStatus,
            lambda uow: uow.sales_invoices,
            "customer",
            synced=True,
            xero_path="AccountsReceivable/View.aspx?InvoiceID={id}",
        ),
        DocumentKind(
            "credit_note",
            "Credit notes",
            CreditNoteStatus,
            lambda uow: uow.credit_notes,
            "supplier or customer",
            synced=True,
            xero_path="AccountsReceivable/ViewCreditNote.aspx?creditNoteID={id}",
        ),
    )
}


def party_of(document: Any) -> tuple[str, UUID]:
    """Whether the document's party is a "supplier" or a "customer", and its id."""
    if isinstance(document, CreditNote):
        side = "supplier" if document.kind == CreditNoteKind.PURCHASE else "customer"
        return side, document.party_id
    if hasattr(document, "supplier_id"):
        return "supplier", document.supplier_id
    return "customer", document.customer_id


def party_names(uow: SqlUnitOfWork, company_id: UUID, documents: list[Any]) -> dict[UUID, str]:
    """The supplier or customer name of each document, by the document's id."""
    parties = {d.id: party_of(d) for d in documents}
    names: dict[tuple[str, UUID], str] = {}
    for side, repository in (("supplier", uow.suppliers), ("customer", uow.customers)):
        ids = {i for s, i in parties.values() if s == side}
        if ids:
            found = repository.get_many(company_id, ids)
            names.update({(side, i): party.name for i, party in found.items()})
    return {d: names[p] for d, p in parties.items() if p in names}
