"""Overpayments and prepayments made to a supplier in Xero are supplier credit here.

The worker reads them (with If-Modified-Since, as payments) through the sandbox over
HTTP: the rest of each is supplier credit (`GET .../supplier-credits`), and what Xero
allocates of it to a bill pays the bill here, until the allocation is taken off.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from ledgerlink.domain.bill import BillStatus
from ledgerlink.sync.engine import Worker
from tests.integration.api.conftest import Tenant, problem
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import bill_in_xero, outbox_rows, reread, xero_write
from tests.integration.sync.conftest import sandbox_get
from xero_sandbox import RunningSandbox


async def money_out(sandbox: RunningSandbox, type_: str, contact_id: str, amount: str) -> str:
    """A supplier paid in Xero beyond (or ahead of) its bills: the credit's id."""
    body = {"Type": type_, "Contact": {"ContactID": contact_id}, "BankAccount": {"Code": "090"},
            "Date": "2026-03-05", "LineAmountTypes": "NoTax", "Reference": "Paid ahead",
            "LineItems": [{"Description": "Paid ahead", "LineAmount": amount}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [body]})
    field = "PrepaymentID" if type_.endswith("PREPAYMENT") else "OverpaymentID"
    credit_id: str = made["BankTransactions"][0][field]
    return credit_id


def credits_here(client: TestClient, admin: Tenant, **params: Any) -> dict[str, Any]:
    answer = client.get(admin.url("/supplier-credits"), params=params, headers=admin.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_supplier_prepayment_and_overpayment_are_supplier_credit_that_follows_xero(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
    admin: Tenant,
    client: TestClient,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    invoice = (await sandbox_get(sandbox, f"/Invoices/{invoice_id}"))["Invoices"][0]
    contact_id = invoice["Contact"]["ContactID"]
    prepaid = await money_out(sandbox, "SPEND-PREPAYMENT", contact_id, "80.00")
    overpaid = await money_out(sandbox, "SPEND-OVERPAYMENT", contact_id, "20.00")
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": "30.00", "Date": "2026-03-06"}
    placed = await xero_write(
        sandbox, "PUT", f"/Prepayments/{prepaid}/Allocations", {"Allocations": [allocation]}
    )
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("30.00"))
    listed = credits_here(client, admin)
    assert listed["count"] == 2
    by_xero = {credit["xero_id"]: credit for credit in listed["data"]}
    prepayment, overpayment = by_xero[prepaid.lower()], by_xero[overpaid.lower()]
    assert {k: prepayment[k] for k in ("source", "status", "amount", "amount_used", "remaining",
                                       "currency", "supplier_id", "reference")} == {
        "source": "prepayment", "status": "open", "amount": "80.00", "amount_used": "30.00",
        "remaining": "50.00", "currency": "NZD", "supplier_id": str(bill.supplier_id),
        "reference": "Paid ahead",
    }  # fmt: skip
    assert (overpayment["source"], overpayment["remaining"]) == ("overpayment", "20.00")
    one = client.get(admin.url(f"/supplier-credits/{prepayment['id']}"), headers=admin.headers)
    assert one.json() == prepayment
    mine = credits_here(client, admin, supplier_id=str(bill.supplier_id), status="OPEN")
    assert mine["count"] == 2
    assert outbox_rows(uow_factory) == before  # nothing read from Xero is sent back

    await make_worker().run_pass()  # read again: made once
    assert credits_here(client, admin)["count"] == 2

    allocation_id = placed["Allocations"][0]["AllocationID"]
    await xero_write(sandbox, "DELETE", f"/Prepayments/{prepaid}/Allocations/{allocation_id}", None)
    clock.advance(5 * 60)
    await make_worker().run_pass()

    assert reread(uow_factory, bill).amount_paid == Decimal("0.00")
    again = client.get(admin.url(f"/supplier-credits/{prepayment['id']}"), headers=admin.headers)
    assert (again.json()["amount_used"], again.json()["remaining"]) == ("0.00", "80.00")
    assert outbox_rows(uow_factory) == before


def test_supplier_credit_is_read_only_and_refuses_what_it_cannot_filter(
    admin: Tenant, client: TestClient
) -> None:
    missing = client.get(admin.url(f"/supplier-credits/{UUID(int=1)}"), headers=admin.headers)
    assert problem(missing, 404)["detail"] == f"supplier credit {UUID(int=1)} was not found"
    wrong = client.get(admin.url("/supplier-credits?status=spent"), headers=admin.headers)
    assert problem(wrong, 422)["errors"] == [
        {"field": "status", "message": "use one of open, used, voided, got 'spent'"}
    ]
    made = client.post(admin.url("/supplier-credits"), json={}, headers=admin.headers)
    assert made.status_code == 405
