"""Approved bills reach Xero exactly once, in batches, through the worker."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from ledgerlink.sync.engine import Worker
from tests.integration.sync.conftest import (
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import RunningSandbox


async def test_approved_bills_are_created_in_one_batch_and_linked(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    suppliers = [add_supplier(uow_factory, company_id, f"Supplier {n}") for n in range(3)]
    bills = [
        approved_bill(uow_factory, company_id, suppliers[n % 3], f"INV-{n:03d}") for n in range(7)
    ]
    await sandbox_control(sandbox, "DELETE", "/stats")

    report = await make_worker().drain()

    assert report.documents >= 7
    found = await sandbox_get(sandbox, "/Invoices", where='Type=="ACCPAY"')
    numbers = sorted(
        i["InvoiceNumber"] for i in found["Invoices"] if i["InvoiceNumber"].startswith("INV-")
    )
    assert numbers == [f"INV-{n:03d}" for n in range(7)]
    stats = await sandbox_control(sandbox, "GET", "/stats")
    writes = [c for c in stats["organisations"][0]["calls"] if c["method"] in ("PUT", "POST")]
    assert sum(c["count"] for c in writes) == 2, writes  # one for contacts, one for bills
    with uow_factory() as uow:
        for bill in bills:
            link = uow.xero_links.get(company_id, "bill", bill.id)
            assert link is not None and link.synced_version == bill.version
        waiting = [r for r in uow.outbox.list(company_id, limit=1000) if r.reaches_xero]
        assert {r.state for r in waiting} == {"done"}
    invoice = next(i for i in found["Invoices"] if i["InvoiceNumber"] == "INV-000")
    assert Decimal(str(invoice["Total"])) == bills[0].total
