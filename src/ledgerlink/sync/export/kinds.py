"""The registry: every kind of record the exporter sends, by name.

``DOCUMENT_KINDS`` (documents with lines) and ``PARTY_KINDS`` (contacts) are all the
planner and the sender know of kinds; adding a kind is one entry here (see ``kind.py``
for what an entry declares). Within a stage, kinds go in the order listed.
"""

from __future__ import annotations

from ledgerlink.sync.export.kind import DocumentKind, PartyKind, Rules, Stage, Withdrawal
from ledgerlink.sync.export.party_kinds import Suppliers
from ledgerlink.sync.export.purchasing import Bills, PurchaseOrders, bill_withdrawal

PURCHASE_ORDERS = PurchaseOrders()
BILLS = Bills()
SUPPLIERS = Suppliers()
DOCUMENT_KINDS: dict[str, DocumentKind] = {"purchase_order": PURCHASE_ORDERS, "bill": BILLS}
PARTY_KINDS: dict[str, PartyKind] = {"supplier": SUPPLIERS}
#: Every outbox kind the worker claims.
KINDS: tuple[str, ...] = (*PARTY_KINDS, *DOCUMENT_KINDS)

__all__ = [
    "BILLS",
    "DOCUMENT_KINDS",
    "KINDS",
    "PARTY_KINDS",
    "PURCHASE_ORDERS",
    "SUPPLIERS",
    "DocumentKind",
    "PartyKind",
    "Rules",
    "Stage",
    "Withdrawal",
    "bill_withdrawal",
]
