"""Contacts changed or added in Xero (CONTACT events) change or add suppliers here.

The conflict rule: a change here not yet sent wins; otherwise the newer one wins.
"""

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from ledgerlink.domain.parties import Supplier
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.inbound.contacts import NEW_CONTACTS_SETTING
from ledgerlink.sync.inbound.pull import PullRunner
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    bill_in_xero,
    outbox_rows,
    set_company_option,
    store_events,
    stored,
    xero_write,
)
from tests.integration.sync.conftest import SandboxClients, sandbox_control, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


async def contact_of(sandbox: RunningSandbox, invoice_id: str) -> str:
    (invoice,) = (await sandbox_get(sandbox, f"/Invoices/{invoice_id}"))["Invoices"]
    contact_id: str = invoice["Contact"]["ContactID"]
    return contact_id


async def rename_in_xero(sandbox: RunningSandbox, contact_id: str, name: str) -> None:
    body = {"Contacts": [{"ContactID": contact_id, "Name": name}]}
    await xero_write(sandbox, "POST", f"/Contacts/{contact_id}", body)


async def later_in_xero(sandbox: RunningSandbox, hours: float = 1) -> None:
    """Move Xero's clock past ours, so what Xero changes next is newer than our last send."""
    await sandbox_control(sandbox, "POST", "/clock", {"advance_seconds": hours * 3600})


def supplier_named(uow_factory: UowFactory, company_id: UUID, supplier_id: UUID) -> str:
    with uow_factory() as uow:
        supplier = uow.suppliers.get(company_id, supplier_id)
    assert supplier is not None
    return supplier.name


def suppliers(uow_factory: UowFactory, company_id: UUID) -> list[Supplier]:
    with uow_factory() as uow:
        return uow.suppliers.list(company_id)


async def test_a_supplier_renamed_in_xero_is_renamed_here_and_nothing_goes_back(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    contact_id = await contact_of(sandbox, invoice_id)
    await later_in_xero(sandbox)
    await rename_in_xero(sandbox, contact_id, "Lamp Company Ltd")
    store_events(uow_factory, clock, contact_id, category="CONTACT")
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    assert supplier_named(uow_factory, company_id, bill.supplier_id) == "Lamp Company Ltd"
    assert outbox_rows(uow_factory) == before
    with uow_factory() as uow:
        assert [(e["category"], e["note"]) for e in stored(uow)] == [("CONTACT", None)]


async def test_a_change_here_not_yet_sent_wins_over_xeros_and_is_sent(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    contact_id = await contact_of(sandbox, invoice_id)
    with uow_factory() as uow:
        supplier = uow.suppliers.get(company_id, bill.supplier_id)
        assert supplier is not None
        supplier.edit(name="Lamps Here")
        uow.commit()
    await later_in_xero(sandbox)
    await rename_in_xero(sandbox, contact_id, "Lamps There")
    store_events(uow_factory, clock, contact_id, category="CONTACT")

    await make_worker().run_pass()  # the event first, then the outbox

    assert supplier_named(uow_factory, company_id, bill.supplier_id) == "Lamps Here"
    (contact,) = (await sandbox_get(sandbox, f"/Contacts/{contact_id}"))["Contacts"]
    assert contact["Name"] == "Lamps Here"
    with uow_factory() as uow:
        (event,) = stored(uow)
    assert "not yet sent: ours wins" in event["note"]


async def test_an_older_change_in_xero_does_not_undo_a_newer_one_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    contact_id = await contact_of(sandbox, invoice_id)
    await rename_in_xero(sandbox, contact_id, "Stale Name")  # Xero's clock is behind ours
    store_events(uow_factory, clock, contact_id, category="CONTACT")
    await make_worker().run_pass()
    assert supplier_named(uow_factory, company_id, bill.supplier_id) == "Lamp Co"


@pytest.mark.parametrize("setting", ["add", "review"])
async def test_a_supplier_added_in_xero_is_added_here_or_left_for_review(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
    setting: str,
    admin: Tenant,
    client: TestClient,
) -> None:
    await bill_in_xero(uow_factory, company_id, make_worker)
    set_company_option(uow_factory, company_id, NEW_CONTACTS_SETTING, setting)
    bill = {"Type": "ACCPAY", "Contact": {"Name": "Fresh Paper Ltd"}, "Date": "2026-03-01",
            "DueDate": "2026-03-31", "LineItems": [{"Description": "Paper", "Quantity": 1,
            "UnitAmount": "10.00", "AccountCode": "400"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/Invoices", {"Invoices": [bill]})
    contact_id = made["Invoices"][0]["Contact"]["ContactID"]
    store_events(uow_factory, clock, contact_id, category="CONTACT")
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    names = sorted(s.name for s in suppliers(uow_factory, company_id))
    if setting == "add":
        assert names == ["Fresh Paper Ltd", "Lamp Co"]
        with uow_factory() as uow:
            link = uow.xero_links.find(DEMO_TENANT_ID, "supplier", contact_id)
        added = next(s for s in suppliers(uow_factory, company_id) if s.name == "Fresh Paper Ltd")
        assert link is not None and link.entity_id == str(added.id)
        assert outbox_rows(uow_factory) == before
    else:
        assert names == ["Lamp Co"]
        with uow_factory() as uow:
            (event,) = stored(uow)
        assert "waits for review" in event["note"]
        listed = client.get(admin.url("/xero/new-contacts"), headers=admin.headers).json()
        assert [(c["name"], c["xero_id"], c["kinds"]) for c in listed["data"]] == [
            ("Fresh Paper Ltd", contact_id.lower(), ["supplier"])
        ]
        assert (
            f"import suppliers --company NAME --id {contact_id.lower()}"
            in (listed["data"][0]["fix"])
        )
        with uow_factory() as uow:  # imported: off the list
            uow.xero_links.upsert(company_id, "supplier", uuid4(), tenant_id=DEMO_TENANT_ID,
                                  xero_id=contact_id.lower())  # fmt: skip
            uow.commit()
        listed = client.get(admin.url("/xero/new-contacts"), headers=admin.headers).json()
        assert listed["data"] == []


async def test_the_first_pull_adds_the_contacts_added_in_xero(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    clients: SandboxClients,
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    await bill_in_xero(uow_factory, company_id, make_worker)
    bill = {"Type": "ACCPAY", "Contact": {"Name": "Fresh Paper Ltd"}, "Date": "2026-03-01",
            "DueDate": "2026-03-31", "LineItems": [{"Description": "Paper", "Quantity": 1,
            "UnitAmount": "10.00", "AccountCode": "400"}]}  # fmt: skip
    await xero_write(sandbox, "PUT", "/Invoices", {"Invoices": [bill]})
    runner = PullRunner(uow_factory, clients, clock=clock)

    job = await runner.run(runner.start(company_id))

    assert job.state == "done", job.message
    assert "Fresh Paper Ltd" in [s.name for s in suppliers(uow_factory, company_id)]
