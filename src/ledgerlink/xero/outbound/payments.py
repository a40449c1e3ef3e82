"""Payments as Xero JSON: one payment element per document, batch payments, overpayments.

================================  ===========================================
ours                              Xero
================================  ===========================================
payment allocation                ``Payment`` on ``Invoice`` (or ``CreditNote``:
                                  a refund paid out)
``bank_account_code``             ``Account`` (``Code``, or ``AccountID``)
``date`` / ``reference``          ``Date`` / ``Reference``
split payment                     one ``Payment`` per document, or one
                                  ``BatchPayment`` (one bank deposit)
overpayment (the unallocated      by Syncro's rule it stays here as store credit
part)                             (``Payment.store_credit``) and reaches Xero as a
                                  payment when used; or a ``RECEIVE-OVERPAYMENT``
                                  bank transaction (``overpayment_json``), whose
                                  overpayment is allocated to invoices later
================================  ===========================================
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.credits import StoreCredit
from ledgerlink.domain.errors import InvalidDocument, InvalidValue
from ledgerlink.domain.payments import Payment
from xero_client import (
    Account,
    BankTransaction,
    BatchPayment,
    Contact,
    CreditNote,
    Invoice,
    LineItem,
)
from xero_client import Payment as XeroPayment

OVERPAYMENT_DESCRIPTION = "Overpayment"


@dataclass(frozen=True)
class PaymentAccount:
    """The account money moves through, by ``code`` or by Xero ``account_id``."""

    code: str | None = None
    account_id: str | None = None

    def __post_init__(self) -> None:
        if (self.code is None) == (self.account_id is None):
            raise InvalidValue(
                "bank_account_code",
                "name the payment account by its code or by its id: one of the two",
            )

    def as_xero(self) -> Account:
        """The account as a Xero reference."""
        return Account(code=self.code, account_id=self.account_id)


def payment_json(
    *,
    amount: Decimal,
    date: dt.date,
    account: PaymentAccount,
    invoice_id: str | None = None,
    credit_note_id: str | None = None,
    reference: str | None = None,
) -> XeroPayment:
    """One Xero payment element on an invoice (``invoice_id``) or a credit note.

    Raises:
        InvalidDocument: not exactly one of ``invoice_id`` and ``credit_note_id``, or an
            amount that is not above 0.
    """
    if (invoice_id is None) == (credit_note_id is None):
        raise InvalidDocument(
            "document_id", "a payment element pays one invoice or one credit note"
        )
    if amount <= 0:
        raise InvalidDocument("amount", f"must be more than 0, got {amount}")
    return XeroPayment(
        invoice=Invoice(invoice_id=invoice_id) if invoice_id else None,
        credit_note=CreditNote(credit_note_id=credit_note_id) if credit_note_id else None,
        account=account.as_xero(),
        date=date,
        amount=amount,
        reference=reference,
    )


def _xero_id(xero_ids: Mapping[UUID, str], document_id: UUID, index: int) -> str:
    found = xero_ids.get(document_id)
    if found is None:
        raise InvalidDocument(
            f"allocations[{index}].document_id",
            f"document {document_id} is not in Xero yet; send it before its payment",
        )
    return found


def payment_elements(
    payment: Payment,
    invoice_ids: Mapping[UUID, str],
    *,
    account: PaymentAccount | None = None,
) -> tuple[XeroPayment, ...]:
    """The applied part of ``payment``: one Xero payment per allocation (a split payment
    gives several), on the Xero invoice ``invoice_ids`` maps each document to.

    ``account`` defaults to the payment's ``bank_account_code``. What the allocations leave
    over is not here: see ``overpayment_json`` and ``Payment.store_credit``.
    """
    paid_through = account or PaymentAccount(code=payment.bank_account_code)
    return tuple(
        payment_json(
            amount=allocation.amount,
            date=payment.date,
            account=paid_through,
            invoice_id=_xero_id(invoice_ids, allocation.document_id, index),
            reference=payment.reference,
        )
        for index, allocation in enumerate(payment.allocations)
    )


def batch_payment_json(
    payment: Payment,
    invoice_ids: Mapping[UUID, str],
    *,
    account: PaymentAccount | None = None,
) -> BatchPayment:
    """A split payment that is one bank deposit as one Xero batch payment.

    Raises:
        InvalidDocument: the payment has no allocation.
    """
    if not payment.allocations:
        raise InvalidDocument("allocations", "a batch payment needs at least one invoice")
    paid_through = account or PaymentAccount(code=payment.bank_account_code)
    return BatchPayment(
        account=paid_through.as_xero(),
        date=payment.date,
        reference=payment.reference,
        payments=tuple(
            XeroPayment(
                invoice=Invoice(invoice_id=_xero_id(invoice_ids, allocation.document_id, i)),
                amount=allocation.amount,
            )
            for i, allocation in enumerate(payment.allocations)
        ),
    )


def overpayment_json(
    payment: Payment,
    *,
    contact_id: str,
    account: PaymentAccount | None = None,
) -> BankTransaction | None:
    """What ``payment`` leaves over as a Xero overpayment (a ``RECEIVE-OVERPAYMENT`` bank
    transaction); None when the allocations use it all.

    Xero then holds the rest as credit of the customer, allocated to invoices later with
    ``allocation_json``.
    """
    rest = payment.unallocated
    if rest <= 0:
        return None
    return received_overpayment_json(
        rest,
        date=payment.date,
        currency=payment.currency,
        reference=payment.reference,
        contact_id=contact_id,
        account=account or PaymentAccount(code=payment.bank_account_code),
    )


def received_overpayment_json(
    amount: Decimal,
    *,
    date: dt.date,
    currency: str,
    reference: str | None,
    contact_id: str,
    account: PaymentAccount,
) -> BankTransaction:
    """``amount`` received from a customer above what they owed, as a Xero overpayment (a
    ``RECEIVE-OVERPAYMENT`` bank transaction of one line without tax)."""
    if amount <= 0:
        raise InvalidDocument("amount", f"an overpayment must be more than 0, got {amount}")
    return BankTransaction(
        type="RECEIVE-OVERPAYMENT",
        contact=Contact(contact_id=contact_id),
        bank_account=account.as_xero(),
        date=date,
        reference=reference,
        line_amount_types="NoTax",
        line_items=(LineItem(description=OVERPAYMENT_DESCRIPTION, line_amount=amount),),
        currency_code=currency,
    )


def store_credit_payment_json(
    credit: StoreCredit,
    amount: Decimal,
    *,
    invoice_id: str,
    date: dt.date,
    account: PaymentAccount,
) -> XeroPayment:
    """Store credit left by an overpayment, used on an invoice: by Syncro's rule a payment
    on that invoice through ``account`` (the overpayment's bank account), since the credit
    itself never reached Xero.

    Raises:
        InvalidDocument: the credit was made by hand (it is a credit note in Xero: allocate
            that with ``allocation_json``), or ``amount`` is above what is left of it.
    """
    if credit.source_payment_id is None:
        raise InvalidDocument(
            "store_credit",
            "store credit made by hand is a credit note in Xero: allocate the credit note "
            "to the invoice instead of paying it",
        )
    if amount > credit.amount:
        raise InvalidDocument("amount", f"{amount} is above the store credit of {credit.amount}")
    return payment_json(
        amount=amount,
        date=date,
        account=account,
        invoice_id=invoice_id,
        reference="Store credit",
    )
