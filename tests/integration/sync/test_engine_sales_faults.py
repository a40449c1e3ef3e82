"""Sales invoices exactly once in Xero when their batch meets a 500 after the save, a 429,
or an answer dropped after the save (with Idempotency-Keys ignored, so that only the
lookup by number, contact, date and total stands between the save and a duplicate)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from uuid import UUID

import pytest

from ledgerlink.domain import Line
from ledgerlink.domain.parties import Customer
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.repositories.sync_log import SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncStateRepository
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    sandbox_control,
    worker,
)
from tests.integration.sync.test_engine_exactly_once import (
    answered_creates,
    bills_in_xero,
    until_every_create_ran,
)
from xero_sandbox import RunningSandbox

INVOICES = 3


def issued_invoices(uow_factory: UowFactory, company_id: UUID, prefix: str) -> list[SalesInvoice]:
    """A customer and ``INVOICES`` issued invoices to it, numbered ``prefix-n``."""
    customer = Customer.create(company_id=company_id, name=f"{prefix} Buyers Ltd")
    invoices = []
    for n in range(INVOICES):
        invoice = SalesInvoice(
            company_id=company_id,
            customer_id=customer.id,
            number=f"{prefix}-{n}",
            currency="NZD",
            date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            lines=[
                Line(description="Catering", quantity=Decimal(n + 1),
                     unit_price=Decimal("41.20"), account_code="200", tax_type="OUTPUT2",
                     tax_rate=Decimal(15))
            ],
        )  # fmt: skip
        invoice.issue()
        invoices.append(invoice)
    with uow_factory() as uow:
        uow.customers.add(customer)
        for invoice in invoices:
            uow.sales_invoices.add(invoice)
        uow.commit()
    return invoices


def numbers_of(invoices: list[SalesInvoice]) -> list[str]:
    return [i.number or "" for i in invoices]


def sales_sent(uow_factory: UowFactory, company_id: UUID, clock: FakeClock) -> int:
    """How many sales invoices the store records as sent (linked to a Xero invoice)."""
    with uow_factory() as uow:
        states = SyncStateRepository(uow.session, clock).list(
            company_id, state="sent", kind="sales_invoice"
        )
    return len(states)


@pytest.mark.parametrize("status", [500, 503])
async def test_invoices_saved_before_a_5xx_are_found_by_lookup_not_created_twice(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    clients: SandboxClients,
    status: int,
) -> None:
    invoices = issued_invoices(uow_factory, company_id, f"S{status}")
    fault = {"kind": "error_after_commit", "status": status, "method": "PUT", "path": "*/Invoices*"}
    await sandbox_control(sandbox, "POST", "/faults", fault)

    await worker(uow_factory, clients, clock, "sales-5xx").drain()

    numbers = numbers_of(invoices)
    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    with uow_factory() as uow:
        for invoice in invoices:
            log = SyncLogRepository(uow.session, clock).for_document(
                company_id, "sales_invoice", invoice.id
            )
            assert [(e.action, e.outcome) for e in log] == [("create", "retry"), ("lookup", "sent")]
    assert sales_sent(uow_factory, company_id, clock) == INVOICES


async def test_a_dropped_answer_with_keys_ignored_is_found_by_lookup_not_resent(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
) -> None:
    invoices = issued_invoices(uow_factory, company_id, "SDROP")
    numbers = numbers_of(invoices)
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    await sandbox_control(sandbox, "POST", "/faults", {"kind": "drop", "method": "PUT",
                                                       "path": "*/Invoices*"})  # fmt: skip
    export = worker(uow_factory, impatient, clock, "sales-drop")

    await export.run_pass()  # the create lands; its answer is lost
    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    clock.advance(60)
    await export.drain()
    await until_every_create_ran(sandbox, impatient)

    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    assert await answered_creates(sandbox) == 1
    assert sales_sent(uow_factory, company_id, clock) == INVOICES


async def test_a_429_on_the_batch_waits_then_sends_each_invoice_once(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    clients: SandboxClients,
) -> None:
    invoices = issued_invoices(uow_factory, company_id, "S429")
    numbers = numbers_of(invoices)
    fault = {"kind": "error", "status": 429, "retry_after": 1, "method": "PUT",
             "path": "*/Invoices*"}  # fmt: skip
    await sandbox_control(sandbox, "POST", "/faults", fault)
    export = worker(uow_factory, clients, clock, "sales-429")

    await export.run_pass()
    clock.advance(60)
    await export.drain()

    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert "429" in stats["byStatus"]
    assert await bills_in_xero(sandbox, numbers) == Counter(numbers)
    assert sales_sent(uow_factory, company_id, clock) == INVOICES
