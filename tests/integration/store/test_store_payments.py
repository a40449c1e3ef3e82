from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import pytest
from store_builders import ORDER_DATE, Parties, add_parties, bill, state

from ledgerlink.domain.payments import Allocation, Payment, allocate_in_order, settle

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory


@pytest.fixture
def parties(uow_factory: UowFactory, company_id: UUID) -> Parties:
    with uow_factory() as uow:
        found = add_parties(uow, company_id)
        uow.commit()
    return found


def _approved_bills(uow_factory: UowFactory, parties: Parties, count: int) -> list[UUID]:
    with uow_factory() as uow:
        ids = []
        for index in range(count):
            document = bill(parties, f"BILL-{index}")
            document.submit()
            document.approve()
            uow.bills.add(document)
            ids.append(document.id)
        uow.commit()
    return ids


def test_a_split_payment_round_trips_and_pays_its_bills(
    uow_factory: UowFactory, parties: Parties
) -> None:
    first, second = _approved_bills(uow_factory, parties, 2)
    with uow_factory() as uow:
        bills = [uow.bills.get(parties.company_id, bill_id) for bill_id in (first, second)]
        assert bills[0] is not None
        assert bills[1] is not None
        amount = bills[0].amount_due + Decimal("10.00")
        allocations, left = allocate_in_order(amount, [bills[0], bills[1]])
        payment = Payment.record(
            company_id=parties.company_id,
            date=ORDER_DATE + dt.timedelta(days=3),
            amount=amount,
            currency="NZD",
            bank_account_code="090",
            reference="March run",
            party_id=parties.supplier_id,
            allocations=allocations,
        )
        settle(payment, {b.id: b for b in bills if b is not None})
        uow.payments.add(payment)
        uow.commit()

    with uow_factory() as uow:
        loaded = uow.payments.get(parties.company_id, payment.id)
        paid = uow.bills.get(parties.company_id, first)
        part_paid = uow.bills.get(parties.company_id, second)
        for_second = uow.payments.list_for_document(parties.company_id, second)
        payment_events = uow.outbox.for_document(parties.company_id, "payment", payment.id)
        bill_events = uow.outbox.for_document(parties.company_id, "bill", second)

    assert left == Decimal("0.00")
    assert loaded is not None
    assert state(loaded) == state(payment)
    assert loaded.is_split
    assert [a.document_id for a in loaded.allocations] == [first, second]
    assert paid is not None
    assert paid.status.value == "paid"
    assert part_paid is not None
    assert part_paid.status.value == "partially_paid"
    assert part_paid.amount_paid == Decimal("10.00")
    assert for_second == [loaded]
    assert [row.event_type for row in payment_events] == ["PaymentRecorded"]
    assert bill_events[-1].event_type == "PaymentApplied"
    assert bill_events[-1].payload == {"amount": "10.00", "payment_id": str(payment.id)}


def test_payments_list_by_status_in_pages_per_company(
    uow_factory: UowFactory, parties: Parties, other_company_id: UUID
) -> None:
    (bill_id,) = _approved_bills(uow_factory, parties, 1)
    with uow_factory() as uow:
        payments = [
            Payment.record(
                company_id=parties.company_id,
                date=ORDER_DATE + dt.timedelta(days=index),
                amount=Decimal("1.00"),
                currency="NZD",
                bank_account_code="090",
                allocations=(Allocation(document_id=bill_id, amount=Decimal("1.00")),),
            )
            for index in range(4)
        ]
        payments[0].delete()
        for payment in payments:
            uow.payments.add(payment)
        uow.commit()

    with uow_factory() as uow:
        deleted = uow.payments.list(parties.company_id, status="deleted")
        newest_first = uow.payments.list(parties.company_id, limit=2)
        older = uow.payments.list(parties.company_id, limit=2, offset=2)
        assert uow.payments.count(parties.company_id, status="recorded") == 3
        assert uow.payments.get(other_company_id, payments[1].id) is None
        assert uow.payments.list_for_document(other_company_id, bill_id) == []

    assert [p.id for p in deleted] == [payments[0].id]
    assert [p.id for p in newest_first] == [payments[3].id, payments[2].id]
    assert [p.id for p in older] == [payments[1].id, payments[0].id]
    assert all(len(p.allocations) == 1 for p in newest_first + older)


def test_deleting_a_payment_is_saved(uow_factory: UowFactory, parties: Parties) -> None:
    payment = Payment.record(
        company_id=parties.company_id,
        date=ORDER_DATE,
        amount=Decimal("5.00"),
        currency="NZD",
        bank_account_code="090",
    )
    with uow_factory() as uow:
        uow.payments.add(payment)
        uow.commit()

    with uow_factory() as uow:
        loaded = uow.payments.get(parties.company_id, payment.id)
        assert loaded is not None
        loaded.delete()
        uow.commit()

    with uow_factory() as uow:
        reloaded = uow.payments.get(parties.company_id, payment.id)
        events = uow.outbox.for_document(parties.company_id, "payment", payment.id)
    assert reloaded is not None
    assert reloaded.status.value == "deleted"
    assert reloaded.version == payment.version + 1
    assert [row.event_type for row in events] == ["PaymentRecorded", "DocumentCancelled"]


def test_get_many_loads_the_documents_a_payment_settles(
    uow_factory: UowFactory, parties: Parties, other_company_id: UUID
) -> None:
    first, second = _approved_bills(uow_factory, parties, 2)
    with uow_factory() as uow:
        already = uow.bills.get(parties.company_id, first)
        found = uow.bills.get_many(parties.company_id, [first, second, uuid4()])
        elsewhere = uow.bills.get_many(other_company_id, [first, second])

    assert set(found) == {first, second}
    assert found[first] is already
    assert elsewhere == {}
