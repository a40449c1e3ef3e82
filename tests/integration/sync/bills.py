"""Bills for end-to-end tests: a body to post, and Xero's side read or changed directly."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.sync.conftest import ClientCredentials
from tests.integration.sync.harness import ExportSetup, import_reference_data
from xero_sandbox import DEMO_TENANT_ID


def bill_body(supplier_id: str, **extra: Any) -> dict[str, Any]:
    supplier_number = extra.pop("invoice_number", "SUP-7731")
    return {
        "supplier_id": supplier_id,
        "invoice_number": supplier_number,
        "number": f"B-{supplier_number}",
        "date": "2026-03-03",
        "due_date": "2026-04-02",
        "currency": "NZD",
        "lines": [
            {
                "description": "Desk lamps",
                "quantity": "4",
                "unit_price": "19.99",
                "account_code": "429",
                "tax_type": "INPUT2",
                "tracking": [{"category": "Region", "option": "South"}],
            },
            {"description": "Cables", "quantity": "2.5", "unit_price": "3.10",
             "account_code": "300", "tax_type": "INPUT2"},
        ],
        **extra,
    }  # fmt: skip


@pytest.fixture
async def ready(export_setup: ExportSetup) -> ExportSetup:
    await import_reference_data(export_setup)
    return export_setup


def supplier(setup: ExportSetup, name: str = "Lamp Co") -> str:
    return str(setup.post("/suppliers", {"name": name}, status=201)["id"])


async def xero_bill(setup: ExportSetup, number: str = "SUP-7731") -> dict[str, Any]:
    found = (await setup.xero("/Invoices", InvoiceNumbers=number))["Invoices"]
    assert len(found) == 1, found
    bill: dict[str, Any] = found[0]
    return bill


async def xero_write(setup: ExportSetup, method: str, path: str, body: Any) -> Any:
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, setup.sandbox.base_url).access_token()
        answer = await http.request(
            method,
            f"{setup.sandbox.base_url}/api.xro/2.0{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


async def pay_in_xero(setup: ExportSetup, invoice_id: str, amount: str) -> None:
    await xero_write(
        setup,
        "PUT",
        "/Payments",
        {
            "Payments": [
                {
                    "Invoice": {"InvoiceID": invoice_id},
                    "Account": {"Code": "090"},
                    "Date": "2026-03-10",
                    "Amount": amount,
                }
            ]
        },
    )
