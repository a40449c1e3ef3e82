"""`POST .../sync/reconcile` compares store credit sent to Xero as an overpayment
(`overpayments: xero_overpayment`) with that overpayment: its status, total and
`RemainingCredit`, read from `/Overpayments` with `where` filters of 40 ids a call (the
calls are counted at the sandbox).
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx

from ledgerlink.bootstrap import Container
from ledgerlink.domain.credits import StoreCredit
from ledgerlink.domain.events import CREDIT_USE, use_id
from ledgerlink.domain.parties import Customer
from ledgerlink.sync.engine import WorkerConfig
from tests.integration.api.conftest import Tenant
from tests.integration.imports.conftest import (
    admin,
    api,
    app,
    connected,
    container,
    sandbox,
    sandbox_clock,
    sandbox_config,
    settings,
)
from tests.integration.inbound.conftest import xero_write
from tests.integration.inbound.test_reconcile_credits import calls
from tests.integration.sync.conftest import ClientCredentials, sandbox_control, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["admin", "api", "app", "connected", "container", "sandbox", "sandbox_clock",
           "sandbox_config", "settings"]  # fmt: skip

OVERPAYMENTS = "/api.xro/2.0/Overpayments"
#: Overpayments sent from here in the bounded run: more than one `where` call holds.
MANY = 41


def money(value: Any) -> Decimal:
    return Decimal(str(value))


def invoice_body(customer_id: str, number: str) -> dict[str, Any]:
    return {"customer_id": customer_id, "number": number, "date": "2026-03-04",
            "due_date": "2026-04-03", "currency": "NZD",
            "lines": [{"description": "Coffee beans", "quantity": "3", "unit_price": "24.50",
                       "account_code": "200", "tax_type": "OUTPUT2"}]}  # fmt: skip


async def call(
    api: httpx.AsyncClient, tenant: Tenant, method: str, path: str, body: Any = None
) -> Any:
    answer = await api.request(method, tenant.url(path), json=body, headers=tenant.headers)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


async def reconcile(api: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    report: dict[str, Any] = await call(api, tenant, "POST", "/sync/reconcile")
    assert report["last_run"]["state"] == "done", report
    return report


async def send_store_credit(
    api: httpx.AsyncClient,
    tenant: Tenant,
    container: Container,
    sandbox: RunningSandbox,
    used: str | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A payment 25.00 over an invoice, its store credit ``used`` on a second invoice and
    sent by the worker as a Xero overpayment: the store credit and that overpayment."""
    for kind in ("accounts", "tax-rates"):  # the import step, through the connection
        job = container.import_runner().start(UUID(tenant.company_id), kind, import_all=True)
        assert (await container.import_runner().run(job.id)).state == "done"
    await call(api, tenant, "PUT", "/xero/settings", {"overpayments": "xero_overpayment"})
    customer_id = (await call(api, tenant, "POST", "/customers", {"name": "Harbour Cafe"}))["id"]
    first, later = [
        await call(api, tenant, "POST", "/invoices", invoice_body(customer_id, number))
        for number in ("INV-1", "INV-2")
    ]
    for invoice in (first, later):
        await call(api, tenant, "POST", f"/invoices/{invoice['id']}/issue")
    total = money(first["total"])
    payment = {"date": "2026-03-05", "amount": str(total + 25), "currency": "NZD",
               "bank_account_code": "090", "party_id": customer_id, "reference": "Cheque 7",
               "allocations": [{"document_id": first["id"], "amount": str(total)}]}  # fmt: skip
    await call(api, tenant, "POST", "/payments", payment)
    [credit] = (await call(api, tenant, "GET", "/store-credits"))["data"]
    credit_id = UUID(credit["id"])
    if used is not None:
        use = {"invoice_id": later["id"], "amount": used}
        await call(api, tenant, "POST", f"/store-credits/{credit['id']}/use", use)
    await container.worker(WorkerConfig(name="overpayments")).drain(max_seconds=30)
    with container.uow() as uow:
        link = uow.xero_links.get(UUID(tenant.company_id), CREDIT_USE, use_id(credit_id, 2))
    assert link is not None  # sent as an overpayment, linked under the record that sent it
    (sent,) = (await sandbox_get(sandbox, f"/Overpayments/{link.xero_id}"))["Overpayments"]
    return credit, sent


async def test_an_overpayment_sent_from_here_is_compared_and_an_allocation_made_in_xero_listed(
    api: httpx.AsyncClient, connected: Tenant, container: Container, sandbox: RunningSandbox
) -> None:
    credit, sent = await send_store_credit(api, connected, container, sandbox, used="10.00")
    assert (money(sent["Total"]), money(sent["RemainingCredit"])) == (25, 15)

    await sandbox_control(sandbox, "DELETE", "/stats")
    agreed = await reconcile(api, connected)

    # Two invoices and the overpayment, all in line with Xero: one call each kind.
    assert (agreed["last_run"]["checked"], agreed["data"]) == (3, [])
    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert calls(stats, "GET", OVERPAYMENTS) == 1

    # In Xero, 5.00 of the overpayment is allocated to an invoice made there.
    elsewhere = {"Type": "ACCREC", "Contact": {"ContactID": sent["Contact"]["ContactID"]},
                 "Date": "2026-03-06", "DueDate": "2026-04-06", "Status": "AUTHORISED",
                 "InvoiceNumber": "XERO-1", "LineAmountTypes": "NoTax",
                 "LineItems": [{"Description": "Cups", "Quantity": "1", "UnitAmount": "30.00",
                                "AccountCode": "200"}]}  # fmt: skip
    (made,) = (await xero_write(sandbox, "PUT", "/Invoices", {"Invoices": [elsewhere]}))["Invoices"]
    allocation = {"Invoice": {"InvoiceID": made["InvoiceID"]}, "Amount": "5.00",
                  "Date": "2026-03-06"}  # fmt: skip
    (allocated,) = (
        await xero_write(sandbox, "PUT", f"/Overpayments/{sent['OverpaymentID']}/Allocations",
                         {"Allocations": [allocation]})
    )["Allocations"]  # fmt: skip
    await sandbox_control(sandbox, "DELETE", "/stats")

    drifted = await reconcile(api, connected)

    (drift,) = drifted["data"]
    assert {k: drift[k] for k in ("kind", "document_id", "number", "field", "ours", "xero")} == {
        "kind": "store_credit", "document_id": credit["id"], "number": credit["id"],
        "field": "remaining_credit", "ours": "15.00", "xero": "10.00",
    }  # fmt: skip
    assert drift["fix"].startswith("15.00 of the credit left here, 10.00 in Xero: ")
    assert "in Xero only" in drift["fix"]
    assert "ledgerlink sync pull" not in drift["fix"]  # a pull does not follow it
    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert calls(stats, "GET", OVERPAYMENTS) == 1
    listed = await api.get(connected.url("/sync/drift"), headers=connected.headers)
    assert listed.json()["data"] == drifted["data"]

    # The allocation taken back in Xero: in line again.
    await xero_delete(sandbox, sent["OverpaymentID"], allocated["AllocationID"])

    assert (await reconcile(api, connected))["data"] == []


async def xero_delete(sandbox: RunningSandbox, overpayment_id: str, allocation_id: str) -> None:
    """Take an allocation of an overpayment back, as a person in Xero would."""
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, sandbox.base_url).access_token()
        answer = await http.delete(
            f"{sandbox.base_url}/api.xro/2.0/Overpayments/{overpayment_id}/Allocations/"
            f"{allocation_id}",
            headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
        )
    assert answer.status_code == 200, answer.text


async def test_overpayments_sent_from_here_are_read_40_to_a_call_and_one_xero_lacks_listed(
    api: httpx.AsyncClient, connected: Tenant, container: Container, sandbox: RunningSandbox
) -> None:
    company_id = UUID(connected.company_id)
    customer = Customer(company_id=company_id, name="Bright Ltd")
    money_in = {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"Name": "Bright Ltd"},
                "BankAccount": {"Code": "090"}, "Date": "2026-03-05", "LineAmountTypes": "NoTax",
                "LineItems": [{"Description": "Overpaid", "LineAmount": "20.00"}]}  # fmt: skip
    made = (
        await xero_write(sandbox, "PUT", "/BankTransactions",
                         {"BankTransactions": [money_in] * (MANY - 1)})
    )["BankTransactions"]  # fmt: skip
    xero_ids = [t["OverpaymentID"] for t in made] + [str(uuid4())]  # the last: Xero lacks it
    credits: list[StoreCredit] = []
    with container.uow() as uow:
        uow.customers.add(customer)
        for xero_id in xero_ids:
            credit = StoreCredit(company_id=company_id, customer_id=customer.id,
                                 date=dt.date(2026, 3, 5), amount=Decimal("20.00"),
                                 currency="NZD", source_payment_id=uuid4())  # fmt: skip
            use = credit.send_as_overpayment("090")
            uow.store_credits.add(credit)  # its outbox row names the overpayment's record
            uow.xero_links.upsert(company_id, CREDIT_USE, use, tenant_id=DEMO_TENANT_ID,
                                  xero_id=xero_id)  # fmt: skip
            credits.append(credit)
        uow.commit()
    await sandbox_control(sandbox, "DELETE", "/stats")

    report = await reconcile(api, connected)

    assert report["last_run"]["checked"] == MANY
    (lost,) = report["data"]
    assert (lost["kind"], lost["document_id"], lost["field"]) == (
        "store_credit", str(credits[-1].id), "in_xero",
    )  # fmt: skip
    assert (lost["ours"], lost["xero"]) == ("open", None)
    assert f"ledgerlink sync resolve credit_use {credits[-1].overpayment_use_id}" in lost["fix"]
    # 41 overpayments in two `where` calls (40 a call); nothing else is asked.
    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert calls(stats, "GET", OVERPAYMENTS) == 2
    (tenant,) = [t for t in stats["organisations"] if t["tenantId"] == DEMO_TENANT_ID]
    assert tenant["total"] == 2


async def test_an_overpayment_sent_from_here_and_voided_in_xero_is_listed_with_its_fix(
    api: httpx.AsyncClient, connected: Tenant, container: Container, sandbox: RunningSandbox
) -> None:
    credit, sent = await send_store_credit(api, connected, container, sandbox, used=None)
    assert (money(sent["Total"]), money(sent["RemainingCredit"])) == (25, 25)
    assert (await reconcile(api, connected))["data"] == []

    # A person voids the overpayment in Xero's web app.
    await sandbox_control(
        sandbox, "POST", f"/tenants/{DEMO_TENANT_ID}/overpayments/{sent['OverpaymentID']}/void"
    )

    (drift,) = (await reconcile(api, connected))["data"]
    assert {k: drift[k] for k in ("kind", "document_id", "field", "ours", "xero")} == {
        "kind": "store_credit", "document_id": credit["id"], "field": "status",
        "ours": "open", "xero": "VOIDED",
    }  # fmt: skip
    assert drift["fix"].startswith("Xero holds its overpayment VOIDED but 25.00 of it is left")
    assert "ledgerlink sync resolve credit_use" in drift["fix"]
