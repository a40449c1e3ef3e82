"""Payments made, deleted or moved in Xero (read with If-Modified-Since) are applied here.

Xero sends no webhook for payments: the worker reads them on the company's schedule and
after INVOICE events, through the sandbox over HTTP, and nothing goes back to Xero.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.payments import Payment, PaymentStatus
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.inbound.poll import POLL_SETTING
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    bill_in_xero,
    bills_in_xero,
    outbox_rows,
    pay_in_xero,
    reread,
    set_company_option,
    store_events,
    xero_write,
)
from tests.integration.sync.conftest import SandboxClients, sandbox_get
from xero_sandbox import RunningSandbox


def payments_of(uow_factory: UowFactory, bill: Bill) -> list[Payment]:
    with uow_factory() as uow:
        return uow.payments.list_for_document(bill.company_id, bill.id)


def payment_reads(clients: SandboxClients) -> list[Any]:
    return [r for r in clients.sent if r.method == "GET" and r.url.path.endswith("/Payments")]


async def payment_ids(sandbox: RunningSandbox, invoice_id: str) -> list[str]:
    (invoice,) = (await sandbox_get(sandbox, f"/Invoices/{invoice_id}"))["Invoices"]
    return [payment["PaymentID"] for payment in invoice["Payments"]]


async def delete_in_xero(sandbox: RunningSandbox, payment_id: str) -> None:
    await xero_write(sandbox, "POST", f"/Payments/{payment_id}", {"Status": "DELETED"})


@pytest.mark.parametrize(
    ("paid", "status"),
    [("10.00", BillStatus.PARTIALLY_PAID), (None, BillStatus.PAID)],
    ids=["partial", "full"],
)
async def test_a_payment_made_in_xero_is_a_payment_here_and_nothing_goes_back(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    paid: str | None,
    status: BillStatus,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    amount = Decimal(paid) if paid else bill.total
    await pay_in_xero(sandbox, invoice_id, str(amount))
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()  # never read before: the poll is due

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (status, amount)
    (payment,) = payments_of(uow_factory, bill)
    assert (payment.amount, payment.status, payment.bank_account_code) == (
        amount,
        PaymentStatus.RECORDED,
        "090",
    )
    assert [(a.document_id, a.amount) for a in payment.allocations] == [(bill.id, amount)]
    assert outbox_rows(uow_factory) == before

    async with clients(company_id) as client:  # read again, out of schedule: applied once
        await make_worker().inbound.pull(company_id, client)
    assert reread(uow_factory, bill).amount_paid == amount


async def test_several_payments_of_one_bill_are_each_applied_once(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, "10.00")
    await make_worker().run_pass()
    await pay_in_xero(sandbox, invoice_id, "20.00")
    clock.advance(5 * 60)
    await make_worker().run_pass()
    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("30.00"))
    assert sorted(p.amount for p in payments_of(uow_factory, bill)) == [
        Decimal("10.00"),
        Decimal("20.00"),
    ]


async def test_a_batch_payment_over_two_bills_is_one_payment_split_over_both(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    (first, first_id), (second, second_id) = await bills_in_xero(
        uow_factory, company_id, make_worker, 2
    )
    batch = {"Account": {"Code": "090"}, "Date": "2026-03-10", "Reference": "March run",
             "Payments": [{"Invoice": {"InvoiceID": first_id}, "Amount": str(first.total)},
                          {"Invoice": {"InvoiceID": second_id}, "Amount": "50.00"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/BatchPayments", {"BatchPayments": [batch]})
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    assert reread(uow_factory, first).status is BillStatus.PAID
    assert reread(uow_factory, second).amount_paid == Decimal("50.00")
    (payment,) = payments_of(uow_factory, first)
    assert payment.is_split and payment.amount == first.total + Decimal("50.00")
    assert outbox_rows(uow_factory) == before

    batch_id = made["BatchPayments"][0]["BatchPaymentID"]
    await xero_write(sandbox, "POST", f"/BatchPayments/{batch_id}", {"Status": "DELETED"})
    clock.advance(5 * 60)
    await make_worker().run_pass()
    assert [reread(uow_factory, b).status for b in (first, second)] == [BillStatus.APPROVED] * 2
    assert payments_of(uow_factory, first)[0].status is PaymentStatus.DELETED


async def test_a_payment_deleted_in_xero_is_taken_back_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, str(bill.total))
    await make_worker().run_pass()
    assert reread(uow_factory, bill).status is BillStatus.PAID
    (payment_id,) = await payment_ids(sandbox, invoice_id)
    await delete_in_xero(sandbox, payment_id)
    before = outbox_rows(uow_factory)
    clock.advance(5 * 60)

    await make_worker().run_pass()

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.APPROVED, Decimal("0.00"))
    assert [p.status for p in payments_of(uow_factory, bill)] == [PaymentStatus.DELETED]
    assert outbox_rows(uow_factory) == before


async def test_a_payment_moved_to_another_bill_in_xero_moves_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    (first, first_id), (second, second_id) = await bills_in_xero(
        uow_factory, company_id, make_worker, 2
    )
    await pay_in_xero(sandbox, first_id, "40.00")
    await make_worker().run_pass()
    (payment_id,) = await payment_ids(sandbox, first_id)
    await delete_in_xero(sandbox, payment_id)  # moved: deleted on one, made on the other
    await pay_in_xero(sandbox, second_id, "40.00")
    clock.advance(5 * 60)

    await make_worker().run_pass()

    assert reread(uow_factory, first).amount_paid == Decimal("0.00")
    assert reread(uow_factory, second).amount_paid == Decimal("40.00")
    assert [p.status for p in payments_of(uow_factory, first)] == [PaymentStatus.DELETED]
    assert [p.status for p in payments_of(uow_factory, second)] == [PaymentStatus.RECORDED]


@pytest.mark.parametrize(
    ("type_", "table", "id_field"),
    [
        ("SPEND-OVERPAYMENT", "Overpayments", "OverpaymentID"),
        ("SPEND-PREPAYMENT", "Prepayments", "PrepaymentID"),
    ],
    ids=["overpayment", "prepayment"],
)
async def test_a_credit_allocated_in_xero_pays_the_bill_here_until_it_is_taken_off(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
    type_: str,
    table: str,
    id_field: str,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    invoice = (await sandbox_get(sandbox, f"/Invoices/{invoice_id}"))["Invoices"][0]
    money_out = {"Type": type_, "Contact": {"ContactID": invoice["Contact"]["ContactID"]},
                 "BankAccount": {"Code": "090"}, "Date": "2026-03-05",
                 "LineAmountTypes": "NoTax",
                 "LineItems": [{"Description": "Paid ahead", "LineAmount": "80.00"}]}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/BankTransactions", {"BankTransactions": [money_out]})
    credit_id = made["BankTransactions"][0][id_field]
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": "30.00", "Date": "2026-03-06"}
    placed = await xero_write(
        sandbox, "PUT", f"/{table}/{credit_id}/Allocations", {"Allocations": [allocation]}
    )
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("30.00"))
    assert outbox_rows(uow_factory) == before

    allocation_id = placed["Allocations"][0]["AllocationID"]
    await xero_write(sandbox, "DELETE", f"/{table}/{credit_id}/Allocations/{allocation_id}", None)
    clock.advance(5 * 60)
    await make_worker().run_pass()
    assert reread(uow_factory, bill).amount_paid == Decimal("0.00")


async def test_payments_are_read_on_the_schedule_with_if_modified_since(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    _, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, "10.00")
    worker = make_worker()
    await worker.run_pass()
    first = payment_reads(clients)
    assert len(first) == 1 and "If-Modified-Since" not in first[0].headers

    await worker.run_pass()  # within 5 minutes: not read again
    assert len(payment_reads(clients)) == 1
    clock.advance(5 * 60)
    await worker.run_pass()
    reads = payment_reads(clients)
    assert len(reads) == 2 and reads[1].headers.get("If-Modified-Since")

    set_company_option(uow_factory, company_id, POLL_SETTING, 0)  # off
    clock.advance(60 * 60)
    await worker.run_pass()
    assert len(payment_reads(clients)) == 2


async def test_an_invoice_event_reads_the_payments_before_the_schedule_does(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    worker = make_worker()
    await worker.run_pass()  # read once: nothing paid yet
    await pay_in_xero(sandbox, invoice_id, "25.00")
    clock.advance(1)
    await worker.run_pass()
    assert reread(uow_factory, bill).amount_paid == Decimal("0.00")  # not due yet

    store_events(uow_factory, clock, invoice_id)
    await worker.run_pass()
    assert reread(uow_factory, bill).amount_paid == Decimal("25.00")
