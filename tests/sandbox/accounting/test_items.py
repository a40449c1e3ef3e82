"""Items: inventory and non-inventory, created, updated by code, deleted."""

import pytest

from xero_sandbox.accounting import Ledger

from .conftest import XeroApi


async def test_demo_items_include_inventory_and_services(api: XeroApi) -> None:
    items = (await api.get("/Items")).json()["Items"]
    tracked = {i["Code"] for i in items if i["IsTrackedAsInventory"]}
    assert tracked == {"DESK-OAK", "CHAIR-ERG", "PAPER-A4"}
    assert {"INSTALL", "DELIVERY", "TONER-BK"} <= {i["Code"] for i in items}


async def test_create_update_by_code_get_and_delete(api: XeroApi, ledger: Ledger) -> None:
    created = await api.put(
        "/Items",
        {"Code": "LAMP", "Name": "Desk lamp",
         "PurchaseDetails": {"UnitPrice": 20.5, "AccountCode": "300", "TaxType": "INPUT2"},
         "SalesDetails": {"UnitPrice": 39.0, "AccountCode": "200", "TaxType": "OUTPUT2"}},
    )  # fmt: skip
    item = created.json()["Items"][0]
    assert item["PurchaseDetails"]["UnitPrice"] == 20.5
    updated = await api.post("/Items", {"Code": "LAMP", "Name": "LED desk lamp"})
    assert updated.json()["Items"][0]["ItemID"] == item["ItemID"]
    by_code = (await api.get("/Items/LAMP")).json()["Items"][0]
    assert by_code["Name"] == "LED desk lamp"
    deleted = await api.call("DELETE", f"/Items/{item['ItemID']}")
    assert deleted.status_code == 204
    assert (await api.get(f"/Items/{item['ItemID']}")).status_code == 404


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"Code": "DESK-OAK", "Name": "Another desk"}, "Item code 'DESK-OAK' already exists"),
        ({"Name": "No code"}, "Code is required"),
        ({"Code": "X1", "PurchaseDetails": {"AccountCode": "999"}}, "Account code '999'"),
        ({"Code": "X2", "InventoryAssetAccountCode": "630",
          "PurchaseDetails": {"AccountCode": "300"}}, "COGSAccountCode is required"),
        ({"Code": "C" * 31}, "Code must not be more than 30 characters"),
    ],
    ids=["duplicate-code", "no-code", "unknown-account", "inventory-without-cogs", "long-code"],
)  # fmt: skip
async def test_invalid_items_are_refused(
    api: XeroApi, body: dict[str, object], fragment: str
) -> None:
    response = await api.put("/Items", body)
    assert response.status_code == 400
    messages = [m["Message"] for m in response.json()["Elements"][0]["ValidationErrors"]]
    assert any(fragment in m for m in messages), messages
