"""Parts shared by many Xero objects: validation messages, addresses, phones, lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ._base import XeroModel


@dataclass(frozen=True, kw_only=True)
class ValidationMessage(XeroModel):
    """One validation error or warning Xero attached to an element."""

    message: str | None = None


@dataclass(frozen=True, kw_only=True)
class Address(XeroModel):
    address_type: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_line3: str | None = None
    address_line4: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    attention_to: str | None = None


@dataclass(frozen=True, kw_only=True)
class Phone(XeroModel):
    phone_type: str | None = None
    phone_number: str | None = None
    phone_area_code: str | None = None
    phone_country_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class LineItemTracking(XeroModel):
    """A tracking option on a line, named by category and option."""

    tracking_category_id: str | None = None
    tracking_option_id: str | None = None
    name: str | None = None
    option: str | None = None


@dataclass(frozen=True, kw_only=True)
class LineItem(XeroModel):
    """One line of an invoice, credit note, purchase order, overpayment or prepayment."""

    line_item_id: str | None = None
    description: str | None = None
    quantity: Decimal | None = None
    unit_amount: Decimal | None = None
    item_code: str | None = None
    account_code: str | None = None
    account_id: str | None = None
    tax_type: str | None = None
    tax_amount: Decimal | None = None
    line_amount: Decimal | None = None
    discount_rate: Decimal | None = None
    discount_amount: Decimal | None = None
    tracking: tuple[LineItemTracking, ...] = ()
