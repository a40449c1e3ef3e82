from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

import pytest

from ledgerlink.store.errors import DuplicateRecord

if TYPE_CHECKING:
    from tests.integration.conftest import FakeClock, UowFactory

TENANT = "6f5a2d3e-0000-4000-8000-00000000c0de"
XERO_ID = "2E1B5D2A-7C1D-4C8B-9F00-00000000B111"


def test_links_are_upserted_and_found_both_ways(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    bill_id = uuid4()
    with uow_factory() as uow:
        created = uow.xero_links.upsert(
            company_id, "bill", bill_id, tenant_id=TENANT, xero_id=XERO_ID, synced_version=3
        )
        uow.commit()

    clock.advance(60)
    with uow_factory() as uow:
        assert uow.xero_links.get(company_id, "bill", bill_id) == created
        assert uow.xero_links.find(TENANT, "bill", XERO_ID.lower()) == created
        updated = uow.xero_links.upsert(
            company_id,
            "bill",
            bill_id,
            tenant_id=TENANT,
            xero_id=XERO_ID,
            xero_number="INV-0042",
            synced_version=4,
        )
        uow.commit()

    with uow_factory() as uow:
        stored = uow.xero_links.get(company_id, "bill", bill_id)
    assert stored == updated
    assert stored is not None
    assert stored.xero_id == XERO_ID.lower()
    assert (stored.xero_number, stored.synced_version) == ("INV-0042", 4)
    assert stored.updated_at == clock.now


def test_links_are_per_company_and_kind(
    uow_factory: UowFactory, company_id: UUID, other_company_id: UUID
) -> None:
    entity = uuid4()
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "supplier", entity, tenant_id=TENANT, xero_id=XERO_ID)
        uow.xero_links.upsert(company_id, "account", "429", tenant_id=TENANT, xero_id=str(uuid4()))
        uow.commit()

    with uow_factory() as uow:
        assert uow.xero_links.get(other_company_id, "supplier", entity) is None
        assert uow.xero_links.get(company_id, "customer", entity) is None
        assert uow.xero_links.find(TENANT, "customer", XERO_ID) is None
        assert uow.xero_links.find("another-tenant", "supplier", XERO_ID) is None
        account = uow.xero_links.get(company_id, "account", "429")
    assert account is not None
    assert account.entity_id == "429"


def test_a_xero_record_links_to_one_record_only(uow_factory: UowFactory, company_id: UUID) -> None:
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "bill", uuid4(), tenant_id=TENANT, xero_id=XERO_ID)
        with pytest.raises(DuplicateRecord, match="xero_id"):
            uow.xero_links.upsert(company_id, "bill", uuid4(), tenant_id=TENANT, xero_id=XERO_ID)
        uow.commit()

    with uow_factory() as uow:
        assert uow.xero_links.find(TENANT, "bill", XERO_ID) is not None
