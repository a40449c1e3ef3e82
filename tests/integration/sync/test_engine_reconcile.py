"""An ambiguous failure (the answer lost after Xero saved the document) is reconciled by
looking the document up in Xero before any resend: nothing is created twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

import pytest

from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.export.results import ExportPolicy
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    approved_order,
    sandbox_control,
    sandbox_get,
)
from xero_sandbox import RunningSandbox


async def count_in_xero(sandbox: RunningSandbox, kind: str, number: str) -> int:
    if kind == "bill":
        found = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers=number))["Invoices"]
    else:
        found = [
            o
            for o in (await sandbox_get(sandbox, "/PurchaseOrders"))["PurchaseOrders"]
            if o["PurchaseOrderNumber"] == number
        ]
    return len(found)


@pytest.mark.parametrize(
    ("kind", "path", "make"),
    [
        ("bill", "*/Invoices*", approved_bill),
        ("purchase_order", "*/PurchaseOrders*", approved_order),
    ],
    ids=["bill", "purchase-order"],
)  # fmt: skip
async def test_a_create_whose_answer_was_lost_is_found_in_xero_not_sent_again(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    kind: str,
    path: str,
    make: Callable[..., Any],
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Lost Answer Ltd")
    document = make(uow_factory, company_id, supplier, "LOST-1")
    await sandbox_control(
        sandbox, "POST", "/faults", {"kind": "drop", "method": "PUT", "path": path}
    )

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    worker = Worker(
        uow_factory,
        SandboxClients(sandbox.base_url, attempts=1),  # the lost answer reaches the engine
        config=WorkerConfig(name="reconcile", policy=ExportPolicy(backoff_base_seconds=1.0)),
        clock=clock,
        sleep=advance,
    )
    await worker.drain()

    assert await count_in_xero(sandbox, kind, "LOST-1") == 1
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, kind, document.id)
        log = SyncLogRepository(uow.session, clock).for_document(company_id, kind, document.id)
    assert link is not None
    assert [(e.action, e.outcome) for e in log] == [("create", "retry"), ("lookup", "sent")]
    assert "not sent again" in (log[-1].answer or "")
