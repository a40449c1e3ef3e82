"""`/Items`: products and services, inventory-tracked or not."""

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.fields import Problems, boolean, decimal, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import filter_common
from xero_sandbox.accounting.wire import bad_request, envelope, not_found


def item_by_code(ledger: Ledger, code: str) -> Record | None:
    """The item with this code (case-insensitive), if any."""
    found = ledger.lookup("Items", "Code", code)
    return found[0] if found else None


def _details(
    ledger: Ledger, element: dict[str, Any], field: str, problems: Problems
) -> dict[str, Any] | None:
    raw = element.get(field)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.add(f'{field} must be an object such as {{"UnitPrice": 10, "AccountCode": "300"}}')
        return None
    details: dict[str, Any] = {}
    price = decimal(raw, "UnitPrice", problems)
    if price is not None:
        details["UnitPrice"] = price
    for key in ("AccountCode", "COGSAccountCode"):
        code = text(raw, key, problems)
        if code is None:
            continue
        account = ledger.account_by_code(code)
        if account is None or account["Status"] != "ACTIVE":
            problems.add(f"Account code '{code}' is not a valid code for {field}.{key}")
        details[key] = code
    tax_type = text(raw, "TaxType", problems)
    if tax_type is not None:
        if tax_type not in ledger.tax_rates:
            problems.add(
                f"The TaxType code {tax_type} does not exist or cannot be used for this type "
                "of transaction."
            )
        details["TaxType"] = tax_type
    return details


def plan_save(
    ledger: Ledger, now: datetime, element: dict[str, Any], may_update: bool, codes: set[str]
) -> Plan:
    """PUT creates items; POST also updates the item with the same ItemID or Code."""
    problems = Problems()
    code = text(element, "Code", problems, max_length=30)
    existing: Record | None = None
    if may_update:
        item_id = element.get("ItemID")
        existing = ledger.items.get(str(item_id).lower()) if item_id else None
        if existing is None and code:
            existing = item_by_code(ledger, code)
    if existing is None and not code:
        problems.add("Code is required: give the item a code of up to 30 characters")
    if code:
        clash = item_by_code(ledger, code)
        if (clash is not None and clash is not existing) or code.lower() in codes:
            problems.add(f"Item code '{code}' already exists; item codes must be unique")
        codes.add(code.lower())
    changes: dict[str, Any] = {}
    for field, limit in (("Code", 30), ("Name", 50), ("Description", 4000),
                         ("PurchaseDescription", 4000)):  # fmt: skip
        value = text(element, field, problems, max_length=limit)
        if value is not None:
            changes[field] = value
    for field in ("IsSold", "IsPurchased"):
        flag_value = boolean(element, field, problems)
        if flag_value is not None:
            changes[field] = flag_value
    for field in ("PurchaseDetails", "SalesDetails"):
        details = _details(ledger, element, field, problems)
        if details is not None:
            changes[field] = details
    inventory_code = text(element, "InventoryAssetAccountCode", problems)
    if inventory_code is not None:
        account = ledger.account_by_code(inventory_code)
        if account is None or account["Type"] != "INVENTORY":
            problems.add(
                f"InventoryAssetAccountCode '{inventory_code}' must be an active inventory "
                "account (e.g. 630)"
            )
        else:
            purchase = changes.get("PurchaseDetails") or {}
            if not purchase.get("COGSAccountCode"):
                problems.add(
                    "PurchaseDetails.COGSAccountCode is required for an item tracked as "
                    "inventory (e.g. 310)"
                )
        changes["InventoryAssetAccountCode"] = inventory_code
        changes["IsTrackedAsInventory"] = True
    problems.check()

    def save() -> Record:
        if existing is not None:
            existing.update(changes)
            existing["UpdatedDateUTC"] = now
            ledger.note("Items", existing)
            return existing
        record: Record = {
            "ItemID": new_id(),
            "Name": "",
            "Description": "",
            "PurchaseDescription": "",
            "IsSold": True,
            "IsPurchased": True,
            "IsTrackedAsInventory": False,
            "UpdatedDateUTC": now,
        }
        record.update(changes)
        if record["IsTrackedAsInventory"]:
            record.setdefault("QuantityOnHand", 0)
            record.setdefault("TotalCostPool", 0)
        return ledger.add("Items", record)

    return save


def _item_at(request: Request) -> Record | None:
    ledger = ledger_of(request)
    key = request.path_params["ItemID"]
    return ledger.items.get(key.lower()) or item_by_code(ledger, key)


async def list_items(request: Request) -> Response:
    try:
        records = filter_common(request, ledger_of(request).items.values(), "ItemID")
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("Items", records, now_of(request))


async def get_item(request: Request) -> Response:
    item = _item_at(request)
    return not_found() if item is None else envelope("Items", [item], now_of(request))


async def create_items(request: Request) -> Response:
    ledger, now, codes = ledger_of(request), now_of(request), set[str]()
    return await run_batch(request, "Items", lambda e: plan_save(ledger, now, e, False, codes), now)


async def save_items(request: Request) -> Response:
    ledger, now, codes = ledger_of(request), now_of(request), set[str]()
    return await run_batch(request, "Items", lambda e: plan_save(ledger, now, e, True, codes), now)


async def update_item(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    item = _item_at(request)
    if item is None:
        await request.body()
        return not_found()
    return await run_batch(
        request,
        "Items",
        lambda e: plan_save(ledger, now, {**e, "ItemID": item["ItemID"]}, True, set()),
        now,
    )


async def delete_item(request: Request) -> Response:
    item = _item_at(request)
    if item is None:
        return not_found()
    del ledger_of(request).items[item["ItemID"]]
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        Route("/Items", list_items, methods=["GET"]),
        Route("/Items", create_items, methods=["PUT"]),
        Route("/Items", save_items, methods=["POST"]),
        Route("/Items/{ItemID}", get_item, methods=["GET"]),
        Route("/Items/{ItemID}", update_item, methods=["POST"]),
        Route("/Items/{ItemID}", delete_item, methods=["DELETE"]),
    ]
