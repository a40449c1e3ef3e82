from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import pytest
from store_builders import Parties, add_parties, purchase_order

from ledgerlink.domain.parties import Supplier
from ledgerlink.store.errors import ConcurrentUpdate

if TYPE_CHECKING:
    from tests.integration.conftest import FakeClock, UowFactory


@pytest.fixture
def parties(uow_factory: UowFactory, company_id: UUID) -> Parties:
    with uow_factory() as uow:
        found = add_parties(uow, company_id)
        uow.commit()
    return found


def test_each_event_becomes_an_outbox_row_with_the_change(
    uow_factory: UowFactory, parties: Parties, clock: FakeClock
) -> None:
    order = purchase_order(parties, "PO-1")
    with uow_factory() as uow:
        uow.purchase_orders.add(order)
        order.submit()
        order.approve()
        uow.commit()

    with uow_factory() as uow:
        rows = uow.outbox.for_document(parties.company_id, "purchase_order", order.id)
        stored = uow.purchase_orders.get(parties.company_id, order.id)

    assert stored is not None
    assert stored.status.value == "approved"
    assert [(row.event_type, row.version, row.reaches_xero) for row in rows] == [
        ("DocumentSubmitted", 2, False),
        ("DocumentApproved", 3, True),
    ]
    assert rows[0].state == "not_sent"
    approved = rows[1]
    assert approved.company_id == parties.company_id
    assert approved.document_id == order.id
    assert approved.state == "pending"
    assert approved.attempts == 0
    assert approved.created_at == clock.now
    assert approved.available_at == clock.now
    assert approved.claimed_by is None
    assert approved.claimed_until is None
    assert order.events == []


def test_event_payload_keeps_its_own_fields_as_json(
    uow_factory: UowFactory, parties: Parties
) -> None:
    order = purchase_order(parties, "PO-1")
    with uow_factory() as uow:
        uow.purchase_orders.add(order)
        order.submit()
        order.reject("Wrong supplier")
        uow.commit()

    with uow_factory() as uow:
        rows = uow.outbox.for_document(parties.company_id, "purchase_order", order.id)

    assert rows[-1].event_type == "DocumentRejected"
    assert rows[-1].payload == {"reason": "Wrong supplier"}


def test_parties_created_in_the_unit_reach_the_outbox(
    uow_factory: UowFactory, parties: Parties
) -> None:
    with uow_factory() as uow:
        rows = uow.outbox.list(parties.company_id)

    assert [(row.kind, row.event_type, row.payload) for row in rows] == [
        ("supplier", "PartyChanged", {"created": True}),
        ("customer", "PartyChanged", {"created": True}),
    ]
    # Suppliers and customers are both sent to Xero: both rows wait for the worker.
    assert [(row.state, row.reaches_xero) for row in rows] == [
        ("pending", True),
        ("pending", True),
    ]


def test_leaving_without_commit_writes_nothing(uow_factory: UowFactory, company_id: UUID) -> None:
    supplier = Supplier.create(company_id=company_id, name="Never saved")
    with uow_factory() as uow:
        uow.suppliers.add(supplier)

    with pytest.raises(RuntimeError, match="boom"), uow_factory() as uow:
        uow.suppliers.add(Supplier.create(company_id=company_id, name="Also never saved"))
        raise RuntimeError("boom")

    with uow_factory() as uow:
        assert uow.suppliers.count(company_id) == 0
        assert uow.outbox.list(company_id) == []


def test_a_failed_commit_leaves_neither_the_change_nor_the_row(
    uow_factory: UowFactory, parties: Parties
) -> None:
    order = purchase_order(parties, "PO-1")
    with uow_factory() as uow:
        uow.purchase_orders.add(order)
        order.submit()
        uow.commit()

    with uow_factory() as late:
        stale = late.purchase_orders.get(parties.company_id, order.id)
        assert stale is not None
        late.commit()  # ends the read; `stale` stays in the unit with the version it had

        with uow_factory() as first:
            fresh = first.purchase_orders.get(parties.company_id, order.id)
            assert fresh is not None
            fresh.approve()
            first.commit()

        newcomer = Supplier.create(company_id=parties.company_id, name="Ink Ltd")
        late.suppliers.add(newcomer)
        stale.reject("Too expensive")
        with pytest.raises(ConcurrentUpdate):
            late.commit()

    with uow_factory() as uow:
        assert uow.suppliers.get(parties.company_id, newcomer.id) is None
        assert uow.outbox.for_document(parties.company_id, "supplier", newcomer.id) == []
        events = uow.outbox.for_document(parties.company_id, "purchase_order", order.id)
        kept = uow.purchase_orders.get(parties.company_id, order.id)
    assert [row.event_type for row in events] == ["DocumentSubmitted", "DocumentApproved"]
    assert kept is not None
    assert kept.status.value == "approved"
