from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pytest
from store_builders import state

from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.parties import Address, Customer, Supplier
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.repositories.aggregates import AggregateRepository
from ledgerlink.store.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.integration.conftest import UowFactory


@dataclass(frozen=True)
class Kind:
    repository: Callable[[SqlUnitOfWork], AggregateRepository[Any]]
    build: Callable[[UUID, int], Aggregate]


def _supplier(company_id: UUID, index: int) -> Supplier:
    return Supplier.create(
        company_id=company_id,
        name=f"Supplier {index:02d}",
        contact_number=f"S-{index}",
        email=f"s{index}@example.com",
        phone="+64 4 555 0100",
        address=Address(line1="1 Mill Rd", city="Wellington", postal_code="6011"),
        currency="NZD",
        tax_number="123-456-789",
    )


def _customer(company_id: UUID, index: int) -> Customer:
    return Customer.create(company_id=company_id, name=f"Customer {index:02d}")


def _item(company_id: UUID, index: int) -> Item:
    return Item.create(
        company_id=company_id,
        code=f"ITEM-{index:02d}",
        name=f"Item {index}",
        purchase_price=Decimal("0.1234"),
        purchase_account_code="300",
        sales_price=Decimal("19.99"),
        sales_account_code="200",
        sales_tax_type="OUTPUT2",
    )


KINDS = {
    "supplier": Kind(lambda uow: uow.suppliers, _supplier),
    "customer": Kind(lambda uow: uow.customers, _customer),
    "item": Kind(lambda uow: uow.items, _item),
}


@pytest.fixture(params=list(KINDS), ids=list(KINDS))
def kind(request: pytest.FixtureRequest) -> Kind:
    return KINDS[request.param]


def test_round_trip_and_update(uow_factory: UowFactory, kind: Kind, company_id: UUID) -> None:
    created = kind.build(company_id, 1)
    with uow_factory() as uow:
        kind.repository(uow).add(created)
        uow.commit()

    with uow_factory() as uow:
        loaded = kind.repository(uow).get(company_id, created.id)
        assert loaded is not None
        assert state(loaded) == state(created)
        assert loaded.edit(name="Renamed")
        uow.commit()

    with uow_factory() as uow:
        reloaded = kind.repository(uow).get(company_id, created.id)
    assert reloaded is not None
    assert reloaded.name == "Renamed"
    assert reloaded.version == created.version + 1


def test_list_by_status_in_pages_and_company_isolation(
    uow_factory: UowFactory, kind: Kind, company_id: UUID, other_company_id: UUID
) -> None:
    with uow_factory() as uow:
        records = [kind.build(company_id, index) for index in range(5)]
        for record in records[:2]:
            record.archive() if hasattr(record, "archive") else record.edit(active=False)
        for record in records:
            kind.repository(uow).add(record)
        kind.repository(uow).add(kind.build(other_company_id, 9))
        uow.commit()

    with uow_factory() as uow:
        repository = kind.repository(uow)
        active = repository.list(company_id, status="ACTIVE")
        archived = repository.list(company_id, status="ARCHIVED")
        page = repository.list(company_id, limit=2, offset=1)
        assert repository.count(company_id) == 5
        assert repository.count(company_id, status="ARCHIVED") == 2
        assert repository.get(other_company_id, records[0].id) is None

    assert [r.id for r in active] == [r.id for r in records[2:]]
    assert [r.id for r in archived] == [r.id for r in records[:2]]
    assert [r.id for r in page] == [r.id for r in records[1:3]]


def test_parties_are_found_by_name_and_contact_number(
    uow_factory: UowFactory, company_id: UUID, other_company_id: UUID
) -> None:
    supplier = _supplier(company_id, 1)
    with uow_factory() as uow:
        uow.suppliers.add(supplier)
        uow.commit()

    with uow_factory() as uow:
        by_name = uow.suppliers.get_by_name(company_id, "  supplier 01 ")
        by_number = uow.suppliers.get_by_contact_number(company_id, "S-1")
        assert uow.suppliers.get_by_name(other_company_id, "Supplier 01") is None
        assert uow.customers.get_by_name(company_id, "Supplier 01") is None

    assert by_name is not None
    assert by_name.id == supplier.id
    assert by_number is not None
    assert by_number.id == supplier.id


def test_item_codes_are_unique_per_company(
    uow_factory: UowFactory, company_id: UUID, other_company_id: UUID
) -> None:
    with uow_factory() as uow:
        uow.items.add(_item(company_id, 1))
        uow.items.add(_item(other_company_id, 1))
        with pytest.raises(DuplicateRecord, match="code 'ITEM-01'"):
            uow.items.add(_item(company_id, 1))
        uow.commit()

    with uow_factory() as uow:
        found = uow.items.get_by_code(company_id, "ITEM-01")
        assert found is not None
        assert found.purchase_price == Decimal("0.1234")
        assert uow.items.count(company_id) == 1


def test_changing_an_item_code_to_a_taken_one_is_refused(
    uow_factory: UowFactory, company_id: UUID
) -> None:
    first, second = _item(company_id, 1), _item(company_id, 2)
    with uow_factory() as uow:
        uow.items.add(first)
        uow.items.add(second)
        uow.commit()

    with uow_factory() as uow:
        loaded = uow.items.get(company_id, second.id)
        assert loaded is not None
        loaded.edit(code="ITEM-01")
        with pytest.raises(DuplicateRecord, match="code 'ITEM-01'"):
            uow.commit()

    with uow_factory() as uow:
        kept = uow.items.get(company_id, second.id)
    assert kept is not None
    assert kept.code == "ITEM-02"
