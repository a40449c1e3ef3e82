"""One company's records made through the API: parties, an item and a document of each kind."""

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant

LINE = {"description": "Goods", "quantity": "1", "unit_price": "100", "account_code": "400"}


def post(client: TestClient, tenant: Tenant, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(tenant.url(path), json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def act(client: TestClient, tenant: Tenant, path: str, *steps: str) -> None:
    for step in steps:
        response = client.post(tenant.url(f"{path}/{step}"), headers=tenant.headers)
        assert response.status_code == 200, response.text


@dataclass
class CompanyRecords:
    """Ids of one record of each kind; `bill` and `invoice` are open for payment."""

    supplier: str
    customer: str
    item: str
    purchase_order: str
    bill: str
    invoice: str
    purchase_credit_note: str
    sales_credit_note: str
    draft_bill: str
    draft_invoice: str


def make_records(client: TestClient, tenant: Tenant, prefix: str) -> CompanyRecords:
    supplier = post(client, tenant, "/suppliers", {"name": f"{prefix} Supplies"})["id"]
    customer = post(client, tenant, "/customers", {"name": f"{prefix} Buyers"})["id"]
    item = post(client, tenant, "/items", {"code": f"{prefix}-1", "name": f"{prefix} one"})["id"]
    dated = {"date": "2026-11-02", "currency": "NZD", "lines": [LINE]}
    order = post(client, tenant, "/purchase-orders", {"supplier_id": supplier, **dated})["id"]
    bill = post(
        client, tenant, "/bills", {"supplier_id": supplier, "due_date": "2026-12-02", **dated}
    )["id"]
    act(client, tenant, f"/bills/{bill}", "submit", "approve")
    invoice = post(
        client, tenant, "/invoices", {"customer_id": customer, "due_date": "2026-12-02", **dated}
    )["id"]
    act(client, tenant, f"/invoices/{invoice}", "issue")
    purchase_note = post(
        client, tenant, "/credit-notes", {"kind": "purchase", "party_id": supplier, **dated}
    )["id"]
    sales_note = post(
        client, tenant, "/credit-notes", {"kind": "sales", "party_id": customer, **dated}
    )["id"]
    draft_bill = post(
        client, tenant, "/bills", {"supplier_id": supplier, "due_date": "2026-12-02", **dated}
    )["id"]
    draft_invoice = post(client, tenant, "/invoices", {"customer_id": customer, **dated})["id"]
    return CompanyRecords(
        supplier,
        customer,
        item,
        order,
        bill,
        invoice,
        purchase_note,
        sales_note,
        draft_bill,
        draft_invoice,
    )
