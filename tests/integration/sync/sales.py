"""Customers and sales invoices for end-to-end tests: bodies to post, Xero's side read."""

from __future__ import annotations

from typing import Any

from tests.integration.sync.harness import ExportSetup

SALES = "200"


def customer(setup: ExportSetup, name: str = "Harbour Cafe", **extra: Any) -> str:
    return str(setup.post("/customers", {"name": name, **extra}, status=201)["id"])


def invoice_body(customer_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "number": extra.pop("number", "INV-9001"),
        "date": "2026-03-04",
        "due_date": "2026-04-03",
        "currency": "NZD",
        "lines": [
            {"description": "Coffee beans", "quantity": "3", "unit_price": "24.50",
             "account_code": SALES, "tax_type": "OUTPUT2"},
            {"description": "Delivery", "quantity": "1", "unit_price": "8.00",
             "account_code": SALES, "tax_type": "OUTPUT2"},
        ],
        **extra,
    }  # fmt: skip


def issue(setup: ExportSetup, body: dict[str, Any]) -> dict[str, Any]:
    created = setup.post("/invoices", body, status=201)
    issued: dict[str, Any] = setup.post(f"/invoices/{created['id']}/issue")
    assert issued["status"] == "issued", issued
    return issued


async def xero_invoice(setup: ExportSetup, number: str = "INV-9001") -> dict[str, Any]:
    found = (await setup.xero("/Invoices", InvoiceNumbers=number))["Invoices"]
    assert len(found) == 1, found
    invoice: dict[str, Any] = found[0]
    return invoice


async def xero_contacts(setup: ExportSetup, name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (
        await setup.xero("/Contacts", where=f'Name=="{name}"', includeArchived="true")
    )["Contacts"]
    return found
