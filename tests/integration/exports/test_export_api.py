"""`POST .../xero/exports` sends every customer or product to the Xero sandbox once:
matched to what Xero holds first (contacts by contact number or name in any letter case,
items by code) and linked, the rest created 50 a call, followed as a job with progress."""

from typing import Any

import httpx
from fastapi import FastAPI

from ledgerlink.bootstrap import Container
from ledgerlink.store.records import Role
from tests.integration.api.conftest import Tenant, make_tenant
from tests.integration.exports.conftest import export, post
from tests.integration.imports.conftest import SandboxClients
from xero_client import XeroClient
from xero_sandbox import DEMO_TENANT_ID


async def _contacts_named(demo: XeroClient, name: str) -> list[Any]:
    where = f'Name.ToLower()=="{name.lower()}"'
    return [c async for c in demo.iter_contacts(where=where)]


async def test_customers_are_matched_by_number_or_name_then_the_rest_created_in_batches(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant, clients: SandboxClients
) -> None:
    by_name = await post(api, connected, "/customers", {"name": "bayside club"})
    by_number = await post(
        api, connected, "/customers", {"name": "Boom Radio", "contact_number": "CUS-002"}
    )
    people = [{"first_name": f"P{n}", "email": f"p{n}@new.test"} for n in range(7)]
    new = [
        await post(api, connected, "/customers", {"name": f"New Customer {n:02d}", **extra})
        for n, extra in enumerate([{"contact_people": people}] + [{}] * 54)
    ]

    job = await export(api, app, connected, "customers")

    assert job["state"] == "done", job
    assert (job["total"], job["done"], job["linked"], job["created"], job["failed"]) == (
        57, 57, 2, 55, 0,
    )  # fmt: skip
    # One page of Xero's contacts to match against, then two creates: 50, then 5.
    assert job["api_calls"] == 3
    demo = clients.xero.client(DEMO_TENANT_ID)
    assert len(await _contacts_named(demo, "Bayside Club")) == 1
    assert await _contacts_named(demo, "Boom Radio") == []
    [made] = await _contacts_named(demo, "New Customer 00")
    assert made.first_name == "P0"
    assert [p.first_name for p in made.contact_persons] == ["P1", "P2", "P3", "P4", "P5"]
    for customer, contact_number in ((by_name, "CUS-001"), (by_number, "CUS-002")):
        state = (await api.get(connected.url(f"/sync/customer/{customer['id']}"),
                               headers=connected.headers)).json()  # fmt: skip
        [contact] = [
            c async for c in demo.iter_contacts(where=f'ContactNumber=="{contact_number}"')
        ]
        assert (state["state"], state["xero_id"]) == ("sent", contact.contact_id)
    log = (await api.get(connected.url(f"/sync/customer/{new[0]['id']}"),
                         headers=connected.headers)).json()["log"]  # fmt: skip
    assert "not sent to Xero: P6" in log[-1]["answer"]

    again = await export(api, app, connected, "customers")

    assert (again["state"], again["already"], again["created"], again["linked"]) == (
        "done", 57, 0, 0,
    )  # fmt: skip


async def test_products_are_matched_by_code_and_one_xero_would_refuse_fails_with_the_fix(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant, clients: SandboxClients
) -> None:
    await post(api, connected, "/items", {"code": "DESK-OAK", "name": "Oak desk"})
    await post(
        api, connected, "/items",
        {"code": "MUG", "name": "Mug", "sales_price": "12.50", "sales_account_code": "200"},
    )  # fmt: skip
    await post(
        api, connected, "/items",
        {"code": "SCALE", "name": "Scale", "is_tracked_as_inventory": True,
         "inventory_asset_account_code": "630"},
    )  # fmt: skip

    job = await export(api, app, connected, "products")

    assert job["state"] == "done", job
    assert (job["done"], job["linked"], job["created"], job["failed"]) == (3, 1, 1, 1)
    [failure] = job["failures"]
    assert failure["name"] == "SCALE (Scale)"
    assert "COGSAccountCode" in failure["reason"]
    demo = clients.xero.client(DEMO_TENANT_ID)
    codes = [item.code for item in await demo.list_items()]
    assert codes.count("DESK-OAK") == 1 and codes.count("MUG") == 1
    assert "SCALE" not in codes


async def test_exports_need_an_admin_a_known_kind_and_a_connection(
    api: httpx.AsyncClient, app: FastAPI, container: Container, admin: Tenant
) -> None:
    member = make_tenant(container, "Acme Ltd", "member@acme.test", Role.MEMBER)
    refused = await api.post(
        member.url("/xero/exports"), json={"kind": "customers"}, headers=member.headers
    )
    unknown = await api.post(
        admin.url("/xero/exports"), json={"kind": "widgets"}, headers=admin.headers
    )
    await post(api, admin, "/customers", {"name": "Harbour Cafe"})

    job = await export(api, app, admin, "customers")

    assert refused.status_code == 403
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "kind"
    assert "customers, products" in unknown.json()["errors"][0]["message"]
    assert job["state"] == "failed" and "not connected to Xero" in job["message"]
    assert job["finished_at"] is not None
