"""Typed models of Xero objects (re-exported by :mod:`xero_client`)."""

from ._base import XeroModel, xero_key
from ._common import Address, LineItem, LineItemTracking, Phone, ValidationMessage
from ._enums import (
    AccountStatus,
    AccountType,
    ContactStatus,
    CreditNoteType,
    InvoiceStatus,
    InvoiceType,
    LineAmountTypes,
    PaymentStatus,
    PurchaseOrderStatus,
)
from ._files import Attachment, HistoryRecord
from ._parties import Contact, ContactPerson, Item, ItemPrice
from ._settings import (
    Account,
    Organisation,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
)
from ._transactions import (
    Allocation,
    BankTransaction,
    BatchPayment,
    CreditNote,
    Invoice,
    Overpayment,
    Payment,
    Prepayment,
    PurchaseOrder,
)

__all__ = [
    "Account",
    "AccountStatus",
    "AccountType",
    "Address",
    "Allocation",
    "Attachment",
    "BankTransaction",
    "BatchPayment",
    "Contact",
    "ContactPerson",
    "ContactStatus",
    "CreditNote",
    "CreditNoteType",
    "HistoryRecord",
    "Invoice",
    "InvoiceStatus",
    "InvoiceType",
    "Item",
    "ItemPrice",
    "LineAmountTypes",
    "LineItem",
    "LineItemTracking",
    "Organisation",
    "Overpayment",
    "Payment",
    "PaymentStatus",
    "Phone",
    "Prepayment",
    "PurchaseOrder",
    "PurchaseOrderStatus",
    "TaxComponent",
    "TaxRate",
    "TrackingCategory",
    "TrackingOption",
    "ValidationMessage",
    "XeroModel",
    "xero_key",
]
