"""The drift of a credit or purchase order against Xero, and the fix each names."""

import datetime as dt
from decimal import Decimal
from uuid import uuid4

from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.sync.inbound.reconcile_credits import (
    CreditHere,
    CreditThere,
    credit_drift,
    guid_filter,
    order_drift,
)
from xero_client import PurchaseOrder as XeroPurchaseOrder

TOTAL = Decimal("114.99")


def here(kind: str = "credit_note", **fields: object) -> CreditHere:
    values: dict[str, object] = {"kind": kind, "id": uuid4(), "number": "CN-1",
                                 "status": "approved", "total": TOTAL, "remaining": TOTAL,
                                 **fields}  # fmt: skip
    return CreditHere(**values)  # type: ignore[arg-type]


def there(status: str = "AUTHORISED", **fields: object) -> CreditThere:
    values: dict[str, object] = {"what": "credit note", "status": status, "total": TOTAL,
                                 "remaining": TOTAL, **fields}  # fmt: skip
    return CreditThere(**values)  # type: ignore[arg-type]


def test_a_credit_in_line_has_no_drift_nor_does_one_ended_in_both() -> None:
    assert credit_drift(here(), there()) == []
    assert credit_drift(here(status="voided", ended=True), there("VOIDED")) == []
    assert credit_drift(here(status="voided", ended=True), None) == []


def test_each_side_ending_alone_names_its_own_fix() -> None:
    (voided_there,) = credit_drift(here(), there("VOIDED"))
    assert voided_there.field == "status" and "to void it here" in voided_there.fix
    (refund,) = credit_drift(here("refund"), there("DELETED"))
    assert "sync retry refund" in refund.fix and "sync resolve refund" in refund.fix
    (voided_here,) = credit_drift(here(status="voided", ended=True), there())
    assert "void it in Xero" in voided_here.fix


def test_credit_left_and_total_each_differ_on_their_own() -> None:
    left, total = credit_drift(here(remaining=Decimal("0")), there(total=Decimal("100")))
    assert (left.field, left.ours, left.xero) == ("remaining_credit", "0.00", "114.99")
    assert (total.field, total.ours, total.xero) == ("total", "114.99", "100.00")
    assert "sync retry credit_note CN-1 --force" in total.fix
    (made_in_xero,) = credit_drift(here(from_xero=True), there(total=Decimal("100")))
    assert "sync pull" in made_in_xero.fix and "retry" not in made_in_xero.fix


def test_a_credit_xero_lacks_is_named_with_a_fix_that_fits_where_it_came_from() -> None:
    (ours,) = credit_drift(here(), None)
    assert ours.field == "in_xero" and "sync retry credit_note" in ours.fix
    (from_xero,) = credit_drift(here("supplier_credit", from_xero=True), None)
    assert "retry" not in from_xero.fix and "resolve" not in from_xero.fix


def order(status: str = "approved") -> PurchaseOrder:
    placed = PurchaseOrder(company_id=uuid4(), supplier_id=uuid4(), currency="NZD",
                           number="PO-1", date=dt.date(2026, 3, 1),
                           lines=[{"description": "Paper", "quantity": "3",
                                   "unit_price": "33.33", "account_code": "400",
                                   "tax_type": "INPUT2", "tax_rate": "15"}])  # fmt: skip
    placed.submit()
    placed.approve()
    if status == "cancelled":
        placed.cancel()
    return placed


def test_an_order_differs_when_one_side_alone_ended_it_or_the_totals_differ() -> None:
    assert order_drift(order(), XeroPurchaseOrder(status="AUTHORISED", total=TOTAL)) == []
    assert order_drift(order(), XeroPurchaseOrder(status="BILLED", total=TOTAL)) == []
    (deleted,) = order_drift(order(), XeroPurchaseOrder(status="DELETED", total=TOTAL))
    assert "cancel it here" in deleted.fix
    (cancelled,) = order_drift(order("cancelled"), XeroPurchaseOrder(status="AUTHORISED"))
    assert "delete it in Xero" in cancelled.fix
    (total,) = order_drift(order(), XeroPurchaseOrder(status="AUTHORISED", total=Decimal("1")))
    assert (total.ours, total.xero) == ("114.99", "1.00")
    assert order_drift(order("cancelled"), None) == []
    assert order_drift(order(), None)[0].field == "in_xero"


def test_the_where_filter_names_each_id_as_a_guid() -> None:
    assert guid_filter("CreditNoteID", ["a", "b"]) == (
        'CreditNoteID==Guid("a") OR CreditNoteID==Guid("b")'
    )
