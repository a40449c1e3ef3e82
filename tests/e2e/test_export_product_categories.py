"""Products' categories reach the Xero sandbox as a tracking option on sales lines, in the
tracking category the settings name; an option Xero lacks is refused before sending,
naming it and the fix."""

from __future__ import annotations

from typing import Any

from ledgerlink.domain.catalogue import ReferenceStatus, TrackingCategory, TrackingOption
from tests.integration.sync.bills import ready
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.sales import SALES, customer, issue, xero_invoice

__all__ = ["export_setup", "ready"]


async def _import_tracking(setup: ExportSetup) -> None:
    """The organisation's tracking categories into the store (the import step)."""
    found = (await setup.xero("/TrackingCategories"))["TrackingCategories"]
    with setup.container.uow() as uow:
        for raw in found:
            uow.tracking_categories.add(
                setup.company_id,
                TrackingCategory(
                    name=raw["Name"],
                    status=ReferenceStatus(raw["Status"]),
                    options=tuple(
                        TrackingOption(name=o["Name"], status=ReferenceStatus(o["Status"]))
                        for o in raw["Options"]
                    ),
                ),
            )
        uow.commit()


def _product(setup: ExportSetup, code: str, category: str | None) -> str:
    body = {"code": code, "name": f"Product {code}", "sales_price": "10.00",
            "sales_account_code": SALES, "sales_tax_type": "OUTPUT2",
            "category": category}  # fmt: skip
    made = setup.post("/items", body, status=201)
    assert made["category"] == category
    return str(made["id"])


def _line(code: str, **extra: Any) -> dict[str, Any]:
    return {"description": f"Product {code}", "quantity": "1", "unit_price": "10.00",
            "item_code": code, "account_code": SALES, "tax_type": "OUTPUT2", **extra}  # fmt: skip


def _invoice(customer_id: str, number: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"customer_id": customer_id, "number": number, "date": "2026-03-04",
            "due_date": "2026-04-03", "currency": "NZD", "lines": lines}  # fmt: skip


async def test_a_sales_line_carries_its_products_category_as_the_settings_tracking_option(
    ready: ExportSetup,
) -> None:
    await _import_tracking(ready)
    ready.put("/xero/settings", {"product_category_tracking": "Department"})
    _product(ready, "BEANS", "sales")  # Xero's option is "Sales": letter case is Xero's
    _product(ready, "CUPS", "Operations")
    _product(ready, "LIDS", None)
    own = [{"category": "Department", "option": "Admin"}]
    lines = [_line("BEANS"), _line("CUPS", tracking=own), _line("LIDS"),
             _line("BEANS", tracking=[{"category": "Region", "option": "North"}])]  # fmt: skip
    issue(ready, _invoice(customer(ready), "INV-7001", lines))

    await ready.run_worker()

    invoice = await xero_invoice(ready, "INV-7001")
    tracking = [
        sorted((t["Name"], t["Option"]) for t in line["Tracking"]) for line in invoice["LineItems"]
    ]
    assert tracking == [
        [("Department", "Sales")],
        [("Department", "Admin")],
        [],
        [("Department", "Sales"), ("Region", "North")],
    ]


async def test_a_category_xero_has_no_option_for_is_refused_naming_it_and_the_fix(
    ready: ExportSetup,
) -> None:
    await _import_tracking(ready)
    ready.put("/xero/settings", {"product_category_tracking": "Department"})
    product = _product(ready, "BEANS", "Espresso")
    issued = issue(ready, _invoice(customer(ready), "INV-7002", [_line("BEANS")]))

    await ready.run_worker()

    state = ready.get(f"/sync/sales_invoice/{issued['id']}")
    assert state["state"] == "failed"
    assert "lines[0].item_code" in state["last_error"]
    assert "'Espresso'" in state["last_error"] and "'Department'" in state["last_error"]
    assert "add the option 'Espresso'" in state["fix"]
    assert "import tracking categories again" in state["fix"]
    assert "rename the product's category" in state["fix"]
    assert (await ready.xero("/Invoices", InvoiceNumbers="INV-7002"))["Invoices"] == []

    ready.patch(f"/items/{product}", {"category": "Operations"})
    ready.post(f"/sync/sales_invoice/{issued['id']}/retry")
    await ready.run_worker()

    line = (await xero_invoice(ready, "INV-7002"))["LineItems"][0]
    assert [(t["Name"], t["Option"]) for t in line["Tracking"]] == [("Department", "Operations")]


async def test_without_the_setting_categories_stay_here(ready: ExportSetup) -> None:
    await _import_tracking(ready)
    _product(ready, "BEANS", "Espresso")
    issue(ready, _invoice(customer(ready), "INV-7003", [_line("BEANS")]))

    await ready.run_worker()

    assert (await xero_invoice(ready, "INV-7003"))["LineItems"][0]["Tracking"] == []
