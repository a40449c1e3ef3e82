"""A document holding text that is not Unicode is refused by Xero once, never stored twice.

SQLite keeps such text (PostgreSQL refuses it on the way in), so only SQLite is used here.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import pytest

from ledgerlink.sync.engine import Worker
from ledgerlink.sync.engine.overview import sync_states
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    UowFactory,
    add_supplier,
    approved_bill,
    line,
    sandbox_get,
)
from xero_sandbox import RunningSandbox


async def test_a_bill_with_a_lone_surrogate_is_refused_and_never_created(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    backend: str,
) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL refuses text that is not Unicode before it is stored")
    supplier = add_supplier(uow_factory, company_id, "Surrogate Supplies Ltd")
    bill = approved_bill(
        uow_factory, company_id, supplier, "LONE-1", lines=[line(description="Desk \ud800")]
    )

    await make_worker().drain()

    found = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers="LONE-1"))["Invoices"]
    assert found == []
    with uow_factory() as uow:
        failed = sync_states(uow, clock, company_id, state="failed", kind="bill")
    assert [s.document_id for s in failed] == [bill.id]
    assert "Description contains a character that is not valid text" in (failed[0].last_error or "")
