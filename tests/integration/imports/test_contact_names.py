"""An imported Xero contact whose name a supplier here already has (in any letter case)
becomes that supplier, never a second one; one linked to another contact is skipped."""

from uuid import UUID

from ledgerlink.domain.parties import Supplier
from ledgerlink.sync.imports import ImportRunner
from tests.integration.conftest import UowFactory
from tests.integration.imports.conftest import DEMO_TENANT_ID, counts, run_import
from xero_client import Contact, XeroClient


async def _contact(demo: XeroClient, name: str) -> str:
    made = await demo.create_contacts([Contact.from_xero({"Name": name, "IsSupplier": True})])
    xero_id = made[0].id
    assert xero_id is not None
    return xero_id


def _supplier_here(uow_factory: UowFactory, company_id: UUID, name: str) -> UUID:
    with uow_factory() as uow:
        supplier = Supplier(company_id=company_id, name=name)
        uow.suppliers.add(supplier)
        uow.commit()
    return supplier.id


async def test_a_contact_named_like_a_supplier_here_links_to_it(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    here = _supplier_here(uow_factory, company_id, "kauri timber LTD")
    xero_id = await _contact(demo, "Kauri Timber Ltd")

    job = await run_import(runner, company_id, "suppliers", xero_ids=[xero_id])

    assert job.state == "done" and counts(job)[0] == 0 and counts(job)[3] == 0
    with uow_factory() as uow:
        assert uow.suppliers.count(company_id) == 1
        link = uow.xero_links.get(company_id, "supplier", here)
        assert link is not None and link.xero_id == xero_id


async def test_a_contact_whose_name_a_supplier_linked_elsewhere_has_is_skipped(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    here = _supplier_here(uow_factory, company_id, "Kauri Timber Ltd")
    with uow_factory() as uow:
        uow.xero_links.upsert(
            company_id, "supplier", here, tenant_id=DEMO_TENANT_ID, xero_id=str(UUID(int=7))
        )
        uow.commit()
    xero_id = await _contact(demo, "KAURI TIMBER LTD")

    job = await run_import(runner, company_id, "suppliers", xero_ids=[xero_id])

    assert job.state == "done" and counts(job)[3] == 1, job
    assert "name" in job.skips[0]["reason"] and str(here) in job.skips[0]["reason"]
    with uow_factory() as uow:
        assert uow.suppliers.count(company_id) == 1


async def test_a_contact_renamed_in_xero_to_a_name_taken_here_is_skipped_not_merged(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    xero_id = await _contact(demo, "Kauri Timber Ltd")
    await run_import(runner, company_id, "suppliers", xero_ids=[xero_id])
    totara = _supplier_here(uow_factory, company_id, "Totara Mills")
    await demo.update_contact(Contact(contact_id=xero_id, name="totara mills"))

    job = await run_import(runner, company_id, "suppliers", xero_ids=[xero_id])

    assert job.state == "done" and counts(job)[3] == 1, job
    assert str(totara) in job.skips[0]["reason"]
    with uow_factory() as uow:
        names = sorted(s.name for s in uow.suppliers.list(company_id))
    assert names == ["Kauri Timber Ltd", "Totara Mills"]
