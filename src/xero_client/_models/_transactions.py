"""Documents and money movements: invoices (bills), credit notes, purchase orders,
payments, batch payments, allocations, overpayments and prepayments.

They refer to one another (an invoice lists its payments, a payment names its invoice),
so they share this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ._base import XeroModel
from ._common import LineItem, ValidationMessage
from ._parties import Contact
from ._settings import Account


@dataclass(frozen=True, kw_only=True)
class Invoice(XeroModel):
    """A sales invoice (``ACCREC``) or a bill (``ACCPAY``)."""

    invoice_id: str | None = None
    type: str | None = None
    invoice_number: str | None = None
    reference: str | None = None
    contact: Contact | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    status: str | None = None
    line_amount_types: str | None = None
    line_items: tuple[LineItem, ...] = ()
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    branding_theme_id: str | None = None
    url: str | None = None
    sent_to_contact: bool | None = None
    expected_payment_date: dt.date | None = None
    planned_payment_date: dt.date | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    total_discount: Decimal | None = None
    amount_due: Decimal | None = None
    amount_paid: Decimal | None = None
    amount_credited: Decimal | None = None
    fully_paid_on_date: dt.date | None = None
    is_discounted: bool | None = None
    has_attachments: bool | None = None
    payments: tuple[Payment, ...] = ()
    prepayments: tuple[Prepayment, ...] = ()
    overpayments: tuple[Overpayment, ...] = ()
    credit_notes: tuple[CreditNote, ...] = ()
    updated_date_utc: dt.datetime | None = None
    has_errors: bool | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()
    warnings: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CreditNote(XeroModel):
    """A credit note to a customer (``ACCRECCREDIT``) or from a supplier (``ACCPAYCREDIT``)."""

    credit_note_id: str | None = None
    type: str | None = None
    credit_note_number: str | None = None
    reference: str | None = None
    contact: Contact | None = None
    date: dt.date | None = None
    due_date: dt.date | None = None
    status: str | None = None
    line_amount_types: str | None = None
    line_items: tuple[LineItem, ...] = ()
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    remaining_credit: Decimal | None = None
    applied_amount: Decimal | None = None
    fully_paid_on_date: dt.date | None = None
    sent_to_contact: bool | None = None
    branding_theme_id: str | None = None
    has_attachments: bool | None = None
    allocations: tuple[Allocation, ...] = ()
    payments: tuple[Payment, ...] = ()
    updated_date_utc: dt.datetime | None = None
    has_errors: bool | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()
    warnings: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PurchaseOrder(XeroModel):
    purchase_order_id: str | None = None
    purchase_order_number: str | None = None
    reference: str | None = None
    contact: Contact | None = None
    date: dt.date | None = None
    delivery_date: dt.date | None = None
    expected_arrival_date: dt.date | None = None
    status: str | None = None
    line_amount_types: str | None = None
    line_items: tuple[LineItem, ...] = ()
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    branding_theme_id: str | None = None
    sent_to_contact: bool | None = None
    delivery_address: str | None = None
    attention_to: str | None = None
    telephone: str | None = None
    delivery_instructions: str | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    total_discount: Decimal | None = None
    has_attachments: bool | None = None
    updated_date_utc: dt.datetime | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()
    warnings: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Payment(XeroModel):
    """Money paid against one invoice, credit note, overpayment or prepayment."""

    payment_id: str | None = None
    invoice: Invoice | None = None
    credit_note: CreditNote | None = None
    prepayment: Prepayment | None = None
    overpayment: Overpayment | None = None
    account: Account | None = None
    date: dt.date | None = None
    amount: Decimal | None = None
    bank_amount: Decimal | None = None
    currency_rate: Decimal | None = None
    reference: str | None = None
    is_reconciled: bool | None = None
    status: str | None = None
    payment_type: str | None = None
    batch_payment_id: str | None = None
    has_account: bool | None = None
    updated_date_utc: dt.datetime | None = None
    has_validation_errors: bool | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()
    warnings: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class BatchPayment(XeroModel):
    """Several payments made or received in one bank transaction."""

    batch_payment_id: str | None = None
    account: Account | None = None
    date: dt.date | None = None
    reference: str | None = None
    particulars: str | None = None
    code: str | None = None
    details: str | None = None
    narrative: str | None = None
    type: str | None = None
    status: str | None = None
    total_amount: Decimal | None = None
    is_reconciled: bool | None = None
    payments: tuple[Payment, ...] = ()
    updated_date_utc: dt.datetime | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Allocation(XeroModel):
    """Part of a credit note, overpayment or prepayment applied to an invoice."""

    allocation_id: str | None = None
    invoice: Invoice | None = None
    credit_note: CreditNote | None = None
    overpayment: Overpayment | None = None
    prepayment: Prepayment | None = None
    amount: Decimal | None = None
    date: dt.date | None = None
    is_deleted: bool | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Overpayment(XeroModel):
    overpayment_id: str | None = None
    type: str | None = None
    contact: Contact | None = None
    date: dt.date | None = None
    status: str | None = None
    reference: str | None = None
    line_amount_types: str | None = None
    line_items: tuple[LineItem, ...] = ()
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    remaining_credit: Decimal | None = None
    applied_amount: Decimal | None = None
    has_attachments: bool | None = None
    allocations: tuple[Allocation, ...] = ()
    payments: tuple[Payment, ...] = ()
    updated_date_utc: dt.datetime | None = None


@dataclass(frozen=True, kw_only=True)
class BankTransaction(XeroModel):
    """Money received or spent through a bank account; ``RECEIVE-OVERPAYMENT`` and
    ``RECEIVE-PREPAYMENT`` ones create an overpayment or prepayment credit."""

    bank_transaction_id: str | None = None
    type: str | None = None
    contact: Contact | None = None
    bank_account: Account | None = None
    date: dt.date | None = None
    reference: str | None = None
    status: str | None = None
    line_amount_types: str | None = None
    line_items: tuple[LineItem, ...] = ()
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    is_reconciled: bool | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    overpayment_id: str | None = None
    prepayment_id: str | None = None
    has_attachments: bool | None = None
    updated_date_utc: dt.datetime | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Prepayment(XeroModel):
    prepayment_id: str | None = None
    type: str | None = None
    contact: Contact | None = None
    date: dt.date | None = None
    status: str | None = None
    reference: str | None = None
    invoice_number: str | None = None
    line_amount_types: str | None = None
    line_items: tuple[LineItem, ...] = ()
    currency_code: str | None = None
    currency_rate: Decimal | None = None
    sub_total: Decimal | None = None
    total_tax: Decimal | None = None
    total: Decimal | None = None
    remaining_credit: Decimal | None = None
    applied_amount: Decimal | None = None
    branding_theme_id: str | None = None
    has_attachments: bool | None = None
    allocations: tuple[Allocation, ...] = ()
    payments: tuple[Payment, ...] = ()
    updated_date_utc: dt.datetime | None = None
