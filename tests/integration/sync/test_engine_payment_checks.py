"""Payments checked before sending against what Xero holds: the payment account, the lock
date, the amount still due. A payment that fails a check is not sent; the sync log says it
in Xero's words, with the fix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain import Bill
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.engine.manual import retry
from tests.integration.conftest import FakeClock
from tests.integration.sync.bills import xero_write
from tests.integration.sync.conftest import (
    UowFactory,
    sandbox_control,
)
from tests.integration.sync.payments import (
    approved_bills,
    pay,
    payment_state,
    standing,
    writes,
    xero_invoice,
)
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

TOTAL = Decimal("114.99")


class _Setup:
    def __init__(self, sandbox: RunningSandbox) -> None:
        self.sandbox = sandbox


async def a_bill_in_xero(
    uow_factory: UowFactory, company_id: UUID, make_worker: Callable[..., Worker], number: str
) -> Bill:
    (bill,) = approved_bills(uow_factory, company_id, "Checked Ltd", number)
    await make_worker().drain()
    return bill


def failure(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, payment_id: UUID
) -> tuple[str, SyncLogEntry]:
    state = payment_state(uow_factory, company_id, clock, payment_id)
    with uow_factory() as uow:
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "payment", payment_id)
    assert state is not None
    return state.state, log[-1]


async def payment_writes(sandbox: RunningSandbox) -> int:
    return await writes(sandbox, lambda path: "Payments" in path)


async def test_a_payment_through_an_account_that_takes_no_payments_fails_before_sending(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    bill = await a_bill_in_xero(uow_factory, company_id, make_worker, "CHK-ACC")
    payment = pay(uow_factory, company_id, (bill, "10.00"), account="200")  # Sales

    await make_worker().drain()

    state, entry = failure(uow_factory, company_id, clock, payment.id)
    assert state == "failed" and entry.outcome == "failed"
    assert entry.answer is not None and "checked before sending" in entry.answer
    assert "is not a bank account and does not have payments enabled" in entry.answer
    assert entry.fix is not None and "Enable payments to this account" in entry.fix
    assert await payment_writes(sandbox) == 0
    assert await standing(sandbox, "CHK-ACC") == ("AUTHORISED", Decimal(0), TOTAL)


async def test_a_payment_above_what_xero_says_is_due_fails_before_sending(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    bill = await a_bill_in_xero(uow_factory, company_id, make_worker, "CHK-DUE")
    invoice = await xero_invoice(sandbox, "CHK-DUE")
    await xero_write(
        _Setup(sandbox),  # type: ignore[arg-type]
        "PUT",
        "/Payments",
        {"Payments": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]},
                       "Account": {"Code": "090"}, "Date": "2026-03-05", "Amount": "100.00"}]},
    )  # fmt: skip
    await sandbox_control(sandbox, "DELETE", "/stats")
    payment = pay(uow_factory, company_id, (bill, "20.00"))  # 14.99 is due in Xero

    await make_worker().drain()

    state, entry = failure(uow_factory, company_id, clock, payment.id)
    assert state == "failed"
    assert entry.answer is not None
    assert "Payment amount exceeds the amount outstanding on this document" in entry.answer
    assert "14.99 due in Xero" in entry.answer
    assert await payment_writes(sandbox) == 0


async def test_a_payment_dated_in_a_locked_period_fails_before_sending(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    bill = await a_bill_in_xero(uow_factory, company_id, make_worker, "CHK-LOCK")
    await sandbox_control(
        sandbox, "POST", f"/tenants/{DEMO_TENANT_ID}/lock-dates", {"period_lock_date": "2026-03-15"}
    )
    await sandbox_control(sandbox, "DELETE", "/stats")
    payment = pay(uow_factory, company_id, (bill, "20.00"), on=dt.date(2026, 3, 12))

    await make_worker().drain()

    state, entry = failure(uow_factory, company_id, clock, payment.id)
    assert state == "failed"
    assert entry.answer is not None and "before the period lock date" in entry.answer
    assert entry.fix is not None and "after 2026-03-15" in entry.fix
    assert await payment_writes(sandbox) == 0


async def test_a_payment_refused_over_the_lock_date_goes_once_retried_after_the_date_moves(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    bill = await a_bill_in_xero(uow_factory, company_id, make_worker, "CHK-RETRY")
    lock_dates = f"/tenants/{DEMO_TENANT_ID}/lock-dates"
    await sandbox_control(sandbox, "POST", lock_dates, {"period_lock_date": "2026-03-15"})
    payment = pay(uow_factory, company_id, (bill, "20.00"), on=dt.date(2026, 3, 12))
    await make_worker().drain()
    assert failure(uow_factory, company_id, clock, payment.id)[0] == "failed"

    await sandbox_control(sandbox, "POST", lock_dates, {"period_lock_date": None})
    with uow_factory() as uow:
        retry(uow, company_id, "payments", payment.id, clock())
        uow.commit()
    await make_worker().drain()

    assert failure(uow_factory, company_id, clock, payment.id)[0] == "sent"
    assert await standing(sandbox, "CHK-RETRY") == ("AUTHORISED", Decimal(20), TOTAL - 20)
