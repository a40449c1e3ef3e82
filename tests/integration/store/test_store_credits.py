from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

import pytest
from store_builders import ORDER_DATE, Parties, add_parties, sales_invoice, state

from ledgerlink.domain.credits import Refund
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.payments import Payment, allocate_in_order, settle
from ledgerlink.store.errors import UnknownReference

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory


@pytest.fixture
def parties(uow_factory: UowFactory, company_id: UUID) -> Parties:
    with uow_factory() as uow:
        found = add_parties(uow, company_id)
        uow.commit()
    return found


def test_an_overpayment_leaves_store_credit_that_is_used_later(
    uow_factory: UowFactory, parties: Parties
) -> None:
    with uow_factory() as uow:
        invoice = sales_invoice(parties, "INV-1")
        invoice.issue()
        uow.sales_invoices.add(invoice)
        allocations, left = allocate_in_order(invoice.amount_due + Decimal("25.00"), [invoice])
        payment = Payment.record(
            company_id=parties.company_id,
            date=ORDER_DATE,
            amount=invoice.amount_due + Decimal("25.00"),
            currency="NZD",
            bank_account_code="090",
            party_id=parties.customer_id,
            allocations=allocations,
        )
        settle(payment, {invoice.id: invoice})
        uow.payments.add(payment)
        credit = payment.store_credit(parties.customer_id)
        assert credit is not None
        uow.store_credits.add(credit)
        uow.commit()

    with uow_factory() as uow:
        (loaded,) = uow.store_credits.open_for_customer(parties.company_id, parties.customer_id)
        assert state(loaded) == state(credit)
        assert loaded.amount == left == Decimal("25.00")
        use_id = loaded.use(Decimal("25.00"), target_id=invoice.id)
        uow.commit()

    with uow_factory() as uow:
        assert uow.store_credits.open_for_customer(parties.company_id, parties.customer_id) == []
        used = uow.store_credits.list(parties.company_id, status="used")
        events = uow.outbox.for_document(parties.company_id, "store_credit", credit.id)
        uses = uow.outbox.for_document(parties.company_id, "credit_use", use_id)
    assert [c.id for c in used] == [credit.id]
    # The overpayment's credit stays here; only its use reaches Xero, as a record of its own.
    assert events == []
    assert [(e.event_type, e.payload.get("amount"), e.payload.get("credit_id")) for e in uses] == [
        ("CreditAllocated", "25.00", str(credit.id))
    ]
    assert uses[0].reaches_xero


def test_refunds_round_trip_per_customer_and_company(
    uow_factory: UowFactory, parties: Parties, other_company_id: UUID
) -> None:
    refunds = [
        Refund.record(
            company_id=parties.company_id,
            customer_id=parties.customer_id,
            date=ORDER_DATE + dt.timedelta(days=index),
            amount=Decimal("9.99"),
            currency="NZD",
            bank_account_code="090",
            reason="Damaged in transit",
        )
        for index in range(3)
    ]
    with uow_factory() as uow:
        for refund in refunds:
            uow.refunds.add(refund)
        uow.commit()

    with uow_factory() as uow:
        listed = uow.refunds.list_for_customer(parties.company_id, parties.customer_id)
        page = uow.refunds.list(parties.company_id, limit=1, offset=1)
        assert uow.refunds.count(parties.company_id) == 3
        assert uow.refunds.get(other_company_id, refunds[0].id) is None
        with pytest.raises(InvalidValue, match="no status"):
            uow.refunds.list(parties.company_id, status="open")

    assert [state(r) for r in listed] == [state(r) for r in reversed(refunds)]
    assert [r.id for r in page] == [refunds[1].id]


def test_a_refund_for_another_companys_customer_is_refused(
    uow_factory: UowFactory, parties: Parties, other_company_id: UUID
) -> None:
    with uow_factory() as uow:
        add_parties(uow, other_company_id)
        refund = Refund.record(
            company_id=other_company_id,
            customer_id=parties.customer_id,
            date=ORDER_DATE,
            amount=Decimal("1.00"),
            currency="NZD",
        )
        with pytest.raises(UnknownReference, match="customer_id: there is no customer"):
            uow.refunds.add(refund)
