"""The documents the console lists, by kind: their repository, statuses and party."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.domain.sales_invoice import SalesInvoiceStatus
from ledgerlink.store.uow import SqlUnitOfWork


@dataclass(frozen=True)
class DocumentKind:
    """``synced``: the worker sends this kind to Xero (it has a sync state and log)."""

    key: str
    label: str
    statuses: type[enum.Enum]
    repository: Callable[[SqlUnitOfWork], Any]
    party: str  # "supplier" or "customer"
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
            "invoice",
            "Sales invoices",
            SalesInvoiceStatus,
            lambda uow: uow.sales_invoices,
            "customer",
            synced=False,
            xero_path="AccountsReceivable/View.aspx?InvoiceID={id}",
        ),
    )
}


def party_names(
    uow: SqlUnitOfWork, company_id: UUID, kind: DocumentKind, documents: list[Any]
) -> dict[UUID, str]:
    """The supplier or customer name of each document, by the party's id."""
    repository = uow.suppliers if kind.party == "supplier" else uow.customers
    ids = {getattr(d, f"{kind.party}_id") for d in documents}
    return {i: party.name for i, party in repository.get_many(company_id, ids).items()}
