"""Supplier credit follows Xero: used as far as Xero allocated it, voided when voided."""

import datetime as dt
from decimal import Decimal
from uuid import uuid4

import pytest

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.supplier_credit import SupplierCredit


def credit(**fields: object) -> SupplierCredit:
    values: dict[str, object] = {"company_id": uuid4(), "supplier_id": uuid4(),
                                 "source": "prepayment", "date": dt.date(2026, 3, 5),
                                 "amount": "80.00", "currency": "NZD", **fields}  # fmt: skip
    return SupplierCredit(**values)  # type: ignore[arg-type]


def test_it_follows_what_xero_used_and_voided_and_counts_each_change_once() -> None:
    owed = credit()
    assert (owed.status, owed.remaining, owed.version) == ("open", Decimal("80.00"), 1)
    owed.follow(Decimal("30.00"), voided=False)
    assert (owed.status, owed.remaining, owed.version) == ("open", Decimal("50.00"), 2)
    owed.follow(Decimal("30.00"), voided=False)
    assert owed.version == 2  # nothing changed: nothing counted
    owed.follow(Decimal("80.00"), voided=False)
    assert (owed.status, owed.remaining) == ("used", Decimal("0.00"))
    owed.follow(Decimal("0.00"), voided=True)
    assert (owed.status, owed.remaining) == ("voided", Decimal("0"))
    assert owed.pull_events() == []  # nothing of it is sent to Xero


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount_used": "81.00"}, "amount_used"),
        ({"amount_used": "-1"}, "amount_used"),
    ],
)
def test_it_refuses_amounts_that_cannot_be(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        credit(**fields)
    assert refused.value.field == field


def test_it_refuses_to_follow_more_than_it_holds() -> None:
    with pytest.raises(InvalidValue) as refused:
        credit().follow(Decimal("80.01"), voided=False)
    assert refused.value.field == "amount_used"
