"""Accounts, tax rates and tracking categories as read from Xero, turned into domain values."""

from decimal import Decimal
from uuid import UUID

import xero_client as xc
from ledgerlink.domain.catalogue import (
    IMPORTABLE_ACCOUNT_TYPES,
    Account,
    AccountClass,
    ReferenceStatus,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
    effective_rate,
)
from ledgerlink.xero.inbound.skips import SkipRecord, required, translated

# Xero's own names for the compatible types: current and term liabilities, and revenue
# called "sales", besides the ones the domain lists.
# https://developer.xero.com/documentation/api/accounting/types#accounts
COMPATIBLE_ACCOUNT_TYPES = IMPORTABLE_ACCOUNT_TYPES
# Of Xero's system accounts (receivables, payables, GST, ...), only rounding may be
# chosen on a document line, for rounding adjustments.
LINE_SYSTEM_ACCOUNTS = frozenset({"ROUNDING"})

_CLASS_NAMES = ", ".join(member.value for member in AccountClass)
_APPLIES_TO = (
    ("can_apply_to_assets", AccountClass.ASSET),
    ("can_apply_to_equity", AccountClass.EQUITY),
    ("can_apply_to_expenses", AccountClass.EXPENSE),
    ("can_apply_to_liabilities", AccountClass.LIABILITY),
    ("can_apply_to_revenue", AccountClass.REVENUE),
)


def reference_status(value: str | None) -> ReferenceStatus:
    """Xero's ACTIVE / ARCHIVED / DELETED; anything else is not imported."""
    text = (value or "ACTIVE").upper()
    try:
        return ReferenceStatus(text)
    except ValueError:
        raise SkipRecord(f"status {text} is not one of ACTIVE, ARCHIVED, DELETED") from None


def account_skip_reason(account: xc.Account) -> str | None:
    """Why an account of this type is not imported, or None when it is compatible."""
    kind = (account.type or "").upper()
    if kind not in COMPATIBLE_ACCOUNT_TYPES:
        return f"account type {kind or '(none)'} cannot be used on purchase or sales documents"
    system = (account.system_account or "").upper()
    if system and system not in LINE_SYSTEM_ACCOUNTS:
        return f"a system account ({system}): Xero keeps it for its own entries, not for lines"
    return None


def parse_uuid(value: str | None, field: str) -> UUID:
    try:
        return UUID(required(value, field))
    except ValueError:
        raise SkipRecord(f"{field} {value!r} is not a Xero id") from None


def account_from_xero(account: xc.Account) -> Account:
    """The account as kept here (archived ones inactive).

    Raises:
        SkipRecord: an incompatible type, or a record missing what an account needs.
    """
    reason = account_skip_reason(account)
    if reason is not None:
        raise SkipRecord(reason)
    code = required(account.code, "account code")
    try:
        account_class = AccountClass((account.account_class or "").upper())
    except ValueError:
        raise SkipRecord(f"class {account.account_class!r} is not one of {_CLASS_NAMES}") from None
    return translated(
        lambda: Account(
            code=code,
            name=required(account.name, "account name"),
            type=required(account.type, "account type"),
            account_class=account_class,
            status=reference_status(account.status),
            tax_type=account.tax_type or None,
            xero_id=parse_uuid(account.account_id, "AccountID"),
        )
    )


def tax_rate_from_xero(rate: xc.TaxRate) -> TaxRate:
    """The tax rate with its components and the account classes it may apply to.

    Raises:
        SkipRecord: no tax type or name, a negative rate, or an unknown status.
    """
    tax_type = required(rate.tax_type, "tax type")
    status = reference_status(rate.status)
    applies_to = frozenset(cls for attr, cls in _APPLIES_TO if getattr(rate, attr))

    def build() -> TaxRate:
        components = tuple(
            TaxComponent(
                name=required(part.name, "tax component name"),
                rate=part.rate if part.rate is not None else Decimal(0),
                is_compound=bool(part.is_compound),
                is_non_recoverable=bool(part.is_non_recoverable),
            )
            for part in rate.tax_components
        )
        # Xero's own effective rate is the truth; the components' sum is the fallback.
        rate_value = rate.effective_rate
        if rate_value is None and components:
            rate_value = effective_rate(components)
        if rate_value is None:
            raise SkipRecord("Xero sent neither components nor an effective rate")
        return TaxRate(
            name=required(rate.name, "tax rate name"),
            tax_type=tax_type,
            rate=rate_value,
            components=components,
            applies_to=applies_to,
            status=status,
        )

    return translated(build)


def tracking_category_from_xero(category: xc.TrackingCategory) -> TrackingCategory:
    """The category, a line-level custom field here, with its options (archived inactive).

    Raises:
        SkipRecord: no name or id, an unknown status, or an option twice.
    """
    return translated(
        lambda: TrackingCategory(
            name=required(category.name, "tracking category name"),
            options=tuple(
                TrackingOption(
                    name=required(option.name, "tracking option name"),
                    status=reference_status(option.status),
                )
                for option in category.options
            ),
            status=reference_status(category.status),
            xero_id=parse_uuid(category.tracking_category_id, "TrackingCategoryID"),
        )
    )
