"""Accounts, tax rates (with compound components), tracking categories and items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ledgerlink.domain import (
    Account,
    AccountClass,
    DomainError,
    InvalidDocument,
    InvalidValue,
    Item,
    ReferenceStatus,
    TaxComponent,
    TaxRate,
    TrackingCategory,
    TrackingOption,
    check_tracking_categories,
    effective_rate,
)

from .conftest import COMPANY


@pytest.mark.parametrize(
    ("components", "expected"),
    [
        ([("GST", "15", False)], "15"),
        ([("GST", "5", False), ("PST", "7", False)], "12"),
        ([("GST", "5", False), ("QST", "9.975", True)], "15.47375"),
        ([("TVQ", "9.975", True)], "9.975"),
        ([("A", "5", False), ("B", "2", False), ("C", "10", True)], "17.7"),
        ([], "0"),
    ],
    ids=["single", "two-simple", "gst-plus-compound-qst", "compound-alone",
         "compound-on-two-simple", "none"],
)  # fmt: skip
def test_effective_rate(components: list[tuple[str, str, bool]], expected: str) -> None:
    parts = [TaxComponent(name=n, rate=Decimal(r), is_compound=c) for n, r, c in components]
    assert effective_rate(parts) == Decimal(expected)


def test_tax_rate_applies_only_to_its_account_classes() -> None:
    rate = TaxRate(
        name="GST on Expenses",
        tax_type="INPUT2",
        rate=Decimal(15),
        applies_to=frozenset({AccountClass.EXPENSE, AccountClass.ASSET}),
    )
    assert rate.can_apply_to(AccountClass.EXPENSE)
    assert not rate.can_apply_to(AccountClass.REVENUE)
    anywhere = TaxRate(name="No GST", tax_type="NONE", rate=Decimal(0))
    assert anywhere.can_apply_to(AccountClass.REVENUE)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TaxRate(name="X", tax_type="X", rate=Decimal(-1)), "rate: may not be negative"),
        (lambda: TaxRate(name="X", tax_type="X", rate=15.0),  # type: ignore[arg-type]
         "rate: use a Decimal or a string"),
        (lambda: TaxRate(name=" ", tax_type="X", rate=Decimal(1)), "name: is required"),
        (lambda: TaxComponent(name="GST", rate=Decimal("1.23456")),
         "components.rate: at most 4 decimal places"),
        (lambda: TaxComponent(name="GST", rate=Decimal(-5)),
         "components.rate: may not be negative"),
    ],
    ids=["negative-rate", "float-rate", "blank-name", "component-5dp", "negative-component"],
)  # fmt: skip
def test_bad_tax_rates_are_named(make: Any, message: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        make()
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("account_type", "status", "reason"),
    [
        ("EXPENSE", "ACTIVE", None),
        ("CURRENT", "ACTIVE", None),
        ("OTHERINCOME", "ACTIVE", None),
        ("BANK", "ACTIVE", "account type BANK cannot be used on purchase or sales documents"),
        ("EQUITY", "ACTIVE", "account type EQUITY cannot be used on purchase or sales documents"),
        ("EXPENSE", "ARCHIVED", "the account is archived in Xero"),
    ],
    ids=["expense", "current-asset", "other-income", "bank", "equity", "archived"],
)
def test_which_accounts_are_imported(account_type: str, status: str, reason: str | None) -> None:
    account = Account(
        code="400",
        name="Advertising",
        type=account_type,
        account_class=AccountClass.EXPENSE,
        status=ReferenceStatus(status),
    )
    assert account.skip_reason == reason
    assert account.active is (status == "ACTIVE")


def test_account_type_is_kept_as_xero_text() -> None:
    account = Account(code="610", name="Odd", type="newtype", account_class=AccountClass.ASSET)
    assert account.type == "NEWTYPE"
    assert account.skip_reason == (
        "account type NEWTYPE cannot be used on purchase or sales documents"
    )


def _category(name: str, status: str = "ACTIVE") -> TrackingCategory:
    return TrackingCategory(
        name=name,
        status=ReferenceStatus(status),
        options=(TrackingOption(name="East"), TrackingOption(name="West")),
    )


def test_at_most_two_active_tracking_categories() -> None:
    check_tracking_categories([_category("Region"), _category("Department")])
    check_tracking_categories(
        [_category("Region"), _category("Department"), _category("Old", "ARCHIVED")]
    )
    with pytest.raises(InvalidDocument) as raised:
        check_tracking_categories(
            [_category("Region"), _category("Department"), _category("Project")]
        )
    assert str(raised.value) == (
        "tracking_categories: at most 2 tracking categories may be active, got 3 "
        "(Region, Department, Project); archive one first"
    )


def test_tracking_options_are_found_by_name_and_unique() -> None:
    region = _category("Region")
    assert region.option("east") == TrackingOption(name="East")
    assert region.option("North") is None
    with pytest.raises(InvalidValue) as raised:
        TrackingCategory(name="Region", options=(TrackingOption(name="East"),) * 2)
    assert str(raised.value) == (
        "options[1].name: option 'East' appears twice in tracking category 'Region'"
    )


def test_item_create_and_edit_raise_item_changed() -> None:
    item = Item.create(
        company_id=COMPANY,
        code="PAPER-A4",
        name="A4 paper",
        purchase_price=Decimal("4.1234"),
        purchase_account_code="400",
        sales_price=Decimal("7.50"),
        sales_account_code="200",
    )
    assert (item.is_purchased, item.is_sold) == (True, True)
    assert item.edit(sales_price=Decimal("7.95"))
    assert not item.edit(sales_price=Decimal("7.95"))
    assert [(e.name, e.kind, e.created, e.version) for e in item.events] == [  # type: ignore[attr-defined]
        ("ItemChanged", "item", True, 1),
        ("ItemChanged", "item", False, 2),
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "x" * 31}, "code: at most 30 characters, got 31"),
        ({"name": ""}, "name: is required and may not be blank"),
        ({"purchase_price": Decimal("1.00001")}, "purchase_price: at most 4 decimal places"),
        ({"sales_price": 2.5}, "sales_price: use a Decimal or a string"),
        ({"is_tracked_as_inventory": True},
         "inventory_asset_account_code: an item tracked as inventory needs an inventory asset"),
    ],
    ids=["long-code", "blank-name", "price-5dp", "float-price", "inventory-without-account"],
)  # fmt: skip
def test_bad_item_fields_are_named(fields: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"company_id": COMPANY, "code": "PAPER", "name": "Paper"}
    values.update(fields)
    with pytest.raises(DomainError) as raised:
        Item(**values)
    assert str(raised.value).startswith(message)
