"""Two workers on one organisation's inbound pass: the one that lost its lease applies
nothing more, so an older answer from Xero never goes over a newer one (SQLite, PostgreSQL).

A bill is paid in Xero and Xero's INVOICE event is stored. Worker A takes the company's
events and reads its payments, and stalls with Xero's answer in hand (the payment) until
long past its lease. Meanwhile the payment is deleted in Xero; worker B takes the company
over and applies what Xero holds now: the bill is unpaid. Then A wakes with its old answer:
the transaction that would record the payment finds the company is no longer A's and is
rolled back. The bill stays as Xero holds it, and the event is applied once, by B.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from uuid import UUID

import httpx

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.payments import PaymentStatus
from ledgerlink.store.repositories.webhook_events import WebhookEventRepository
from ledgerlink.sync.engine import Worker
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import bill_in_xero, pay_in_xero, reread, store_events
from tests.integration.inbound.test_payments_poll import delete_in_xero, payment_ids, payments_of
from tests.integration.sync.conftest import SandboxClients, worker
from tests.integration.sync.stalls import StallingClients
from xero_sandbox import RunningSandbox

LEASE_SECONDS = 60.0


def payment_listings(response: httpx.Response) -> bool:
    return response.request.method == "GET" and response.url.path.endswith("/Payments")


async def test_a_worker_taken_over_mid_pass_puts_no_older_answer_over_a_newer_one(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clients: SandboxClients,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    await pay_in_xero(sandbox, invoice_id, str(bill.total))
    store_events(uow_factory, clock, invoice_id)
    holding = StallingClients(sandbox.base_url, answer=payment_listings)
    first = worker(uow_factory, holding, clock, "worker-a", lease_seconds=LEASE_SECONDS)
    second = worker(uow_factory, clients, clock, "worker-b", lease_seconds=LEASE_SECONDS)

    passing = asyncio.create_task(first.run_pass())
    await asyncio.wait_for(holding.stalled.wait(), timeout=30)
    (payment_id,) = await payment_ids(sandbox, invoice_id)
    await delete_in_xero(sandbox, payment_id)
    clock.advance(LEASE_SECONDS + 1)  # A's lease has run out; B may take the company
    await second.run_pass()
    applied_by_b = reread(uow_factory, bill)
    holding.wake.set()
    await asyncio.wait_for(passing, timeout=30)

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.APPROVED, Decimal("0.00"))
    assert found.version == applied_by_b.version  # A wrote nothing to it
    live = [p for p in payments_of(uow_factory, bill) if p.status is not PaymentStatus.DELETED]
    assert live == []
    with uow_factory() as uow:
        events = WebhookEventRepository(uow.session)
        assert events.pending(company_id, 10) == []  # applied, by B
