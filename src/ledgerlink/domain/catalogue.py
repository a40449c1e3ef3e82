"""Reference data a company's documents point at: accounts, tax rates, tracking, items.

Accounts, tax rates and tracking categories are imported from Xero and are plain
values here. Items are also created here and sent to Xero, so they are
aggregates that raise ``ItemChanged``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Self
from uuid import UUID

from ledgerlink.domain._values import (
    check_places,
    optional_account_code,
    optional_text,
    require_text,
    to_decimal,
)
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import InvalidDocument, InvalidValue
from ledgerlink.domain.events import ItemChanged
from ledgerlink.domain.money import HUNDRED, MAX_UNIT_DP

MAX_ACTIVE_TRACKING_CATEGORIES = 2
TAX_RATE_PLACES = 4


class AccountClass(enum.StrEnum):
    """Xero's account classes."""

    ASSET = "ASSET"
    EQUITY = "EQUITY"
    EXPENSE = "EXPENSE"
    LIABILITY = "LIABILITY"
    REVENUE = "REVENUE"


class ReferenceStatus(enum.StrEnum):
    """Status of imported reference data (accounts, tax rates, tracking)."""

    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    DELETED = "DELETED"


AccountStatus = ReferenceStatus
TrackingStatus = ReferenceStatus

# Account types documents may post to (the compatible part of a Xero chart of
# accounts: current/fixed/non-current asset, inventory, direct costs, expense,
# liability, other income, revenue). Kept as text: Xero adds types over time.
# The categories that purchase and sales documents can post to: current, fixed,
# inventory and non-current assets; direct costs and expenses (Xero's "Overhead" type is
# an expense); liabilities (current and term); other income; revenue and sales.
IMPORTABLE_ACCOUNT_TYPES = frozenset(
    {"CURRENT", "FIXED", "INVENTORY", "NONCURRENT", "DIRECTCOSTS", "EXPENSE", "OVERHEADS",
     "LIABILITY", "CURRLIAB", "TERMLIAB", "OTHERINCOME", "REVENUE", "SALES"}
)  # fmt: skip


@dataclass(frozen=True, kw_only=True, slots=True)
class Account:
    """An account of the chart of accounts (``type`` is Xero's text, e.g. ``"EXPENSE"``)."""

    code: str
    name: str
    type: str
    account_class: AccountClass
    status: ReferenceStatus = ReferenceStatus.ACTIVE
    tax_type: str | None = None
    xero_id: UUID | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", require_text(self.code, "code", max_length=10))
        object.__setattr__(self, "name", require_text(self.name, "name", max_length=150))
        object.__setattr__(self, "type", require_text(self.type, "type").upper())
        object.__setattr__(self, "account_class", AccountClass(self.account_class))
        object.__setattr__(self, "status", ReferenceStatus(self.status))

    @property
    def active(self) -> bool:
        """True unless archived or deleted in Xero."""
        return self.status is ReferenceStatus.ACTIVE

    @property
    def skip_reason(self) -> str | None:
        """Why this account is not imported, or None when it is compatible."""
        if self.type not in IMPORTABLE_ACCOUNT_TYPES:
            return f"account type {self.type} cannot be used on purchase or sales documents"
        if not self.active:
            return f"the account is {self.status.lower()} in Xero"
        return None


@dataclass(frozen=True, kw_only=True, slots=True)
class TaxComponent:
    """One component of a tax rate; a compound one is charged on amount + the others' tax."""

    name: str
    rate: Decimal
    is_compound: bool = False
    is_non_recoverable: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, "components.name"))
        rate = check_places(to_decimal(self.rate, "components.rate"), TAX_RATE_PLACES,
                            "components.rate")  # fmt: skip
        if rate < 0:
            raise InvalidValue("components.rate", f"may not be negative, got {rate}")
        object.__setattr__(self, "rate", rate)


def effective_rate(components: Iterable[TaxComponent]) -> Decimal:
    """The single percentage that applies per line for ``components``.

    Simple components add up; a compound component applies to the amount plus the
    simple components' tax, e.g. GST 5 % + compound QST 9.975 % → 15.47375 %.
    """
    parts = list(components)
    simple = sum((c.rate for c in parts if not c.is_compound), Decimal(0))
    compound = sum((c.rate for c in parts if c.is_compound), Decimal(0))
    return simple + compound * (HUNDRED + simple) / HUNDRED


@dataclass(frozen=True, kw_only=True, slots=True)
class TaxRate:
    """A tax rate: ``rate`` is the effective percentage applied per line.

    ``applies_to`` lists the account classes it may be used with (Xero's
    ``CanApplyToAssets`` etc.); empty means no restriction is known.
    """

    name: str
    tax_type: str
    rate: Decimal
    components: tuple[TaxComponent, ...] = ()
    applies_to: frozenset[AccountClass] = frozenset()
    status: ReferenceStatus = ReferenceStatus.ACTIVE

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, "name"))
        object.__setattr__(self, "tax_type", require_text(self.tax_type, "tax_type"))
        rate = to_decimal(self.rate, "rate")
        if rate < 0:
            raise InvalidValue("rate", f"may not be negative, got {rate}")
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "components", tuple(self.components))
        object.__setattr__(self, "applies_to", frozenset(map(AccountClass, self.applies_to)))
        object.__setattr__(self, "status", ReferenceStatus(self.status))

    @classmethod
    def from_components(
        cls,
        *,
        name: str,
        tax_type: str,
        components: Iterable[TaxComponent],
        applies_to: Iterable[AccountClass] = (),
        status: ReferenceStatus = ReferenceStatus.ACTIVE,
    ) -> TaxRate:
        """A tax rate whose effective rate is computed from its components."""
        parts = tuple(components)
        return cls(
            name=name,
            tax_type=tax_type,
            rate=effective_rate(parts),
            components=parts,
            applies_to=frozenset(applies_to),
            status=status,
        )

    def can_apply_to(self, account_class: AccountClass) -> bool:
        """True when this rate may be used on an account of ``account_class``."""
        return not self.applies_to or account_class in self.applies_to


@dataclass(frozen=True, kw_only=True, slots=True)
class TrackingOption:
    """One option of a tracking category, e.g. ``East`` of ``Region``."""

    name: str
    status: ReferenceStatus = ReferenceStatus.ACTIVE

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, "options.name", max_length=100))
        object.__setattr__(self, "status", ReferenceStatus(self.status))


@dataclass(frozen=True, kw_only=True, slots=True)
class TrackingCategory:
    """A tracking category (e.g. ``Region``) and its options; at most 2 may be active."""

    name: str
    options: tuple[TrackingOption, ...] = ()
    status: ReferenceStatus = ReferenceStatus.ACTIVE
    xero_id: UUID | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, "name", max_length=100))
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "status", ReferenceStatus(self.status))
        seen: set[str] = set()
        for index, option in enumerate(self.options):
            if option.name.casefold() in seen:
                raise InvalidValue(
                    f"options[{index}].name",
                    f"option {option.name!r} appears twice in tracking category {self.name!r}",
                )
            seen.add(option.name.casefold())

    @property
    def active(self) -> bool:
        """True unless archived or deleted."""
        return self.status is ReferenceStatus.ACTIVE

    def option(self, name: str) -> TrackingOption | None:
        """The option called ``name`` (case-insensitive), or None."""
        wanted = name.casefold()
        return next((o for o in self.options if o.name.casefold() == wanted), None)


def check_tracking_categories(categories: Iterable[TrackingCategory]) -> None:
    """Refuse a company's set of tracking categories with more than 2 active ones.

    Raises:
        InvalidDocument: on ``tracking_categories``, naming the active ones.
    """
    active = [c.name for c in categories if c.active]
    if len(active) > MAX_ACTIVE_TRACKING_CATEGORIES:
        raise InvalidDocument(
            "tracking_categories",
            f"at most {MAX_ACTIVE_TRACKING_CATEGORIES} tracking categories may be active, "
            f"got {len(active)} ({', '.join(active)}); archive one first",
        )


def _price(value: object, field_name: str) -> Decimal | None:
    if value is None:
        return None
    return check_places(to_decimal(value, field_name), MAX_UNIT_DP, field_name)


@dataclass(kw_only=True, eq=False)
class Item(Aggregate):
    """A product or service the company buys and/or sells (a Xero item).

    ``create()`` and ``edit()`` raise ``ItemChanged`` so the item reaches Xero.
    """

    KIND: ClassVar[str] = "item"
    LABEL: ClassVar[str] = "item"
    EDITABLE: ClassVar[frozenset[str]] = frozenset(
        {"code", "name", "description", "purchase_description", "purchase_price",
         "purchase_account_code", "purchase_tax_type", "sales_price", "sales_account_code",
         "sales_tax_type", "is_tracked_as_inventory", "inventory_asset_account_code",
         "active", "category"}
    )  # fmt: skip

    code: str
    name: str
    description: str | None = None
    purchase_description: str | None = None
    purchase_price: Decimal | None = None
    purchase_account_code: str | None = None
    purchase_tax_type: str | None = None
    sales_price: Decimal | None = None
    sales_account_code: str | None = None
    sales_tax_type: str | None = None
    is_tracked_as_inventory: bool = False
    inventory_asset_account_code: str | None = None
    active: bool = True
    #: The product's category; its sales lines get the option of this name in the Xero
    #: tracking category the company's settings name (``product_category_tracking``).
    category: str | None = None

    def __post_init__(self) -> None:
        self.code = require_text(self.code, "code", max_length=30)
        self.category = optional_text(self.category, "category", max_length=100)
        self.name = require_text(self.name, "name", max_length=50)
        self.description = optional_text(self.description, "description", max_length=4000)
        self.purchase_description = optional_text(
            self.purchase_description, "purchase_description", max_length=4000
        )
        self.purchase_price = _price(self.purchase_price, "purchase_price")
        self.sales_price = _price(self.sales_price, "sales_price")
        for name in ("purchase_account_code", "sales_account_code", "inventory_asset_account_code"):
            setattr(self, name, optional_account_code(getattr(self, name), name))
        for name in ("purchase_tax_type", "sales_tax_type"):
            setattr(self, name, optional_text(getattr(self, name), name, max_length=50))
        if self.is_tracked_as_inventory and not self.inventory_asset_account_code:
            raise InvalidValue(
                "inventory_asset_account_code",
                "an item tracked as inventory needs an inventory asset account",
            )

    @property
    def is_purchased(self) -> bool:
        """True when purchase details are set."""
        return self.purchase_account_code is not None or self.purchase_price is not None

    @property
    def is_sold(self) -> bool:
        """True when sales details are set."""
        return self.sales_account_code is not None or self.sales_price is not None

    @classmethod
    def create(cls, *, company_id: UUID, code: str, name: str, **fields: Any) -> Self:
        """A new item, with the ``ItemChanged(created=True)`` event that sends it to Xero."""
        item = cls(company_id=company_id, code=code, name=name, **fields)
        item.version = 0
        item._bump(ItemChanged, created=True)
        return item

    def edit(self, **changes: Any) -> bool:
        """Change the given fields; raises ``ItemChanged`` and returns True if any changed."""
        if not self._apply_changes(changes, self.EDITABLE):
            return False
        self._bump(ItemChanged)
        return True
