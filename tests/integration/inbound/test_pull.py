"""`POST .../xero/pull` (202 and a job) and `ledgerlink sync pull` run the same pull.

A bill linked to a Xero bill that was paid in Xero, with no webhook to say so: the pull
reads the payment and the bill is paid here.
"""

import asyncio
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import Container
from ledgerlink.cli import app as cli
from ledgerlink.config import Settings
from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.parties import Supplier
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from tests.integration.api.conftest import Tenant, make_tenant, problem
from tests.integration.connect.conftest import REDIRECT_URI, SECRET_KEY
from tests.integration.connect.conftest import connect as connect_company
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
from tests.integration.inbound.conftest import pay_in_xero, xero_write
from tests.integration.sync.conftest import line
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["admin", "api", "app", "connected", "container", "sandbox", "sandbox_clock",
           "sandbox_config", "settings"]  # fmt: skip


async def linked_bill(container: Container, company_id: UUID, sandbox: RunningSandbox) -> Bill:
    """An approved bill here, linked to its twin in Xero as an export leaves it."""
    supplier = Supplier(company_id=company_id, name="Lamp Co")
    bill = Bill(company_id=company_id, supplier_id=supplier.id, currency="NZD",
                invoice_number="SUP-9", date=dt.date(2026, 3, 1), due_date=dt.date(2026, 3, 31),
                lines=[line()])  # fmt: skip
    bill.submit()
    bill.approve()
    accpay = {"Type": "ACCPAY", "Contact": {"Name": "Lamp Co"}, "Date": "2026-03-01",
              "DueDate": "2026-03-31", "Status": "AUTHORISED", "InvoiceNumber": "SUP-9",
              "LineItems": [{"Description": "Paper", "Quantity": "3", "UnitAmount": "33.33",
                             "AccountCode": "400", "TaxType": "INPUT2"}]}  # fmt: skip
    made = (await xero_write(sandbox, "PUT", "/Invoices", {"Invoices": [accpay]}))["Invoices"][0]
    with container.uow() as uow:
        uow.suppliers.add(supplier)
        uow.bills.add(bill)
        bill.pull_events()
        supplier.pull_events()
        uow.xero_links.upsert(company_id, "bill", bill.id, tenant_id=DEMO_TENANT_ID,
                              xero_id=made["InvoiceID"], synced_version=bill.version)  # fmt: skip
        uow.commit()
    await pay_in_xero(sandbox, made["InvoiceID"], "50.00")
    return bill


def reread(container: Container, bill: Bill) -> Bill:
    with container.uow() as uow:
        found = uow.bills.get(bill.company_id, bill.id)
    assert found is not None
    return found


async def test_a_pull_over_the_api_is_a_job_that_pays_the_bill_paid_in_xero(
    api: httpx.AsyncClient, connected: Tenant, container: Container, sandbox: RunningSandbox
) -> None:
    bill = await linked_bill(container, UUID(connected.company_id), sandbox)
    budget = await api.get(connected.url("/xero"), headers=connected.headers)
    day_before = budget.json()["budget"]["day_remaining"]

    started = await api.post(connected.url("/xero/pull"), headers=connected.headers)

    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["state"], job["steps_total"]) == ("queued", 4)
    for _ in range(200):
        job = (await api.get(job["url"], headers=connected.headers)).json()
        if job["state"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    assert (job["state"], job["steps_done"], job["step"]) == ("done", 4, None), job
    assert job["read"] >= 2 and job["applied"] >= 2  # the payment, and the bill itself
    found = reread(container, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("50.00"))
    # Six reads (payments, overpayments, prepayments, credit notes, invoices, contacts),
    # counted in the organisation's budget, which the exports share.
    budget = await api.get(connected.url("/xero"), headers=connected.headers)
    assert budget.json()["budget"]["day_remaining"] <= day_before - 6


async def test_a_company_not_connected_is_told_to_connect_before_it_pulls(
    api: httpx.AsyncClient, admin: Tenant
) -> None:
    answer = await api.post(admin.url("/xero/pull"), headers=admin.headers)
    assert problem(answer, 409)["title"] == "Not connected to Xero"
    missing = await api.get(admin.url(f"/xero/pull/{UUID(int=1)}"), headers=admin.headers)
    assert missing.status_code == 404


@pytest.fixture
def environment(
    sandbox: RunningSandbox, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Container]:
    for name, value in {
        "LEDGERLINK_DATABASE_URL": database_url,
        "LEDGERLINK_SECRET_KEY": SECRET_KEY,
        "LEDGERLINK_VAR_DIR": str(tmp_path / "var"),
        "LEDGERLINK_XERO_LOGIN_URL": sandbox.base_url,
        "LEDGERLINK_XERO_IDENTITY_URL": sandbox.base_url,
        "LEDGERLINK_XERO_API_URL": sandbox.base_url,
        "LEDGERLINK_XERO_REDIRECT_URI": REDIRECT_URI,
    }.items():
        monkeypatch.setenv(name, value)
    upgrade(database_url)
    built = Container(Settings())
    yield built
    built.close()


def test_ledgerlink_sync_pull_prints_its_steps_and_pays_the_bill(
    environment: Container, sandbox: RunningSandbox
) -> None:
    admin = make_tenant(environment, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    company_id = UUID(admin.company_id)
    with environment.uow() as uow:
        user = uow.users.get_by_email("admin@acme.test")
    assert user is not None
    connector = XeroConnector(XeroGateway(environment.session_factory, environment.settings))
    asyncio.run(connect_company(connector, company_id, user.id))
    bill = asyncio.run(linked_bill(environment, company_id, sandbox))

    result = CliRunner().invoke(cli, ["sync", "pull", "--company", "Acme Ltd"])

    assert result.exit_code == 0, result.output
    assert "pull done:" in result.output and "4/4" in result.output
    assert reread(environment, bill).amount_paid == Decimal("50.00")
    again = CliRunner().invoke(cli, ["sync", "pull", "--company", "Acme Ltd"])
    assert again.exit_code == 0, again.output
    assert reread(environment, bill).amount_paid == Decimal("50.00")
    unknown = CliRunner().invoke(cli, ["sync", "pull", "--company", "Nobody"])
    assert unknown.exit_code == 2 and "no company named 'Nobody'" in unknown.output
