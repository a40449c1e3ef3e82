"""What makes a purchase order consistent, and the errors that say what to fix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ledgerlink.domain import (
    Address,
    Currency,
    DomainError,
    InvalidDocument,
    InvalidValue,
    LineAmountType,
    PurchaseOrder,
    PurchaseOrderStatus,
)

from .conftest import MARCH_2, line, new_purchase_order, purchase_order_in


def test_totals_include_the_shipping_line() -> None:
    po = new_purchase_order(
        lines=[line(quantity=Decimal(3), unit_price=Decimal("33.335"))],
        shipping_cost=Decimal("12.50"),
        shipping_account_code="425",
        shipping_tax_type="INPUT2",
        shipping_tax_rate=Decimal(15),
    )
    shipping = po.shipping_line()
    assert shipping is not None
    assert (shipping.description, shipping.amount, shipping.account_code) == (
        "Shipping",
        Decimal("12.50"),
        "425",
    )
    # 100.01 + 12.50; tax 15.00 + 1.875 → 1.88.
    totals = po.totals
    assert (totals.sub_total, totals.total_tax, totals.total) == (
        Decimal("112.51"),
        Decimal("16.88"),
        Decimal("129.39"),
    )


def test_no_shipping_cost_means_no_shipping_line() -> None:
    po = new_purchase_order()
    assert po.shipping_line() is None
    assert po.all_lines() == po.lines
    assert po.total == Decimal("115.00")


def test_approval_needs_an_account_on_every_line() -> None:
    po = new_purchase_order(lines=[line(), line(), line(account_code=None)])
    po.submit()
    with pytest.raises(InvalidDocument) as raised:
        po.approve()
    assert str(raised.value) == (
        "lines[2].account_code: an approved purchase order needs an account on every line"
    )
    assert po.status == "submitted"


def test_approval_needs_an_account_for_shipping() -> None:
    po = new_purchase_order(shipping_cost=Decimal("5.00"))
    po.submit()
    with pytest.raises(InvalidDocument, match=r"^shipping_account_code: an approved purchase"):
        po.approve()


def test_submitting_needs_a_line() -> None:
    po = new_purchase_order(lines=[])
    with pytest.raises(InvalidDocument) as raised:
        po.submit()
    assert str(raised.value) == "lines: a submitted purchase order needs at least one line"


@pytest.mark.parametrize(
    ("quantity", "shown"),
    [(Decimal(-1), "-1"), (Decimal(0), "0")],
    ids=["negative", "zero"],
)
def test_purchase_quantities_are_above_zero(quantity: Decimal, shown: str) -> None:
    with pytest.raises(InvalidDocument) as raised:
        new_purchase_order(lines=[line(), line(quantity=quantity)])
    assert str(raised.value) == (
        f"lines[1].quantity: must be more than 0 on a purchase order, got {shown}"
    )


def test_discounts_are_refused_on_purchase_orders() -> None:
    with pytest.raises(InvalidDocument) as raised:
        new_purchase_order(lines=[line(discount_rate=Decimal(10))])
    assert str(raised.value) == (
        "lines[0].discount_rate: discounts apply to sales documents only, not a purchase order"
    )


def test_unit_prices_follow_the_company_rounding_setting() -> None:
    po = new_purchase_order(lines=[line(unit_price=Decimal("33.335"))], unit_dp=4)
    assert po.lines[0].unit_price == Decimal("33.335")
    with pytest.raises(InvalidValue) as raised:
        new_purchase_order(lines=[line(unit_price=Decimal("33.335"))], unit_dp=2)
    assert str(raised.value) == (
        "lines[0].unit_price: at most 2 decimal places under the company's rounding "
        "setting, got 33.335; round it first"
    )


def test_line_errors_from_raw_lines_name_the_line() -> None:
    po = new_purchase_order()
    with pytest.raises(InvalidValue) as raised:
        po.replace_lines([{"quantity": "1", "unit_price": "2"}, {"quantity": 1.5}])
    assert str(raised.value) == (
        "lines[1].quantity: use a Decimal or a string such as '12.50', not float 1.5"
    )
    assert po.version == 1


def test_more_than_two_tracking_options_is_an_error_naming_tracking() -> None:
    po = new_purchase_order()
    tracking = [("Region", "East"), ("Department", "Sales"), ("Project", "Roof")]
    with pytest.raises(InvalidValue) as raised:
        po.replace_lines([{"quantity": "1", "unit_price": "2", "tracking": tracking}])
    assert str(raised.value) == (
        "lines[0].tracking: a line takes at most 2 tracking options, got 3"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "usd", "currency: use a three-letter upper-case ISO 4217 code such as 'USD'"),
        ("currency", "US", "currency: use a three-letter ISO 4217 code such as 'USD', got 'US'"),
        ("line_amount_type", "Gross", "line_amount_type: use one of Exclusive, Inclusive, NoTax"),
        ("unit_dp", 3, "unit_dp: the unit price rounding must be 2 or 4 dp, got 3"),
        ("shipping_cost", Decimal("-1.00"), "shipping_cost: may not be negative, got -1.00"),
        ("shipping_cost", Decimal("1.005"), "shipping_cost: at most 2 decimal places"),
        ("delivery_date", dt.date(2026, 3, 1),
         "delivery_date: must be on or after the order date 2026-03-02, got 2026-03-01"),
    ],
    ids=["lower-case-currency", "short-currency", "amount-type", "unit-dp", "negative-shipping",
         "shipping-3dp", "delivery-before-order"],
)  # fmt: skip
def test_bad_fields_are_named(field: str, value: object, message: str) -> None:
    with pytest.raises(DomainError) as raised:
        new_purchase_order(**{field: value})
    assert str(raised.value).startswith(message)
    assert raised.value.field == field


def test_edit_changes_fields_and_counts_one_version() -> None:
    po = new_purchase_order()
    address = Address(line1="1 Quay St", city="Auckland", country="NZ")
    assert po.edit(delivery_address=address, attention="Goods in", telephone="09 555 0101")
    assert (po.delivery_address, po.attention, po.version) == (address, "Goods in", 2)


def test_edit_without_a_change_is_not_a_change() -> None:
    po = purchase_order_in("approved")
    version, events = po.version, len(po.events)
    assert not po.edit(reference=None)
    assert (po.version, len(po.events)) == (version, events)


def test_edit_refuses_unknown_and_read_only_fields() -> None:
    po = new_purchase_order()
    with pytest.raises(InvalidValue, match=r"^status: cannot be edited on a purchase order"):
        po.edit(status="approved")
    assert po.status == "draft"


def test_edit_of_an_approved_order_keeps_the_approval_rules() -> None:
    po = purchase_order_in("approved")
    with pytest.raises(InvalidDocument, match=r"^lines\[0\].account_code: an approved purchase"):
        po.replace_lines([line(account_code=None)])
    assert po.lines == (line(),)
    with pytest.raises(InvalidDocument, match=r"^lines: an approved purchase order needs"):
        po.replace_lines([])


def test_edit_of_an_approved_order_is_sent_with_its_new_totals() -> None:
    po = purchase_order_in("approved")
    po.replace_lines([line(quantity=Decimal(4))])
    assert po.events[-1].name == "DocumentEdited"
    assert po.total == Decimal("230.00")


def test_edit_that_breaks_a_rule_changes_nothing() -> None:
    po = new_purchase_order()
    with pytest.raises(InvalidDocument):
        po.edit(reference="New", delivery_date=dt.date(2020, 1, 1))
    assert (po.reference, po.delivery_date, po.version) == (None, None, 1)


def test_inclusive_order_totals() -> None:
    po = new_purchase_order(
        lines=[line(quantity=Decimal(1), unit_price=Decimal("100.00"))],
        line_amount_type=LineAmountType.INCLUSIVE,
    )
    assert (po.totals.sub_total, po.totals.total_tax, po.total) == (
        Decimal("86.96"),
        Decimal("13.04"),
        Decimal("100.00"),
    )


def test_a_stored_order_loads_back_in_its_status() -> None:
    po = PurchaseOrder(
        company_id=new_purchase_order().company_id,
        supplier_id=new_purchase_order().supplier_id,
        date=MARCH_2,
        currency=Currency("EUR"),
        status=PurchaseOrderStatus.APPROVED,
        version=7,
    )
    assert (po.status, po.version, po.events) == ("approved", 7, [])
    po.finish()
    assert po.events[-1].version == 8
