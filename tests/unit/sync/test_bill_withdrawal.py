"""How a cancelled bill is taken back in Xero, from the bill Xero holds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ledgerlink.sync.export.change_steps import Withdrawal, bill_withdrawal
from xero_client import Invoice, Payment


@pytest.mark.parametrize(
    ("held", "withdrawal"),
    [
        (Invoice(status="AUTHORISED", amount_paid=Decimal("0")), Withdrawal.VOID),
        (Invoice(status="DRAFT"), Withdrawal.DELETE),
        (Invoice(status="SUBMITTED"), Withdrawal.DELETE),
        (Invoice(status="DELETED"), Withdrawal.GONE),
        (Invoice(status="VOIDED"), Withdrawal.GONE),
        (Invoice(status="AUTHORISED", amount_paid=Decimal("5.00")), Withdrawal.PAID),
        (Invoice(status="AUTHORISED", payments=(Payment(payment_id="p-1"),)), Withdrawal.PAID),
        (Invoice(status="PAID", amount_paid=Decimal("115.00")), Withdrawal.PAID),
    ],
    ids=[
        "approved-voided",
        "draft-deleted",
        "submitted-deleted",
        "deleted-already",
        "voided-already",
        "part-paid",
        "with-a-payment",
        "paid",
    ],
)
def test_a_bill_is_voided_deleted_left_or_refused_as_xero_allows(
    held: Invoice, withdrawal: Withdrawal
) -> None:
    assert bill_withdrawal(held) is withdrawal
