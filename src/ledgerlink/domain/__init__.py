"""The domain model of ledgerlink: pure Python (standard library and Decimal only).

Public names, all importable from ``ledgerlink.domain``:

Money and totals (``money``)
    ``Currency``, ``LineAmountType``, ``Totals``, ``LineTotal``, ``compute_totals``,
    ``compute_line_totals``, ``line_amount``, ``line_tax``, ``round_money``, ``money``,
    ``round_unit_price``, ``check_unit_dp``, ``UNIT_DP_CHOICES``
Parties (``parties``)
    ``Supplier``, ``Customer``, ``Party``, ``Address``
Catalogue (``catalogue``)
    ``Account``, ``AccountClass``, ``AccountStatus``, ``ReferenceStatus``, ``TaxRate``,
    ``TaxComponent``, ``effective_rate``, ``TrackingCategory``, ``TrackingOption``,
    ``TrackingStatus``, ``check_tracking_categories``, ``Item``,
    ``IMPORTABLE_ACCOUNT_TYPES``
Lines and documents
    ``Line``, ``TrackingRef``, ``make_lines``, ``with_tax_rates`` (``lines``);
    ``Document`` (``document``), ``PayableDocument`` (``payable``);
    ``PurchaseOrder``, ``PurchaseOrderStatus`` (``purchase_order``);
    ``Bill``, ``BillStatus`` (``bill``);
    ``SalesInvoice``, ``SalesInvoiceStatus`` (``sales_invoice``);
    ``CreditNote``, ``CreditNoteKind``, ``CreditNoteStatus`` (``credit_note``)
Payments and credit (``payments``, ``credits``)
    ``Payment``, ``PaymentStatus``, ``Allocation``, ``allocate_in_order``, ``settle``,
    ``unsettle``, ``Refund``, ``StoreCredit``
Checks before sending (``preflight``)
    ``ReferenceData``, ``ReferenceProblem``, ``check_before_sending``, ``check_imported``
Events (``events``)
    ``DomainEvent``, ``DocumentApproved``, ``DocumentEdited``, ``DocumentCancelled``,
    ``DocumentFinished``, ``DocumentSubmitted``, ``DocumentRejected``,
    ``PaymentRecorded``, ``PaymentApplied``, ``PaymentRemoved``, ``CreditRecorded``,
    ``CreditAllocated``, ``CreditPaidOut``, ``PartyChanged``, ``ItemChanged``
Errors (``errors``)
    ``DomainError``, ``InvalidValue``, ``InvalidDocument``, ``InvalidTransition``
Base
    ``Aggregate`` (``aggregate``): ``id``, ``company_id``, ``version``, ``events``
"""

from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.catalogue import (
    IMPORTABLE_ACCOUNT_TYPES,
    Account,
    AccountClass,
    AccountStatus,
    Item,
    ReferenceStatus,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
    TrackingStatus,
    check_tracking_categories,
    effective_rate,
)
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.domain.credits import Refund, StoreCredit
from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import DomainError, InvalidDocument, InvalidTransition, InvalidValue
from ledgerlink.domain.events import (
    CreditAllocated,
    CreditPaidOut,
    CreditRecorded,
    DocumentApproved,
    DocumentCancelled,
    DocumentEdited,
    DocumentFinished,
    DocumentRejected,
    DocumentSubmitted,
    DomainEvent,
    ItemChanged,
    OverpaymentRecorded,
    PartyChanged,
    PaymentApplied,
    PaymentRecorded,
    PaymentRemoved,
)
from ledgerlink.domain.lines import Line, TrackingRef, make_lines, with_tax_rates
from ledgerlink.domain.money import (
    UNIT_DP_CHOICES,
    Currency,
    LineAmountType,
    LineTotal,
    Totals,
    check_unit_dp,
    compute_line_totals,
    compute_totals,
    line_amount,
    line_tax,
    money,
    round_money,
    round_unit_price,
)
from ledgerlink.domain.parties import Address, ContactPerson, Customer, Party, Supplier
from ledgerlink.domain.payable import PayableDocument
from ledgerlink.domain.payments import (
    Allocation,
    Payment,
    PaymentStatus,
    allocate_in_order,
    settle,
    unsettle,
)
from ledgerlink.domain.preflight import (
    ReferenceData,
    ReferenceProblem,
    check_before_sending,
    check_imported,
)
from ledgerlink.domain.purchase_order import PurchaseOrder, PurchaseOrderStatus
from ledgerlink.domain.sales_invoice import SalesInvoice, SalesInvoiceStatus

__all__ = [
    "IMPORTABLE_ACCOUNT_TYPES",
    "UNIT_DP_CHOICES",
    "Account",
    "AccountClass",
    "AccountStatus",
    "Address",
    "Aggregate",
    "Allocation",
    "Bill",
    "BillStatus",
    "ContactPerson",
    "CreditAllocated",
    "CreditNote",
    "CreditNoteKind",
    "CreditNoteStatus",
    "CreditPaidOut",
    "CreditRecorded",
    "Currency",
    "Customer",
    "Document",
    "DocumentApproved",
    "DocumentCancelled",
    "DocumentEdited",
    "DocumentFinished",
    "DocumentRejected",
    "DocumentSubmitted",
    "DomainError",
    "DomainEvent",
    "InvalidDocument",
    "InvalidTransition",
    "InvalidValue",
    "Item",
    "ItemChanged",
    "Line",
    "LineAmountType",
    "LineTotal",
    "OverpaymentRecorded",
    "Party",
    "PartyChanged",
    "PayableDocument",
    "Payment",
    "PaymentApplied",
    "PaymentRecorded",
    "PaymentRemoved",
    "PaymentStatus",
    "PurchaseOrder",
    "PurchaseOrderStatus",
    "ReferenceData",
    "ReferenceProblem",
    "ReferenceStatus",
    "Refund",
    "SalesInvoice",
    "SalesInvoiceStatus",
    "StoreCredit",
    "Supplier",
    "TaxComponent",
    "TaxRate",
    "Totals",
    "TrackingCategory",
    "TrackingOption",
    "TrackingRef",
    "TrackingStatus",
    "allocate_in_order",
    "check_before_sending",
    "check_imported",
    "check_tracking_categories",
    "check_unit_dp",
    "compute_line_totals",
    "compute_totals",
    "effective_rate",
    "line_amount",
    "line_tax",
    "make_lines",
    "money",
    "round_money",
    "round_unit_price",
    "settle",
    "unsettle",
    "with_tax_rates",
]
