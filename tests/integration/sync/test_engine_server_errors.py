"""A 5xx on a write may follow a save: the documents are looked up in Xero before any
resend, so nothing is created twice."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import pytest

from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.sync.engine import Worker
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import RunningSandbox

BILLS = 3


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_bills_saved_before_a_5xx_are_found_by_lookup_not_created_twice(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    status: int,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Saved Then Failed Ltd")
    numbers = [f"FAIL-{status}-{n}" for n in range(BILLS)]
    bills = [approved_bill(uow_factory, company_id, supplier, number) for number in numbers]
    fault = {"kind": "error_after_commit", "status": status, "method": "PUT", "path": "*/Invoices*"}
    await sandbox_control(sandbox, "POST", "/faults", fault)

    await make_worker().drain()

    in_xero = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers=",".join(numbers)))[
        "Invoices"
    ]
    assert sorted(i["InvoiceNumber"] for i in in_xero) == numbers
    with uow_factory() as uow:
        for bill in bills:
            link = uow.xero_links.get(company_id, "bill", bill.id)
            log = SyncLogRepository(uow.session, clock).for_document(company_id, "bill", bill.id)
            assert link is not None
            assert [(e.action, e.outcome) for e in log] == [("create", "retry"), ("lookup", "sent")]
