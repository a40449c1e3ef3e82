"""Refunds, store credit and their uses."""

import datetime as dt
from decimal import Decimal
from uuid import UUID

from pydantic import Field

from ledgerlink.api.schemas.common import (
    AccountCode,
    CurrencyCode,
    Number,
    Public,
    Strict,
    Text,
)


class RefundCreate(Strict):
    customer_id: UUID
    date: dt.date
    amount: Number
    currency: CurrencyCode
    bank_account_code: AccountCode | None = Field(
        None,
        examples=["090"],
        description="The bank account the money leaves from: the refund is then paid out in "
        "Xero (a payment of its credit note). Without it, a refund of an invoice is "
        "allocated to that invoice.",
    )
    invoice_id: UUID | None = Field(
        None, description="The customer's sales invoice refunded (its account and tax are used)."
    )
    reason: Text | None = Field(None, max_length=1000)


class RefundPublic(Public):
    id: UUID
    customer_id: UUID
    date: dt.date
    amount: Decimal
    currency: str
    bank_account_code: str | None
    invoice_id: UUID | None
    reason: str | None
    use_id: UUID | None = Field(
        description="The refund paid out or allocated, as a record of its own: its sync "
        "state is at `.../sync/credit_use/{use_id}`."
    )
    version: int


class StoreCreditCreate(Strict):
    customer_id: UUID
    date: dt.date
    amount: Number
    currency: CurrencyCode


class StoreCreditPublic(Public):
    id: UUID
    customer_id: UUID
    date: dt.date
    amount: Decimal
    currency: str
    amount_used: Decimal
    remaining: Decimal
    source_payment_id: UUID | None = Field(
        description="The overpayment it is the rest of; null for credit added by hand."
    )
    version: int


class StoreCreditUse(Strict):
    invoice_id: UUID = Field(description="An issued sales invoice of the credit's customer.")
    amount: Number


class StoreCreditUsePublic(Public):
    use_id: UUID = Field(description="Its sync state is at `.../sync/credit_use/{use_id}`.")
    invoice_id: UUID
    amount: Decimal
    store_credit: StoreCreditPublic
