"""An overpayment or prepayment voided in Xero ends the credit it made here.

Xero voids one only in its web app, and only once nothing of it is allocated: the sandbox
does it through `POST /_sandbox/tenants/{tenant}/{overpayments|prepayments}/{id}/void`.
The worker's next read (If-Modified-Since) leaves nothing of the credit to use here, and
the reconciliation then finds it in line with Xero; the credits not voided, and what was
sent to Xero, stay as they were.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.sales_invoice import SalesInvoiceStatus
from ledgerlink.store.repositories.reconciliations import Drift
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.inbound.reconcile import Reconciler
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import bill_in_xero, outbox_rows, reread, xero_write
from tests.integration.inbound.test_sales_invoices import invoice_in_xero
from tests.integration.inbound.test_sales_invoices import reread as reread_invoice
from tests.integration.inbound.test_supplier_credit import credits_here, money_out
from tests.integration.sync.conftest import SandboxClients, sandbox_control, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


async def void_in_xero(sandbox: RunningSandbox, table: str, credit_id: str) -> None:
    """What a person does in Xero's web app, a minute on."""
    await sandbox_control(sandbox, "POST", "/clock", {"advance_seconds": 60})
    path = f"/tenants/{DEMO_TENANT_ID}/{table.lower()}/{credit_id}/void"
    voided = await sandbox_control(sandbox, "POST", path)
    assert voided[table][0]["Status"] == "VOIDED"


async def allocate(sandbox: RunningSandbox, table: str, credit_id: str, invoice_id: str) -> str:
    """Allocate 30.00 of the credit to the invoice in Xero: the allocation's id."""
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": "30.00", "Date": "2026-03-06"}
    placed = await xero_write(
        sandbox, "PUT", f"/{table}/{credit_id}/Allocations", {"Allocations": [allocation]}
    )
    allocation_id: str = placed["Allocations"][0]["AllocationID"]
    return allocation_id


async def take_off(sandbox: RunningSandbox, table: str, credit_id: str, allocation_id: str) -> None:
    await xero_write(sandbox, "DELETE", f"/{table}/{credit_id}/Allocations/{allocation_id}", None)


async def reconcile(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, company_id: UUID
) -> list[Drift]:
    """What `POST .../sync/reconcile` runs: every linked record compared with Xero."""
    async with clients(company_id) as xero:
        run = await Reconciler(uow_factory, clock).run(company_id, xero)
    assert run.state == "done", run.message
    return run.drift


def listed(client: TestClient, admin: Tenant, path: str) -> dict[str, dict[str, Any]]:
    answer = client.get(admin.url(path), headers=admin.headers)
    assert answer.status_code == 200, answer.text
    return {item["id"]: item for item in answer.json()["data"]}


@pytest.mark.parametrize(
    ("money_in", "table"),
    [("RECEIVE-OVERPAYMENT", "Overpayments"), ("RECEIVE-PREPAYMENT", "Prepayments")],
)
async def test_a_customers_credit_voided_in_xero_leaves_no_store_credit_here(
    money_in: str,
    table: str,
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
    admin: Tenant,
    client: TestClient,
) -> None:
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    (remote,) = (await sandbox_get(sandbox, f"/Invoices/{xero_id}"))["Invoices"]
    contact_id = remote["Contact"]["ContactID"]
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "customer", invoice.customer_id,
                              tenant_id=DEMO_TENANT_ID, xero_id=contact_id)  # fmt: skip
        uow.commit()

    async def overpaid(amount: str) -> str:
        received = {"Type": money_in, "Contact": {"ContactID": contact_id},
                    "BankAccount": {"Code": "090"}, "Date": "2026-03-05",
                    "LineAmountTypes": "NoTax",
                    "LineItems": [{"Description": "Paid twice", "LineAmount": amount}]}  # fmt: skip
        made = await xero_write(
            sandbox, "PUT", "/BankTransactions", {"BankTransactions": [received]}
        )
        credit_id: str = made["BankTransactions"][0][f"{table[:-1]}ID"]
        return credit_id

    voided_id = await overpaid("80.00")
    await overpaid("25.00")  # kept: not voided
    allocation_id = await allocate(sandbox, table, voided_id, xero_id)
    before = outbox_rows(uow_factory)
    await make_worker().run_pass()
    credits = listed(client, admin, "/store-credits")
    by_amount = {credit["amount"]: credit for credit in credits.values()}
    used, kept = by_amount["80.00"], by_amount["25.00"]
    assert (used["amount_used"], used["remaining"]) == ("30.00", "50.00")
    assert reread_invoice(uow_factory, invoice).amount_paid == Decimal("30.00")

    # In Xero: the allocation taken off, then the overpayment voided (Xero's order).
    await take_off(sandbox, table, voided_id, allocation_id)
    await void_in_xero(sandbox, table, voided_id)
    clock.advance(5 * 60)
    await make_worker().run_pass()

    after = listed(client, admin, "/store-credits")
    assert set(after) == set(credits)  # none made, none lost
    voided = after[used["id"]]
    assert (voided["amount"], voided["amount_used"], voided["remaining"]) == (
        "80.00", "80.00", "0.00",
    )  # fmt: skip
    assert after[kept["id"]] == kept  # the other overpayment's credit is untouched
    found = reread_invoice(uow_factory, invoice)
    assert (found.status, found.amount_paid) == (SalesInvoiceStatus.ISSUED, Decimal("0.00"))
    assert outbox_rows(uow_factory) == before  # nothing read from Xero is sent back

    clock.advance(5 * 60)
    await make_worker().run_pass()  # read again: nothing moves
    assert listed(client, admin, "/store-credits") == after

    drift = await reconcile(uow_factory, clients, clock, company_id)
    assert [d for d in drift if d.kind == "store_credit"] == []
    assert outbox_rows(uow_factory) == before


async def test_an_overpayment_voided_in_xero_before_it_was_read_makes_no_store_credit(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    admin: Tenant,
    client: TestClient,
) -> None:
    invoice, xero_id = await invoice_in_xero(uow_factory, company_id, sandbox)
    (remote,) = (await sandbox_get(sandbox, f"/Invoices/{xero_id}"))["Invoices"]
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "customer", invoice.customer_id,
                              tenant_id=DEMO_TENANT_ID,
                              xero_id=remote["Contact"]["ContactID"])  # fmt: skip
        uow.commit()
    money_in = {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"Name": "Boom FM"},
                "BankAccount": {"Code": "090"}, "Date": "2026-03-05",
                "LineItems": [{"Description": "Paid twice", "LineAmount": "80.00"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [money_in]})
    await void_in_xero(sandbox, "Overpayments", made["BankTransactions"][0]["OverpaymentID"])

    await make_worker().run_pass()

    assert listed(client, admin, "/store-credits") == {}


@pytest.mark.parametrize(
    ("type_", "table"),
    [("SPEND-PREPAYMENT", "Prepayments"), ("SPEND-OVERPAYMENT", "Overpayments")],
    ids=["prepayment", "overpayment"],
)
async def test_a_supplier_credit_voided_in_xero_is_voided_here_with_nothing_left(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
    admin: Tenant,
    client: TestClient,
    type_: str,
    table: str,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    (remote,) = (await sandbox_get(sandbox, f"/Invoices/{invoice_id}"))["Invoices"]
    contact_id = remote["Contact"]["ContactID"]
    voided_id = await money_out(sandbox, type_, contact_id, "80.00")
    kept_id = await money_out(sandbox, type_, contact_id, "20.00")
    allocation_id = await allocate(sandbox, table, voided_id, invoice_id)
    before = outbox_rows(uow_factory)
    await make_worker().run_pass()
    credits = {c["xero_id"]: c for c in credits_here(client, admin)["data"]}
    used, kept = credits[voided_id.lower()], credits[kept_id.lower()]
    assert (used["status"], used["amount_used"], used["remaining"]) == ("open", "30.00", "50.00")
    assert reread(uow_factory, bill).amount_paid == Decimal("30.00")

    # In Xero: the allocation taken off, then the credit voided (Xero's order).
    await take_off(sandbox, table, voided_id, allocation_id)
    await void_in_xero(sandbox, table, voided_id)
    clock.advance(5 * 60)
    await make_worker().run_pass()

    after = {c["xero_id"]: c for c in credits_here(client, admin)["data"]}
    assert set(after) == set(credits)  # none made, none lost
    voided = after[voided_id.lower()]
    assert {k: voided[k] for k in ("id", "status", "amount", "amount_used", "remaining")} == {
        "id": used["id"], "status": "voided", "amount": "80.00", "amount_used": "0.00",
        "remaining": "0.00",
    }  # fmt: skip
    assert after[kept_id.lower()] == kept  # the other credit is untouched
    assert credits_here(client, admin, status="voided")["count"] == 1
    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.APPROVED, Decimal("0.00"))
    assert outbox_rows(uow_factory) == before  # nothing read from Xero is sent back

    clock.advance(5 * 60)
    await make_worker().run_pass()  # read again: nothing moves
    assert {c["xero_id"]: c for c in credits_here(client, admin)["data"]} == after

    drift = await reconcile(uow_factory, clients, clock, company_id)
    assert [d for d in drift if d.kind == "supplier_credit"] == []
    assert outbox_rows(uow_factory) == before
