"""Suppliers and customers from Xero contacts: browse, pick, import all, refresh."""

from uuid import UUID

import pytest

from ledgerlink.store.repositories.import_jobs import ContactDetailsRepository, ImportJob
from ledgerlink.sync.imports import ImportKind, ImportRunner, browse
from tests.client.sandbox.conftest import Connected
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.imports.conftest import (
    SandboxClients,
    counts,
    outbox_rows,
    run_import,
    seed,
)
from xero_client import Contact, XeroClient


async def _suppliers_in_xero(demo: XeroClient) -> list[Contact]:
    contacts = [c async for c in demo.iter_contacts(page_size=1000, include_archived=True)]
    return [c for c in contacts if c.is_supplier or not c.is_customer]


async def test_browse_suppliers_100_at_a_time_with_load_more_and_search(
    xero: Connected, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await seed(xero, contacts=150)
    in_xero = await _suppliers_in_xero(demo)
    active = [c for c in in_xero if c.contact_status == "ACTIVE"]

    first = await browse(uow_factory, demo, company_id, ImportKind.SUPPLIERS)
    more = await browse(uow_factory, demo, company_id, ImportKind.SUPPLIERS, page=2)
    found = await browse(
        uow_factory, demo, company_id, ImportKind.SUPPLIERS, search="supplier 000123"
    )

    assert (len(first.records), first.has_more) == (100, True)
    assert (len(more.records), more.has_more) == (len(in_xero) - 100, False)
    assert len(active) < len(in_xero)  # archived contacts are listed too
    assert [r.name for r in found.records] == ["Bulk Supplier 000123"]
    assert not any(r.imported for r in first.records + more.records)
    assert all(r.detail.get("IsCustomer") is not True or r.detail.get("IsSupplier")
               for r in first.records)  # fmt: skip


async def test_picked_suppliers_come_in_with_their_details_linked_and_nothing_to_send(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    made = await demo.create_contacts(
        [
            Contact.from_xero(
                {
                    "Name": "Kauri Timber Ltd",
                    "ContactNumber": "KT-77",
                    "EmailAddress": "ap@kauri.example",
                    "TaxNumber": "12-345-678",
                    "IsSupplier": True,
                    "PurchasesDefaultAccountCode": "300",
                    "AccountsPayableTaxType": "INPUT2",
                    "Phones": [
                        {"PhoneType": "DEFAULT", "PhoneCountryCode": "64",
                         "PhoneAreaCode": "9", "PhoneNumber": "555 0100"},
                    ],
                    "Addresses": [
                        {"AddressType": "POBOX", "AddressLine1": "PO Box 12",
                         "City": "Auckland", "PostalCode": "1010", "Country": "NZ"},
                        {"AddressType": "STREET", "AddressLine1": "3 Mill Rd", "City": "Auckland"},
                    ],
                }
            )
        ]
    )  # fmt: skip
    xero_id = made[0].id
    assert xero_id is not None

    job = await run_import(runner, company_id, "suppliers", xero_ids=[xero_id])
    page = await browse(uow_factory, demo, company_id, ImportKind.SUPPLIERS, search="Kauri")

    assert (job.state, counts(job)) == ("done", (1, 0, 0, 0))
    with uow_factory() as uow:
        supplier = uow.suppliers.get_by_name(company_id, "Kauri Timber Ltd")
        assert supplier is not None
        link = uow.xero_links.get(company_id, "supplier", supplier.id)
        details = ContactDetailsRepository(uow.session).get(company_id, "supplier", supplier.id)
    assert (supplier.contact_number, supplier.email, supplier.tax_number) == (
        "KT-77", "ap@kauri.example", "12-345-678",
    )  # fmt: skip
    assert supplier.phone == "64 9 555 0100"
    assert supplier.address is not None and supplier.address.line1 == "PO Box 12"
    assert details is not None and details["purchases_default_account_code"] == "300"
    assert details["purchases_tax_type"] == "INPUT2"
    assert [a["line1"] for a in details["addresses"]] == ["PO Box 12", "3 Mill Rd"]
    assert link is not None and link.xero_id == xero_id and link.synced_version == 1
    assert page.records[0].imported and page.records[0].local_id == str(supplier.id)
    assert outbox_rows(uow_factory, company_id) == []


async def test_a_contact_neither_supplier_nor_customer_comes_in_as_the_kind_asked_for(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    made = await demo.create_contacts([Contact(name="Fresh Contact Co")])
    xero_id = made[0].id
    assert xero_id is not None
    for kind in ("suppliers", "customers"):
        page = await browse(uow_factory, demo, company_id, ImportKind(kind), search="Fresh")
        assert [r.xero_id for r in page.records] == [xero_id]

    job = await run_import(runner, company_id, "customers", xero_ids=[xero_id])

    assert job.created == 1
    with uow_factory() as uow:
        assert uow.customers.get_by_name(company_id, "Fresh Contact Co") is not None
        assert uow.suppliers.get_by_name(company_id, "Fresh Contact Co") is None


@pytest.mark.parametrize("kind", ["suppliers", "customers"], ids=str)
async def test_import_all_then_again_changes_nothing_and_sends_nothing(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, kind: str
) -> None:
    first = await run_import(runner, company_id, kind, import_all=True)
    second = await run_import(runner, company_id, kind, import_all=True)

    assert first.state == "done" and first.created > 0
    assert counts(second) == (0, 0, first.created, 0)
    with uow_factory() as uow:
        repo = uow.suppliers if kind == "suppliers" else uow.customers
        parties = repo.list(company_id)
    assert {p.version for p in parties} == {1}
    assert any(not p.active for p in parties) == (kind == "suppliers")  # the archived one
    assert outbox_rows(uow_factory, company_id) == []


async def test_import_all_reads_1000_a_page_and_reports_progress(
    xero: Connected,
    uow_factory: UowFactory,
    clients: SandboxClients,
    clock: FakeClock,
    company_id: UUID,
) -> None:
    await seed(xero, contacts=2100)
    progress: list[tuple[int, int | None]] = []

    def report(job: ImportJob) -> None:
        progress.append((job.processed, job.total))

    runner = ImportRunner(uow_factory, clients, clock=clock, on_progress=report)
    job = await run_import(runner, company_id, "suppliers", import_all=True)

    assert job.api_calls == 3
    assert job.created == job.total and job.total > 2100
    assert [done for done, _ in progress] == [1000, 2000, job.total]
    assert {total for _, total in progress} == {job.total}


async def test_a_malformed_contact_is_skipped_with_its_reason_and_the_rest_goes_on(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await demo.create_contacts(
        [
            Contact(name="Bad Email Ltd", email_address="accounts at bad-email", is_supplier=True),
            Contact(name="Good Email Ltd", email_address="ap@good.example", is_supplier=True),
        ]
    )

    job = await run_import(runner, company_id, "suppliers", search="Email Ltd")

    assert (job.created, job.skipped) == (1, 1)
    assert job.skips[0]["name"] == "Bad Email Ltd"
    assert job.skips[0]["reason"].startswith("email:")
    with uow_factory() as uow:
        assert uow.suppliers.get_by_name(company_id, "Good Email Ltd") is not None


async def test_a_refresh_reads_only_what_changed_and_archives_follow(
    runner: ImportRunner,
    uow_factory: UowFactory,
    company_id: UUID,
    xero: Connected,
    demo: XeroClient,
) -> None:
    xero.clock.advance(60)  # the demo organisation's contacts were entered a minute ago
    await run_import(runner, company_id, "suppliers", import_all=True)
    xero.clock.advance(3600)
    target = next(c for c in await _suppliers_in_xero(demo) if c.name == "PowerDirect")
    await demo.request("POST", f"/Contacts/{target.contact_id}", json={"ContactStatus": "ARCHIVED"})

    refresh = await run_import(runner, company_id, "suppliers", refresh=True)

    assert (refresh.state, refresh.processed, refresh.updated) == ("done", 1, 1)
    with uow_factory() as uow:
        supplier = uow.suppliers.get_by_name(company_id, "PowerDirect")
    assert supplier is not None and not supplier.active and supplier.version == 2
    assert outbox_rows(uow_factory, company_id) == []


async def test_a_refresh_after_picking_updates_only_the_picked_ones(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    contacts = {c.name: c for c in await _suppliers_in_xero(demo)}
    picked = contacts["Net Connect"].contact_id
    assert picked is not None
    await run_import(runner, company_id, "suppliers", xero_ids=[picked])
    await demo.request("POST", f"/Contacts/{picked}", json={"EmailAddress": "new@net.example"})

    refresh = await run_import(runner, company_id, "suppliers", refresh=True)

    assert (refresh.created, refresh.updated) == (0, 1)
    with uow_factory() as uow:
        assert uow.suppliers.count(company_id) == 1
        supplier = uow.suppliers.get_by_name(company_id, "Net Connect")
    assert supplier is not None and supplier.email == "new@net.example"
