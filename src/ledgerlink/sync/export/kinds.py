"""The registry: every kind of record the exporter sends, by name.

``DOCUMENT_KINDS`` (documents with lines), ``PARTY_KINDS`` (contacts), ``ITEM_KINDS``
(items), ``PAYMENT_KINDS`` (money over documents) and ``STOCK_KINDS`` (stock takes, after
the documents that move stock) are all the planner and the sender
know of kinds; adding a kind is one entry here (see ``kind.py`` for what an entry
declares). Within a stage, kinds go in the order listed.
"""

from __future__ import annotations

from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.sync.export.credit_notes import CreditNotes
from ledgerlink.sync.export.customer_credits import Refunds, StoreCredits
from ledgerlink.sync.export.invoice_kinds import bill_withdrawal
from ledgerlink.sync.export.item_kinds import Items
from ledgerlink.sync.export.kind import (
    DocumentKind,
    ItemKind,
    PartyKind,
    PaymentKind,
    Rules,
    Stage,
    Withdrawal,
)
from ledgerlink.sync.export.party_kinds import Customers, Suppliers
from ledgerlink.sync.export.payment_kinds import Payments
from ledgerlink.sync.export.purchasing import Bills, PurchaseOrders
from ledgerlink.sync.export.sales import SalesInvoices
from ledgerlink.sync.export.stock_kinds import StockTakes

PURCHASE_ORDERS = PurchaseOrders()
BILLS = Bills()
SALES_INVOICES = SalesInvoices()
CREDIT_NOTES = CreditNotes()
REFUNDS = Refunds()
STORE_CREDITS = StoreCredits()
SUPPLIERS = Suppliers()
CUSTOMERS = Customers()
DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "purchase_order": PURCHASE_ORDERS,
    "bill": BILLS,
    "sales_invoice": SALES_INVOICES,
    "credit_note": CREDIT_NOTES,
    "refund": REFUNDS,
    "store_credit": STORE_CREDITS,
}
PARTY_KINDS: dict[str, PartyKind] = {"supplier": SUPPLIERS, "customer": CUSTOMERS}
ITEMS = Items()
ITEM_KINDS: dict[str, ItemKind] = {"item": ITEMS}
PAYMENTS = Payments()
PAYMENT_KINDS: dict[str, PaymentKind] = {"payment": PAYMENTS}
#: The outbox kind of uses of refunds and store credit (the ALLOCATIONS stage).
CREDIT_USES = CREDIT_USE
STOCK_TAKES = StockTakes()
STOCK_KINDS: dict[str, StockTakes] = {"stock_take": STOCK_TAKES}
#: Every outbox kind the worker claims.
KINDS: tuple[str, ...] = (
    *PARTY_KINDS,
    *ITEM_KINDS,
    *DOCUMENT_KINDS,
    *STOCK_KINDS,
    *PAYMENT_KINDS,
    CREDIT_USES,
)

__all__ = [
    "BILLS",
    "CREDIT_NOTES",
    "CREDIT_USES",
    "CUSTOMERS",
    "DOCUMENT_KINDS",
    "ITEMS",
    "ITEM_KINDS",
    "KINDS",
    "PARTY_KINDS",
    "PAYMENTS",
    "PAYMENT_KINDS",
    "PURCHASE_ORDERS",
    "REFUNDS",
    "SALES_INVOICES",
    "STOCK_KINDS",
    "STOCK_TAKES",
    "STORE_CREDITS",
    "SUPPLIERS",
    "DocumentKind",
    "ItemKind",
    "PartyKind",
    "PaymentKind",
    "Rules",
    "Stage",
    "Withdrawal",
    "bill_withdrawal",
]
