"""Contacts (customers and suppliers) and items (products and services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ._base import XeroModel, key
from ._common import Address, Phone, ValidationMessage


@dataclass(frozen=True, kw_only=True)
class ContactPerson(XeroModel):
    """A person at a contact besides the primary one (Xero keeps at most 5)."""

    first_name: str | None = None
    last_name: str | None = None
    email_address: str | None = None
    include_in_emails: bool | None = None


@dataclass(frozen=True, kw_only=True)
class Contact(XeroModel):
    """A customer or supplier. ``Contact(contact_id=...)`` alone refers to an existing one."""

    contact_id: str | None = None
    contact_number: str | None = None
    account_number: str | None = None
    contact_status: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_number: str | None = None
    email_address: str | None = None
    bank_account_details: str | None = None
    tax_number: str | None = None
    accounts_receivable_tax_type: str | None = None
    accounts_payable_tax_type: str | None = None
    is_supplier: bool | None = None
    is_customer: bool | None = None
    default_currency: str | None = None
    sales_default_account_code: str | None = None
    purchases_default_account_code: str | None = None
    website: str | None = None
    discount: Decimal | None = None
    has_attachments: bool | None = None
    updated_date_utc: datetime | None = None
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()
    contact_persons: tuple[ContactPerson, ...] = ()
    has_validation_errors: bool | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ItemPrice(XeroModel):
    """An item's purchase or sales details."""

    unit_price: Decimal | None = None
    account_code: str | None = None
    cogs_account_code: str | None = key("COGSAccountCode")
    tax_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class Item(XeroModel):
    """A product or service, identified by its ``code``."""

    item_id: str | None = None
    code: str | None = None
    name: str | None = None
    description: str | None = None
    purchase_description: str | None = None
    is_sold: bool | None = None
    is_purchased: bool | None = None
    is_tracked_as_inventory: bool | None = None
    inventory_asset_account_code: str | None = None
    purchase_details: ItemPrice | None = None
    sales_details: ItemPrice | None = None
    total_cost_pool: Decimal | None = None
    quantity_on_hand: Decimal | None = None
    updated_date_utc: datetime | None = None
    status_attribute_string: str | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()
