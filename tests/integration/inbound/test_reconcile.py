"""The nightly reconciliation: every linked bill compared with Xero, 100 to a call, and
what differs listed with its fix (`GET .../sync/drift`), once a night at the company's hour.
"""

import datetime as dt
from collections.abc import Callable
from uuid import UUID, uuid4

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ledgerlink.store.tables import reconciliations
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.inbound.poll import POLL_SETTING
from ledgerlink.sync.inbound.reconcile import RECONCILE_HOUR_SETTING
from tests.integration.api.conftest import Tenant
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    bills_in_xero,
    pay_in_xero,
    set_company_option,
    xero_write,
)
from tests.integration.sync.conftest import SandboxClients
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


def runs(uow_factory: UowFactory) -> int:
    with uow_factory() as uow:
        count = select(func.count()).select_from(reconciliations)
        return int(uow.session.execute(count).scalar_one())


async def test_the_nightly_run_lists_each_drift_with_its_fix_once_a_night(
    uow_factory: UowFactory,
    company_id: UUID,
    admin: Tenant,
    client: TestClient,
    make_worker: Callable[..., Worker],
    clients: SandboxClients,
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    sent = await bills_in_xero(uow_factory, company_id, make_worker, count=4)
    (paid, _), (voided, voided_id), (alike, _), (gone, _) = sent
    # No webhooks and no payments poll: what changed in Xero stays unknown here.
    set_company_option(uow_factory, company_id, POLL_SETTING, 0)
    await pay_in_xero(sandbox, sent[0][1], "10.00")
    body = {"Invoices": [{"InvoiceID": voided_id, "Status": "VOIDED"}]}
    await xero_write(sandbox, "POST", f"/Invoices/{voided_id}", body)
    with uow_factory() as uow:
        uow.xero_links.upsert(company_id, "bill", gone.id, tenant_id=DEMO_TENANT_ID,
                              xero_id=str(uuid4()), synced_version=gone.version)  # fmt: skip
        uow.commit()

    before = client.get(admin.url("/sync/drift"), headers=admin.headers).json()
    assert (before["last_run"], before["data"]) == (None, [])
    assert before["next_run_at"].endswith("T02:00:00Z")  # the API's clock is the real one
    await make_worker().run_pass()  # 09:30, connected at 09:00: not due before 02:00
    assert runs(uow_factory) == 0

    clock.now = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)
    clients.sent.clear()
    await make_worker().run_pass()
    invoice_reads = [r for r in clients.sent if r.url.path.endswith("/Invoices")]
    assert len(invoice_reads) == 1  # four linked bills, one call of IDs=
    clock.advance(3600)
    await make_worker().run_pass()
    assert runs(uow_factory) == 1  # once a night

    report = client.get(admin.url("/sync/drift"), headers=admin.headers).json()
    assert report["last_run"]["state"] == "done"
    assert report["last_run"]["checked"] == 4
    found = {(d["document_id"], d["field"]): d for d in report["data"]}
    assert set(found) == {
        (str(paid.id), "amount_due"),
        (str(voided.id), "status"),
        (str(gone.id), "in_xero"),
    }
    due = found[(str(paid.id), "amount_due")]
    total = f"{paid.total:.2f}"
    assert (due["ours"], due["xero"]) == (total, f"{paid.total - 10:.2f}")
    assert "ledgerlink sync pull" in due["fix"]
    void = found[(str(voided.id), "status")]
    assert (void["ours"], void["xero"]) == ("approved", "VOIDED")
    assert "mark it cancelled here" in void["fix"]
    assert "ledgerlink sync retry bill" in found[(str(gone.id), "in_xero")]["fix"]
    assert all(d["document_id"] != str(alike.id) for d in report["data"])


async def test_the_hour_is_a_company_setting(
    uow_factory: UowFactory,
    company_id: UUID,
    admin: Tenant,
    client: TestClient,
) -> None:
    settings = client.get(admin.url("/settings"), headers=admin.headers).json()
    assert settings["xero_reconcile_hour"] == 2
    changed = client.patch(
        admin.url("/settings"), json={"xero_reconcile_hour": 23}, headers=admin.headers
    )
    assert changed.json()["xero_reconcile_hour"] == 23, changed.text
    with uow_factory() as uow:
        company = uow.companies.get(company_id)
    assert company is not None and company.settings.options[RECONCILE_HOUR_SETTING] == 23
    wrong = client.patch(
        admin.url("/settings"), json={"xero_reconcile_hour": 24}, headers=admin.headers
    )
    assert wrong.status_code == 422
    assert "xero_reconcile_hour" in wrong.text
