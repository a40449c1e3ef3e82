"""How a cancelled bill is taken back in Xero, from the bill Xero holds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledgerlink.sync.export.kinds import bill_withdrawal
from xero_client import Invoice, Payment


@pytest.mark.parametrize(
    ("held", "status"),
    [
        (Invoice(status="AUTHORISED", amount_paid=Decimal("0")), "VOIDED"),
        (Invoice(status="DRAFT"), "DELETED"),
        (Invoice(status="SUBMITTED"), "DELETED"),
        (Invoice(status="DELETED"), None),
        (Invoice(status="VOIDED"), None),
    ],
    ids=["approved-voided", "draft-deleted", "submitted-deleted", "deleted", "voided"],
)
def test_a_bill_is_voided_deleted_or_left_as_xero_holds_it(
    held: Invoice, status: str | None
) -> None:
    withdrawal = bill_withdrawal(held)

    assert (withdrawal.status, withdrawal.refusal) == (status, None)


@pytest.mark.parametrize(
    "held",
    [
        Invoice(status="AUTHORISED", amount_paid=Decimal("5.00")),
        Invoice(status="AUTHORISED", payments=(Payment(payment_id="p-1"),)),
        Invoice(status="PAID", amount_paid=Decimal("115.00")),
    ],
    ids=["part-paid", "with-a-payment", "paid"],
)
def test_a_bill_with_payments_is_refused_with_the_fix(held: Invoice) -> None:
    withdrawal = bill_withdrawal(held)

    assert withdrawal.status is None
    assert withdrawal.refusal is not None and withdrawal.refusal.startswith("payments exist")
    assert withdrawal.fix == "remove the bill's payments in Xero first, then retry the cancellation"
