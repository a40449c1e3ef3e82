"""The worker applies stored INVOICE events to linked bills, echoing nothing back to Xero."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.sync.engine import Worker
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    bill_in_xero,
    connect,
    outbox_rows,
    pay_in_xero,
    reread,
    store_events,
    stored,
    xero_write,
)
from tests.integration.sync.conftest import (
    SandboxClients,
    add_supplier,
    approved_bill,
    approved_order,
    sandbox_get,
)
from xero_client import RateLimited, XeroClient
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


def failing_worker(
    uow_factory: UowFactory, clock: FakeClock, failure: Callable[[], Exception]
) -> tuple[Worker, list[UUID]]:
    """A worker whose every Xero client raises ``failure()``, and the companies it tried."""
    tries: list[UUID] = []

    @asynccontextmanager
    async def failing(company: UUID) -> AsyncIterator[XeroClient]:
        tries.append(company)
        raise failure()
        yield  # pragma: no cover

    return Worker(uow_factory, failing, clock=clock), tries


def one_event_failing(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock, failure: Callable[[], Exception]
) -> tuple[Worker, list[UUID]]:
    """The company connected with one event stored, and a ``failing_worker`` for it."""
    with uow_factory() as uow:
        connect(uow, company_id, DEMO_TENANT_ID)
    store_events(uow_factory, clock, str(uuid4()))
    return failing_worker(uow_factory, clock, failure)


async def test_a_bill_paid_in_xero_is_paid_here_and_nothing_goes_back(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, str(bill.total))
    store_events(uow_factory, clock, invoice_id)
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    paid = reread(uow_factory, bill)
    assert (paid.status, paid.amount_paid, paid.amount_due) == (
        BillStatus.PAID,
        bill.total,
        Decimal("0.00"),
    )
    assert outbox_rows(uow_factory) == before
    with uow_factory() as uow:
        (event,) = stored(uow)
    assert event["processed_at"] is not None and event["note"] is None


async def test_a_part_payment_in_xero_leaves_the_bill_partly_paid(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, "10.00")
    store_events(uow_factory, clock, invoice_id)
    await make_worker().run_pass()
    clock.advance(1)
    store_events(uow_factory, clock, invoice_id)
    await make_worker().run_pass()  # the same state again changes nothing
    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("10.00"))


@pytest.mark.parametrize(
    ("status", "arrival"), [("VOIDED", None), ("DELETED", "DRAFT")], ids=["voided", "deleted"]
)
async def test_a_bill_voided_or_deleted_in_xero_is_cancelled_here_and_nothing_goes_back(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
    status: str,
    arrival: str | None,
) -> None:
    sent = {"bill_status": arrival} if arrival else {}
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker, **sent)
    body = {"Invoices": [{"InvoiceID": invoice_id, "Status": status}]}
    await xero_write(sandbox, "POST", f"/Invoices/{invoice_id}", body)
    store_events(uow_factory, clock, invoice_id)
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    assert reread(uow_factory, bill).status is BillStatus.CANCELLED
    assert outbox_rows(uow_factory) == before


async def test_an_event_for_an_invoice_linked_to_no_bill_is_processed_with_a_note(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    clock: FakeClock,
) -> None:
    with uow_factory() as uow:
        connect(uow, company_id, DEMO_TENANT_ID)
    unknown = str(uuid4())
    store_events(uow_factory, clock, unknown)
    await make_worker().run_pass()
    with uow_factory() as uow:
        (event,) = stored(uow)
    assert event["processed_at"] is not None
    assert event["note"] == f"no bill or sales invoice here is linked to Xero invoice {unknown}"


async def test_invoices_are_fetched_at_most_100_ids_per_call(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    with uow_factory() as uow:
        connect(uow, company_id, DEMO_TENANT_ID)
    store_events(uow_factory, clock, *(str(uuid4()) for _ in range(150)))
    await make_worker().run_pass()
    calls = [r for r in clients.sent if r.method == "GET" and r.url.path.endswith("/Invoices")]
    assert [len(r.url.params["IDs"].split(",")) for r in calls] == [100, 50]
    with uow_factory() as uow:
        assert all(row["processed_at"] is not None for row in stored(uow))


async def test_events_stored_before_a_worker_died_are_applied_by_the_next_one(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, str(bill.total))
    store_events(uow_factory, clock, invoice_id)

    dying, _ = failing_worker(uow_factory, clock, lambda: RuntimeError("the worker was killed"))
    await dying.inbound.run_pass()
    with uow_factory() as uow:
        assert [row["processed_at"] for row in stored(uow)] == [None]
    assert reread(uow_factory, bill).status is BillStatus.APPROVED

    clock.advance(120)  # the dead worker's lease has run out
    await make_worker().run_pass()
    assert reread(uow_factory, bill).status is BillStatus.PAID
    with uow_factory() as uow:
        assert stored(uow)[0]["processed_at"] is not None


async def test_a_company_whose_events_failed_rests_before_they_are_tried_again(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    worker, tries = one_event_failing(
        uow_factory, company_id, clock, lambda: RuntimeError("Xero is down")
    )
    await worker.inbound.run_pass()
    await worker.inbound.run_pass()
    assert len(tries) == 1
    clock.advance(31)
    await worker.inbound.run_pass()
    assert len(tries) == 2


async def test_events_out_of_order_apply_what_xero_holds_now_once(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, "10.00")
    await pay_in_xero(sandbox, invoice_id, "20.00")
    clock.advance(60)
    store_events(uow_factory, clock, invoice_id)  # the later event arrives first
    clock.advance(-30)
    store_events(uow_factory, clock, invoice_id)
    clients.sent.clear()

    await make_worker().run_pass()

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("30.00"))
    reads = [r for r in clients.sent if r.method == "GET" and r.url.path.endswith("/Invoices")]
    assert len(reads) == 1  # one read of the invoice for both events
    with uow_factory() as uow:
        assert [row["processed_at"] is not None for row in stored(uow)] == [True, True]


async def test_a_company_whose_daily_budget_is_spent_waits_until_xero_resets_it(
    uow_factory: UowFactory, company_id: UUID, clock: FakeClock
) -> None:
    worker, tries = one_event_failing(
        uow_factory,
        company_id,
        clock,
        lambda: RateLimited("daily limit", limit="day", retry_after=3600),
    )
    await worker.inbound.run_pass()
    clock.advance(31)  # past the rest after other failures, not past Xero's reset
    await worker.inbound.run_pass()
    assert len(tries) == 1
    clock.advance(3600)
    await worker.inbound.run_pass()
    assert len(tries) == 2
    with uow_factory() as uow:
        assert [row["processed_at"] for row in stored(uow)] == [None]  # kept, not lost


async def test_a_purchase_order_is_paid_here_when_xero_pays_its_bill(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    supplier = add_supplier(uow_factory, company_id, "Lamp Co")
    order = approved_order(uow_factory, company_id, supplier, "PO-0042")
    bill = approved_bill(uow_factory, company_id, supplier, "SUP-42", purchase_order_id=order.id)
    await make_worker().drain(max_seconds=30)
    with uow_factory() as uow:
        link = uow.xero_links.get(company_id, "bill", bill.id)
        connect(uow, company_id, DEMO_TENANT_ID)
    assert link is not None
    await pay_in_xero(sandbox, link.xero_id, "10.00")
    store_events(uow_factory, clock, link.xero_id)
    await make_worker().run_pass()
    assert not paid_order(uow_factory, order)  # partly paid: not yet

    await pay_in_xero(sandbox, link.xero_id, str(bill.total - Decimal("10.00")))
    clock.advance(1)
    store_events(uow_factory, clock, link.xero_id)
    before = outbox_rows(uow_factory)
    await make_worker().run_pass()

    assert reread(uow_factory, bill).status is BillStatus.PAID
    assert paid_order(uow_factory, order)
    assert outbox_rows(uow_factory) == before

    (payment, _) = (await sandbox_get(sandbox, f"/Invoices/{link.xero_id}"))["Invoices"][0][
        "Payments"
    ]
    await xero_write(sandbox, "POST", f"/Payments/{payment['PaymentID']}", {"Status": "DELETED"})
    clock.advance(5 * 60)
    await make_worker().run_pass()
    assert reread(uow_factory, bill).status is BillStatus.PARTIALLY_PAID
    assert not paid_order(uow_factory, order)


def paid_order(uow_factory: UowFactory, order: PurchaseOrder) -> bool:
    with uow_factory() as uow:
        found = uow.purchase_orders.get(order.company_id, order.id)
    assert found is not None
    return found.paid
