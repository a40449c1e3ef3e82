from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import pytest
from store_builders import add_parties, purchase_order

from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.store.errors import ConcurrentUpdate

if TYPE_CHECKING:
    from tests.integration.conftest import UowFactory


def _stored_order(uow_factory: UowFactory, company_id: UUID) -> PurchaseOrder:
    with uow_factory() as uow:
        order = purchase_order(add_parties(uow, company_id), "PO-1")
        uow.purchase_orders.add(order)
        uow.commit()
    return order


def _assert_alice_won(uow_factory: UowFactory, company_id: UUID, order: PurchaseOrder) -> None:
    with uow_factory() as uow:
        kept = uow.purchase_orders.get(company_id, order.id)
    assert kept is not None
    assert kept.reference == "Alice's change"
    assert kept.version == order.version + 1


def test_an_update_from_a_stale_version_is_refused(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    order = _stored_order(uow_factory, company_id)

    with uow_factory() as bob:
        bobs = bob.purchase_orders.get(company_id, order.id)
        assert bobs is not None
        bob.commit()  # Bob reads, then thinks for a while
        with uow_factory() as alice:
            alices = alice.purchase_orders.get(company_id, order.id)
            assert alices is not None
            alices.edit(reference="Alice's change")
            alice.commit()
        bobs.edit(reference="Bob's change")
        with pytest.raises(ConcurrentUpdate) as caught:
            bob.commit()

    assert str(caught.value) == (
        f"purchase order {order.id} was changed by someone else since it was loaded "
        f"(expected version {order.version}); reload it and apply the change again"
    )
    _assert_alice_won(uow_factory, company_id, order)


def test_interleaved_transactions_cannot_lose_an_update(
    uow_factory: UowFactory, company_id: UUID, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite runs transactions one at a time (BEGIN IMMEDIATE): no interleaving")
    order = _stored_order(uow_factory, company_id)

    with uow_factory() as alice, uow_factory() as bob:
        alices = alice.purchase_orders.get(company_id, order.id)
        bobs = bob.purchase_orders.get(company_id, order.id)
        assert alices is not None
        assert bobs is not None
        alices.edit(reference="Alice's change")
        bobs.edit(reference="Bob's change")
        alice.commit()
        with pytest.raises(ConcurrentUpdate):
            bob.commit()

    _assert_alice_won(uow_factory, company_id, order)


def test_successive_commits_in_one_unit_keep_the_version_guard_current(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    with uow_factory() as uow:
        order = purchase_order(add_parties(uow, company_id), "PO-1")
        uow.purchase_orders.add(order)
        uow.commit()
        order.edit(reference="first")
        uow.commit()
        order.edit(reference="second")
        uow.commit()

    with uow_factory() as uow:
        kept = uow.purchase_orders.get(company_id, order.id)
    assert kept is not None
    assert (kept.reference, kept.version) == ("second", 3)


def test_loading_twice_in_one_unit_gives_the_same_object(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    with uow_factory() as uow:
        order = purchase_order(add_parties(uow, company_id), "PO-1")
        uow.purchase_orders.add(order)
        uow.commit()

    with uow_factory() as uow:
        first = uow.purchase_orders.get(company_id, order.id)
        listed = uow.purchase_orders.list(company_id)
        by_number = uow.purchase_orders.get_by_number(company_id, "PO-1")
    assert listed == [first]
    assert listed[0] is first
    assert by_number is first


def test_after_a_rollback_the_unit_forgets_what_it_loaded(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    order = _stored_order(uow_factory, company_id)

    with uow_factory() as uow:
        loaded = uow.purchase_orders.get(company_id, order.id)
        assert loaded is not None
        uow.rollback()
        loaded.edit(reference="Never saved")
        uow.commit()
        again = uow.purchase_orders.get(company_id, order.id)

    assert again is not loaded
    assert again is not None
    assert again.reference is None
    assert again.version == order.version
