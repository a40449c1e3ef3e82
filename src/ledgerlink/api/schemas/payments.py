"""Payments and their allocations to bills and sales invoices."""

import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import Field

from ledgerlink.api.schemas.common import (
    AccountCode,
    CurrencyCode,
    Name,
    Number,
    Public,
    Strict,
    one_of,
)
from ledgerlink.domain.payments import PaymentStatus


class AllocationBody(Strict):
    document_id: UUID = Field(description="A bill or a sales invoice of this company.")
    amount: Number


class PaymentCreate(Strict):
    date: dt.date
    amount: Number
    currency: CurrencyCode
    bank_account_code: AccountCode = Field(examples=["090"])
    reference: Name | None = None
    party_id: UUID | None = Field(None, description="The supplier or customer paid or paying.")
    allocations: list[AllocationBody] = Field(
        min_length=1, description="One allocation, or several for a split payment."
    )


class AllocationPublic(Public):
    document_id: UUID
    amount: Decimal


class PaymentPublic(Public):
    id: UUID
    status: Annotated[str, one_of(PaymentStatus)]
    date: dt.date
    amount: Decimal
    currency: str
    bank_account_code: str
    reference: str | None
    party_id: UUID | None
    allocations: list[AllocationPublic]
    unallocated: Decimal
    version: int
