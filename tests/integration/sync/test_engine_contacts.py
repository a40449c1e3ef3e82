"""A bill's supplier is matched to its Xero contact by the imported link, then by name, and
only else created: Xero never gets a second contact for one supplier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import httpx

from ledgerlink.sync.engine import Worker
from tests.integration.sync.conftest import (
    ClientCredentials,
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


async def create_contact_in_xero(sandbox: RunningSandbox, name: str) -> str:
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, sandbox.base_url).access_token()
        answer = await http.put(
            f"{sandbox.base_url}/api.xro/2.0/Contacts",
            json={"Contacts": [{"Name": name}]},
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )
        answer.raise_for_status()
        return str(answer.json()["Contacts"][0]["ContactID"])


async def contact_writes(sandbox: RunningSandbox) -> list[dict[str, Any]]:
    stats = await sandbox_control(sandbox, "GET", "/stats")
    return [
        c
        for o in stats["organisations"]
        for c in o["calls"]
        if c["method"] == "PUT" and c["path"].endswith("/Contacts")
    ]


async def bill_contact(sandbox: RunningSandbox, number: str) -> str:
    found = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers=number))["Invoices"]
    assert len(found) == 1
    return str(found[0]["Contact"]["ContactID"])


async def test_a_supplier_linked_by_the_import_uses_its_contact_without_creating_one(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    contact_id = await create_contact_in_xero(sandbox, "Imported Supplies")
    supplier = add_supplier(uow_factory, company_id, "Imported Supplies Ltd")
    with uow_factory() as uow:
        uow.xero_links.upsert(
            company_id,
            "supplier",
            supplier.id,
            tenant_id=DEMO_TENANT_ID,
            xero_id=contact_id,
            synced_version=supplier.version,
        )
        uow.commit()
    approved_bill(uow_factory, company_id, supplier, "LINKED-1")
    await sandbox_control(sandbox, "DELETE", "/stats")

    await make_worker().drain()

    assert await bill_contact(sandbox, "LINKED-1") == contact_id
    assert await contact_writes(sandbox) == []


async def test_a_supplier_named_in_another_letter_case_is_matched_not_refused(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    contact_id = await create_contact_in_xero(sandbox, "Mixed Case Supplies Ltd")
    supplier = add_supplier(uow_factory, company_id, "MIXED CASE SUPPLIES LTD")
    approved_bill(uow_factory, company_id, supplier, "CASE-1")

    await make_worker().drain()

    assert await bill_contact(sandbox, "CASE-1") == contact_id


async def test_a_supplier_xero_already_knows_by_name_is_matched_not_duplicated(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    contact_id = await create_contact_in_xero(sandbox, "Named Twice Ltd")
    supplier = add_supplier(uow_factory, company_id, "Named Twice Ltd")
    approved_bill(uow_factory, company_id, supplier, "NAMED-1")

    await make_worker().drain()

    assert await bill_contact(sandbox, "NAMED-1") == contact_id
    named = (await sandbox_get(sandbox, "/Contacts", where='Name=="Named Twice Ltd"'))["Contacts"]
    assert len(named) == 1
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "supplier", supplier.id)
    assert link is not None and link.xero_id == contact_id
