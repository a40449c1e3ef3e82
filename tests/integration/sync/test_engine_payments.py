"""Payments recorded here reach Xero through the worker, after the bills they pay, each
exactly once: partial, full, split, as a batch payment by setting, and deleted."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledgerlink.domain import Bill
from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from ledgerlink.sync.engine import Worker
from tests.integration.conftest import FakeClock
from tests.integration.sync.bills import xero_write
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    line,
    sandbox_control,
    sandbox_get,
    set_export_settings,
)
from tests.integration.sync.payments import (
    approved_bills,
    delete,
    pay,
    payment_state,
    standing,
    writes,
    xero_invoice,
    xero_payments,
)
from xero_sandbox import RunningSandbox

TOTAL = Decimal("114.99")  # 3 × 33.33 = 99.99 + 15.00 GST


def bills(uow_factory: UowFactory, company_id: UUID, *numbers: str) -> list[Bill]:
    return approved_bills(uow_factory, company_id, "Paper Mill Ltd", *numbers)


def to_payments(path: str) -> bool:
    return path.endswith("/Payments")


async def live_payments(sandbox: RunningSandbox, number: str) -> list[dict[str, Any]]:
    invoice = await xero_invoice(sandbox, number)
    found = await xero_payments(sandbox, invoice["InvoiceID"])
    return [p for p in found if p["Status"] != "DELETED"]


async def test_a_partial_then_a_full_payment_on_a_bill_reach_xero_once_each(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    (bill,) = bills(uow_factory, company_id, "PAY-1")
    part = pay(uow_factory, company_id, (bill, "40.00"), reference="Part")

    await make_worker().drain()  # the bill, then its payment, in one pass

    assert await standing(sandbox, "PAY-1") == ("AUTHORISED", Decimal("40.00"), TOTAL - 40)
    rest = pay(uow_factory, company_id, (bill, str(TOTAL - 40)), reference="Rest")
    await make_worker().drain()

    assert await standing(sandbox, "PAY-1") == ("PAID", TOTAL, Decimal("0.00"))
    paid = await live_payments(sandbox, "PAY-1")
    assert sorted((p["Reference"], Decimal(str(p["Amount"]))) for p in paid) == [
        ("Part", Decimal("40.00")),
        ("Rest", TOTAL - 40),
    ]
    with uow_factory() as uow:
        for payment in (part, rest):
            link = uow.xero_links.get(company_id, "payment", payment.id)
            assert link is not None and link.synced_version == payment.version
        assert {r.state for r in uow.outbox.list(company_id, limit=100) if r.reaches_xero} == {
            "done"
        }


async def test_a_payment_over_two_bills_is_one_xero_payment_each_in_one_request(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    first, second = bills(uow_factory, company_id, "SPLIT-1", "SPLIT-2")
    await make_worker().drain()
    await sandbox_control(sandbox, "DELETE", "/stats")
    pay(uow_factory, company_id, (first, str(TOTAL)), (second, "14.99"), reference="Run 7")

    await make_worker().drain()

    assert await standing(sandbox, "SPLIT-1") == ("PAID", TOTAL, Decimal("0.00"))
    assert await standing(sandbox, "SPLIT-2") == ("AUTHORISED", Decimal("14.99"), Decimal(100))
    assert len(await live_payments(sandbox, "SPLIT-1")) == 1
    assert len(await live_payments(sandbox, "SPLIT-2")) == 1
    assert await writes(sandbox, to_payments) == 1


async def test_by_setting_a_payment_over_two_bills_is_one_xero_batch_payment(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    set_export_settings(uow_factory, company_id, split_payments="batch_payment")
    first, second = bills(uow_factory, company_id, "BATCH-1", "BATCH-2")
    payment = pay(uow_factory, company_id, (first, "100.00"), (second, str(TOTAL)), reference="Dep")

    await make_worker().drain()

    assert await standing(sandbox, "BATCH-1") == ("AUTHORISED", Decimal(100), TOTAL - 100)
    assert await standing(sandbox, "BATCH-2") == ("PAID", TOTAL, Decimal("0.00"))
    (batch,) = (await sandbox_get(sandbox, "/BatchPayments"))["BatchPayments"]
    assert Decimal(str(batch["TotalAmount"])) == 100 + TOTAL
    assert await writes(sandbox, to_payments) == 0
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "payment", payment.id)
    assert link is not None and link.xero_id == batch["BatchPaymentID"].lower()


async def test_a_payment_deleted_here_is_deleted_in_xero_and_the_bill_is_due_again(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    first, second = bills(uow_factory, company_id, "DEL-1", "DEL-2")
    payment = pay(uow_factory, company_id, (first, "10.00"), (second, "20.00"))
    await make_worker().drain()
    assert await standing(sandbox, "DEL-2") == ("AUTHORISED", Decimal(20), TOTAL - 20)

    delete(uow_factory, company_id, payment)
    await make_worker().drain()

    assert await standing(sandbox, "DEL-1") == ("AUTHORISED", Decimal(0), TOTAL)
    assert await standing(sandbox, "DEL-2") == ("AUTHORISED", Decimal(0), TOTAL)
    for number in ("DEL-1", "DEL-2"):
        invoice = await xero_invoice(sandbox, number)
        (held,) = await xero_payments(sandbox, invoice["InvoiceID"])
        assert held["Status"] == "DELETED"


async def test_a_batch_payment_deleted_here_is_deleted_in_xero(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    set_export_settings(uow_factory, company_id, split_payments="batch_payment")
    first, second = bills(uow_factory, company_id, "BDEL-1", "BDEL-2")
    payment = pay(uow_factory, company_id, (first, "10.00"), (second, "20.00"))
    await make_worker().drain()

    delete(uow_factory, company_id, payment)
    await make_worker().drain()

    (batch,) = (await sandbox_get(sandbox, "/BatchPayments"))["BatchPayments"]
    assert batch["Status"] == "DELETED"
    assert await standing(sandbox, "BDEL-2") == ("AUTHORISED", Decimal(0), TOTAL)


async def test_a_payment_on_a_bill_still_draft_in_xero_waits_then_goes_once_authorised(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    set_export_settings(uow_factory, company_id, bill_status="DRAFT")
    (bill,) = bills(uow_factory, company_id, "WAIT-1")
    payment = pay(uow_factory, company_id, (bill, "50.00"))
    worker = make_worker()

    await worker.run_pass()
    clock.advance(120)
    await worker.run_pass()  # still draft: it waits again, and the log says so once

    assert await live_payments(sandbox, "WAIT-1") == []
    state = payment_state(uow_factory, company_id, clock, payment.id)
    assert state.state == "pending" and state.attempts == 0
    assert "to be authorised in Xero" in state.last_error
    with uow_factory() as uow:
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "payment", payment.id)
    assert [(e.action, e.outcome) for e in log] == [("wait", "waiting")]

    invoice = await xero_invoice(sandbox, "WAIT-1")
    await xero_write(
        _Setup(sandbox),  # type: ignore[arg-type]
        "POST",
        f"/Invoices/{invoice['InvoiceID']}",
        {"Invoices": [{"InvoiceID": invoice["InvoiceID"], "Status": "AUTHORISED"}]},
    )
    clock.advance(120)
    await worker.drain()

    assert await standing(sandbox, "WAIT-1") == ("AUTHORISED", Decimal(50), TOTAL - 50)
    assert payment_state(uow_factory, company_id, clock, payment.id).state == "sent"


class _Setup:
    """What ``xero_write`` reads of an export setup: the sandbox."""

    def __init__(self, sandbox: RunningSandbox) -> None:
        self.sandbox = sandbox


async def test_sixty_payments_go_in_two_requests_of_at_most_fifty_each_with_its_own_key(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
) -> None:
    many = bills(uow_factory, company_id, *(f"MANY-{n:02d}" for n in range(60)))
    await make_worker().drain()
    await sandbox_control(sandbox, "DELETE", "/stats")
    for n, bill in enumerate(many):
        pay(uow_factory, company_id, (bill, "1.00"), reference=f"Many {n}")

    await make_worker().drain()

    puts = [r for r in clients.sent if r.method == "PUT" and r.url.path.endswith("/Payments")]
    sizes = [len(json.loads(r.content)["Payments"]) for r in puts]
    assert sorted(sizes) == [10, 50]
    assert len({r.headers["Idempotency-Key"] for r in puts}) == 2
    for number in ("MANY-00", "MANY-59"):
        assert await standing(sandbox, number) == ("AUTHORISED", Decimal(1), TOTAL - 1)


async def test_a_payment_on_a_bill_xero_refused_waits_and_is_never_sent_before_it(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Refused Ltd")
    bill = approved_bill(
        uow_factory, company_id, supplier, "NOPE-1", lines=[line(account_code="999")]
    )
    payment = pay(uow_factory, company_id, (bill, "10.00"))

    await make_worker().run_pass()

    with uow_factory() as uow:
        states = SyncStateRepository(uow.session, clock)
        assert states.get(company_id, "bill", bill.id).state == "failed"  # type: ignore[union-attr]
        log = SyncLogRepository(uow.session, clock).for_document(company_id, "payment", payment.id)
    state = payment_state(uow_factory, company_id, clock, payment.id)
    assert (state.state, state.attempts) == ("pending", 0)
    assert f"waits for bill {bill.id} to reach Xero" in state.last_error
    assert [(e.action, e.outcome) for e in log] == [("wait", "waiting")]
    assert (await sandbox_get(sandbox, "/Payments", where='Reference=="Cheque 1"'))[
        "Payments"
    ] == []
