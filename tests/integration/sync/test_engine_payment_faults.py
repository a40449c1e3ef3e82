"""Payments exactly once through faults: a 500 or a 429 before the call ran, an answer lost
after Xero committed (with Idempotency-Keys ignored, so the lookup alone stands), an answer
that comes too late, and a worker that stops after sending and is replaced by another.
Each test counts the payments the sandbox holds on each bill."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledgerlink.domain import Bill
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_control,
    worker,
)
from tests.integration.sync.payments import pay, standing, xero_invoice, xero_payments
from xero_sandbox import RunningSandbox

TOTAL = Decimal("114.99")


async def in_xero(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, impatient: SandboxClients
) -> tuple[Bill, Bill]:
    """Two bills in Xero, then a payment of 40.00 on the first and one over both."""
    supplier = add_supplier(uow_factory, company_id, "Fault Line Ltd")
    first = approved_bill(uow_factory, company_id, supplier, "F-1")
    second = approved_bill(uow_factory, company_id, supplier, "F-2")
    await worker(uow_factory, impatient, clock, "bills").drain()
    pay(uow_factory, company_id, (first, "40.00"), reference="Part")
    pay(uow_factory, company_id, (first, "50.00"), (second, "60.00"), reference="Split")
    return first, second


async def live(sandbox: RunningSandbox, number: str) -> list[tuple[str, Decimal]]:
    invoice = await xero_invoice(sandbox, number)
    found = await xero_payments(sandbox, invoice["InvoiceID"])
    return sorted(
        (p["Reference"], Decimal(str(p["Amount"]))) for p in found if p["Status"] != "DELETED"
    )


async def exactly_once(
    sandbox: RunningSandbox, uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    assert await live(sandbox, "F-1") == [("Part", Decimal(40)), ("Split", Decimal(50))]
    assert await live(sandbox, "F-2") == [("Split", Decimal(60))]
    assert await standing(sandbox, "F-1") == ("AUTHORISED", Decimal(90), TOTAL - 90)
    assert await standing(sandbox, "F-2") == ("AUTHORISED", Decimal(60), TOTAL - 60)
    with uow_factory() as uow:
        states = SyncStateRepository(uow.session, clock).list(company_id, kind="payment")
    assert sorted(s.state for s in states) == ["sent", "sent"]


async def arm(sandbox: RunningSandbox, **fault: Any) -> None:
    await sandbox_control(
        sandbox, "POST", "/faults", {"method": "PUT", "path": "*/Payments*", **fault}
    )


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "error", "status": 500},
        {"kind": "error", "status": 429},
        {"kind": "drop"},
        {"kind": "error_after_commit", "status": 500},
    ],
    ids=["500", "429", "dropped-after-commit", "500-after-commit"],
)
async def test_each_payment_is_in_xero_once_whatever_the_fault(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
    fault: dict[str, Any],
) -> None:
    await in_xero(uow_factory, company_id, clock, impatient)
    # Keys ignored: only the lookup before a resend stands between a lost answer and a twin.
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    await arm(sandbox, **fault)

    await worker(uow_factory, impatient, clock, "faulty").run_pass()
    clock.advance(60)
    await worker(uow_factory, impatient, clock, "faulty").drain()

    await exactly_once(sandbox, uow_factory, company_id, clock)


async def test_an_answer_too_late_is_found_by_the_lookup_and_not_sent_again(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    await in_xero(uow_factory, company_id, clock, impatient)
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    await arm(sandbox, kind="late", delay_ms=1200)

    await worker(uow_factory, impatient, clock, "late").run_pass()
    clock.advance(60)
    await worker(uow_factory, impatient, clock, "late").drain()

    await exactly_once(sandbox, uow_factory, company_id, clock)


async def test_a_worker_replaced_after_its_request_landed_leaves_each_payment_once(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    await in_xero(uow_factory, company_id, clock, impatient)
    await arm(sandbox, kind="drop")

    await worker(uow_factory, impatient, clock, "first").run_pass()  # lands, answer lost
    with uow_factory() as uow:
        flying = SyncStateRepository(uow.session, clock).list(company_id, kind="payment")
    assert all(s.in_flight_key for s in flying), flying
    clock.advance(600)  # its claim runs out: another worker takes the rows over
    await worker(uow_factory, impatient, clock, "second").drain()

    await exactly_once(sandbox, uow_factory, company_id, clock)
