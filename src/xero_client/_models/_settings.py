"""The organisation and its reference data: accounts, tax rates, tracking categories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ._base import XeroModel, key
from ._common import Address, Phone, ValidationMessage


@dataclass(frozen=True, kw_only=True)
class Organisation(XeroModel):
    organisation_id: str | None = None
    name: str | None = None
    legal_name: str | None = None
    short_code: str | None = None
    pays_tax: bool | None = None
    version: str | None = None
    organisation_type: str | None = None
    organisation_status: str | None = None
    organisation_entity_type: str | None = None
    base_currency: str | None = None
    country_code: str | None = None
    is_demo_company: bool | None = None
    tax_number: str | None = None
    registration_number: str | None = None
    financial_year_end_day: int | None = None
    financial_year_end_month: int | None = None
    sales_tax_basis: str | None = None
    sales_tax_period: str | None = None
    default_sales_tax: str | None = None
    default_purchases_tax: str | None = None
    period_lock_date: date | None = None
    end_of_year_lock_date: date | None = None
    created_date_utc: datetime | None = None
    timezone: str | None = None
    edition: str | None = None
    organisation_class: str | None = key("Class")
    line_of_business: str | None = None
    addresses: tuple[Address, ...] = ()
    phones: tuple[Phone, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Account(XeroModel):
    """One account of the chart of accounts."""

    account_id: str | None = None
    code: str | None = None
    name: str | None = None
    type: str | None = None
    status: str | None = None
    description: str | None = None
    account_class: str | None = key("Class")
    system_account: str | None = None
    tax_type: str | None = None
    currency_code: str | None = None
    bank_account_number: str | None = None
    bank_account_type: str | None = None
    enable_payments_to_account: bool | None = None
    show_in_expense_claims: bool | None = None
    reporting_code: str | None = None
    reporting_code_name: str | None = None
    has_attachments: bool | None = None
    add_to_watchlist: bool | None = None
    updated_date_utc: datetime | None = None
    validation_errors: tuple[ValidationMessage, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TaxComponent(XeroModel):
    name: str | None = None
    rate: Decimal | None = None
    is_compound: bool | None = None
    is_non_recoverable: bool | None = None


@dataclass(frozen=True, kw_only=True)
class TaxRate(XeroModel):
    name: str | None = None
    tax_type: str | None = None
    status: str | None = None
    report_tax_type: str | None = None
    display_tax_rate: Decimal | None = None
    effective_rate: Decimal | None = None
    can_apply_to_assets: bool | None = None
    can_apply_to_equity: bool | None = None
    can_apply_to_expenses: bool | None = None
    can_apply_to_liabilities: bool | None = None
    can_apply_to_revenue: bool | None = None
    tax_components: tuple[TaxComponent, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TrackingOption(XeroModel):
    tracking_option_id: str | None = None
    name: str | None = None
    status: str | None = None
    tracking_category_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class TrackingCategory(XeroModel):
    tracking_category_id: str | None = None
    name: str | None = None
    status: str | None = None
    options: tuple[TrackingOption, ...] = ()
