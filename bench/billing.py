"""The billing half to Xero under Xero's real limits: calls and time.

1,000 issued sales invoices for 1,000 new customers using 100 new products (items), then
1,500 payment elements: 500 partial payments of one invoice each, and 500 payments split
over two invoices each (every invoice ends partly paid, some by two payments). The
sandbox enforces Xero's limits (60 calls a minute and 5 at once per organisation, the
daily limit); its clock is simulated, so the rate limiter's waits cost no real time and
the simulated seconds are what the work would take against Xero. Beside it, the same
work sent one call per document (each customer, item, invoice and payment alone) under
the same limits, measured in the same run. One JSON line per phase, and one for the whole.

    python -m bench.billing [--invoices 1000] [--products 100] [--payments 500]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from tests.client.sandbox.conftest import Connected, connect

from ledgerlink.domain import Line
from ledgerlink.domain.catalogue import Item as OurItem
from ledgerlink.domain.parties import Customer
from ledgerlink.domain.payments import Allocation, Payment, settle
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import Worker, WorkerConfig
from xero_client import Account, Contact, Invoice, Item, ItemPrice, LineItem, XeroClient
from xero_client import Payment as XeroPayment
from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, serve_in_thread

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PRICE = Decimal("40.00")
PAID_ON = dt.date(2026, 3, 10)


class DemoClients:
    def __init__(self, xero: Connected) -> None:
        self.xero = xero

    @asynccontextmanager
    async def __call__(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        yield self.xero.client(DEMO_TENANT_ID)


def emit(run: str, **figures: Any) -> None:
    print(
        json.dumps(
            {
                "bench": "billing",
                "run": run,
                **figures,
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        ),
        flush=True,
    )


def issue_invoices(
    uow_factory: Any, invoices: int, products: int
) -> tuple[UUID, list[SalesInvoice]]:
    """A company, ``invoices`` new customers and ``products`` new items, and one issued
    invoice per customer of one line using one of the items."""
    with uow_factory() as uow:
        company_id = uow.companies.add("Bench billing").id
        customers = [
            Customer.create(company_id=company_id, name=f"Customer {n:05d}")
            for n in range(invoices)
        ]
        items = [
            OurItem.create(company_id=company_id, code=f"PROD-{n:03d}", name=f"Product {n}",
                           sales_price=PRICE, sales_account_code="200", sales_tax_type="OUTPUT2")
            for n in range(products)
        ]  # fmt: skip
        for customer in customers:
            uow.customers.add(customer)
        for item in items:
            uow.items.add(item)
        issued = []
        for n, customer in enumerate(customers):
            invoice = SalesInvoice(
                company_id=company_id,
                customer_id=customer.id,
                number=f"BI-{n:05d}",
                currency="NZD",
                date=dt.date(2026, 3, 1),
                due_date=dt.date(2026, 3, 31),
                lines=[Line(description="Product", quantity=Decimal(1), unit_price=PRICE,
                            item_code=items[n % products].code, account_code="200",
                            tax_type="OUTPUT2", tax_rate=Decimal(15))],
            )  # fmt: skip
            invoice.issue()
            uow.sales_invoices.add(invoice)
            issued.append(invoice)
        uow.commit()
    return company_id, issued


def record_payments(
    uow_factory: Any, company_id: UUID, invoices: list[SalesInvoice], payments: int
) -> int:
    """``payments`` partial payments of one invoice each (the first ones), and ``payments``
    payments each split over two invoices (the first ``2 × payments``, so an invoice may be
    paid in part twice); returns the payment elements (one per invoice paid)."""
    elements = 0
    with uow_factory() as uow:
        stored = uow.sales_invoices.get_many(company_id, [i.id for i in invoices])

        def paying(reference: str, parts: list[tuple[SalesInvoice, Decimal]]) -> None:
            payment = Payment.record(
                company_id=company_id, date=PAID_ON, currency="NZD", bank_account_code="090",
                amount=sum((a for _, a in parts), Decimal(0)), reference=reference,
                allocations=tuple(Allocation(document_id=i.id, amount=a) for i, a in parts),
            )  # fmt: skip
            settle(payment, {i.id: stored[i.id] for i, _ in parts})
            uow.payments.add(payment)

        for n in range(payments):
            paying(f"PART-{n:05d}", [(invoices[n], Decimal("10.00"))])
            elements += 1
        for n in range(payments):
            first, second = invoices[2 * n], invoices[2 * n + 1]
            paying(f"SPLIT-{n:05d}", [(first, Decimal("20.00")), (second, Decimal("25.00"))])
            elements += 2
        uow.commit()
    return elements


async def drained(xero: Connected, worker: Worker) -> dict[str, Any]:
    """Drain ``worker``; the calls, simulated and real seconds it took."""
    await xero.control("DELETE", "/stats")
    simulated_start, started = xero.clock.now(), time.perf_counter()
    report = await worker.drain()
    stats = await xero.control("GET", "/stats")
    return {
        "documents_settled": report.documents,
        "api_calls": stats["total"],
        "api_calls_by_status": stats["byStatus"],
        "simulated_seconds": round((xero.clock.now() - simulated_start).total_seconds(), 1),
        "real_seconds": round(time.perf_counter() - started, 2),
    }


async def in_xero(xero: Connected) -> dict[str, int]:
    """What Xero holds of the run (read back afterwards, each counted once)."""
    client = xero.client(DEMO_TENANT_ID)
    invoices = {
        i.invoice_number async for i in client.iter_invoices(page_size=1000) if i.type == "ACCREC"
    }
    payments = [p async for p in client.iter_payments(page_size=1000) if p.status != "DELETED"]
    return {"invoices_in_xero": len(invoices), "payment_elements_in_xero": len(payments)}


async def one_call_per_document(
    xero: Connected, invoices: int, products: int, payments: int
) -> dict[str, Any]:
    """The baseline: each customer, item, invoice and payment element in its own call,
    under the same limits."""
    client = xero.client(DEMO_TENANT_ID)
    xero.clock.advance(61)  # a fresh minute
    await xero.control("DELETE", "/stats")
    simulated_start, started = xero.clock.now(), time.perf_counter()
    for n in range(products):
        item = Item(code=f"NAIVE-{n:03d}", name=f"Naive product {n}",
                    sales_details=ItemPrice(unit_price=PRICE, account_code="200"))  # fmt: skip
        await client.create_items([item], idempotency_key=f"naive-item-{n}")
    invoice_ids = []
    for n in range(invoices):
        made = await client.create_contacts(
            [Contact(name=f"Naive customer {n:05d}")], idempotency_key=f"naive-c-{n}"
        )
        invoice = Invoice(
            type="ACCREC", invoice_number=f"NAIVE-{n:05d}",
            contact=Contact(contact_id=made[0].id), date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31), status="AUTHORISED",
            line_items=(LineItem(description="Product", quantity=Decimal(1), unit_amount=PRICE,
                                 item_code=f"NAIVE-{n % products:03d}", account_code="200",
                                 tax_type="OUTPUT2"),),
        )  # fmt: skip
        sent = await client.create_invoices([invoice], idempotency_key=f"naive-i-{n}")
        invoice_ids.append(sent[0].id)
    paid = [(invoice_ids[n], Decimal("10.00")) for n in range(payments)]
    for n in range(payments):
        paid += [
            (invoice_ids[2 * n], Decimal("20.00")),
            (invoice_ids[2 * n + 1], Decimal("25.00")),
        ]
    for n, (invoice_id, amount) in enumerate(paid):
        element = XeroPayment(
            invoice=Invoice(invoice_id=invoice_id), account=Account(code="090"), date=PAID_ON,
            amount=amount, reference=f"NAIVE-P-{n:05d}",
        )  # fmt: skip
        await client.create_payments([element], idempotency_key=f"naive-p-{n}")
    stats = await xero.control("GET", "/stats")
    return {
        "api_calls": stats["total"],
        "simulated_seconds": round((xero.clock.now() - simulated_start).total_seconds(), 1),
        "real_seconds": round(time.perf_counter() - started, 2),
    }


async def run(folder: Path, invoices: int, products: int, payments: int) -> None:
    clock = SandboxClock.manual(START)
    with serve_in_thread(SandboxConfig(seed="empty", limits="xero"), clock) as sandbox:
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0)) as http:
            xero = await connect(http, sandbox.base_url, clock)
            engine = make_engine(f"sqlite:///{folder / 'billing.db'}")
            upgrade_engine(engine)
            sessions = make_session_factory(engine)

            def uow_factory() -> SqlUnitOfWork:
                return SqlUnitOfWork(sessions)

            company_id, issued = issue_invoices(uow_factory, invoices, products)
            clients = DemoClients(xero)
            sales = await drained(
                xero, Worker(uow_factory, clients, config=WorkerConfig(name="b1"))
            )
            elements = record_payments(uow_factory, company_id, issued, payments)
            paid = await drained(xero, Worker(uow_factory, clients, config=WorkerConfig(name="b2")))
            held = await in_xero(xero)
            naive = await one_call_per_document(xero, invoices, products, payments)
            engine.dispose()
    common = {"limits": "xero", "invoices": invoices, "customers": invoices, "products": products}
    emit("sales invoices", **common, **sales, invoices_in_xero=held["invoices_in_xero"])
    emit("payments", payment_elements=elements, **paid,
         payment_elements_in_xero=held["payment_elements_in_xero"])  # fmt: skip
    emit(
        "billing",
        **common,
        payment_elements=elements,
        api_calls=sales["api_calls"] + paid["api_calls"],
        simulated_seconds=round(sales["simulated_seconds"] + paid["simulated_seconds"], 1),
        real_seconds=round(sales["real_seconds"] + paid["real_seconds"], 2),
        target_api_calls=100,
        one_call_per_document_calls=naive["api_calls"],
        one_call_per_document_simulated_seconds=naive["simulated_seconds"],
        one_call_per_document_real_seconds=naive["real_seconds"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--payments", type=int, default=500)
    args = parser.parse_args()
    if args.invoices < 2 * args.payments:
        parser.error("--invoices must be at least 2 × --payments (each split pays two)")
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(Path(folder), args.invoices, args.products, args.payments))


if __name__ == "__main__":
    main()
