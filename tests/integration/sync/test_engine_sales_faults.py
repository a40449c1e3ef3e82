"""Sales invoices saved in Xero before a 5xx are found by the lookup (by number, contact,
date and total), not created twice; the log shows the retry and the lookup. A 500 after
the save, a 429 and a dropped answer are also met by the sales invoices of
``test_engine_billing_faults``."""

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
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    sandbox_control,
    worker,
)
from tests.integration.sync.faults import sent_count
from tests.integration.sync.test_engine_exactly_once import bills_in_xero
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
    assert sent_count(uow_factory, company_id, clock, "sales_invoice") == INVOICES
