"""Sales invoices for new customers and new items exactly once in Xero through injected
faults and a worker process killed (SIGKILL) while an invoice batch is in flight, then
restarted: every customer, item and invoice in the sandbox once (counted there)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain import Line
from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.parties import Customer
from ledgerlink.domain.sales_invoice import SalesInvoice
from ledgerlink.store.migrate import upgrade
from tests.integration.sync.test_reliability import control, run_with_a_kill, xero_list
from xero_sandbox import (
    RunningSandbox,
)

INVOICES = 120
CUSTOMERS = 60
ITEMS = 12


def issued_invoices(container: Container) -> None:
    """New customers and new items, and issued invoices using them (none in Xero yet)."""
    with container.uow() as uow:
        company_id = uow.companies.add("Acme Ltd").id
        customers = [
            Customer.create(company_id=company_id, name=f"Buyer {n:03d}") for n in range(CUSTOMERS)
        ]
        items = [
            Item.create(company_id=company_id, code=f"KIT-{n:02d}", name=f"Kit {n}",
                        sales_price=Decimal("19.90"), sales_account_code="200")
            for n in range(ITEMS)
        ]  # fmt: skip
        for customer in customers:
            uow.customers.add(customer)
        for item in items:
            uow.items.add(item)
        for n in range(INVOICES):
            invoice = SalesInvoice(
                company_id=company_id,
                customer_id=customers[n % CUSTOMERS].id,
                number=f"SI-{n:04d}",
                currency="NZD",
                date=dt.date(2026, 3, 1),
                due_date=dt.date(2026, 3, 31),
                lines=[Line(description="Kit", quantity=Decimal(1 + n % 3),
                            unit_price=Decimal("19.90"), item_code=items[n % ITEMS].code,
                            account_code="200", tax_type="OUTPUT2", tax_rate=Decimal(15))],
            )  # fmt: skip
            invoice.issue()
            uow.sales_invoices.add(invoice)
        uow.commit()


def arm_faults(sandbox: RunningSandbox) -> None:
    """In order: a 503 on the contacts, a 500 and a 429 on the items, then on invoice
    creates a 500, a dropped answer, a 429, another drop and a slow call to kill during."""
    for fault in (
        {"kind": "error", "status": 503, "path": "*/Contacts*"},
        {"kind": "error", "status": 500, "path": "*/Items*"},
        {"kind": "error", "status": 429, "retry_after": 1, "path": "*/Items*"},
        {"kind": "error", "status": 500, "path": "*/Invoices*"},
        {"kind": "drop", "path": "*/Invoices*"},
        {"kind": "error", "status": 429, "retry_after": 1, "path": "*/Invoices*"},
        {"kind": "drop", "path": "*/Invoices*"},
        {"kind": "delay", "delay_ms": 3000, "path": "*/Invoices*"},
    ):
        control(sandbox, "POST", "/faults", {"method": "PUT", **fault})


def counts(records: list[dict[str, Any]], field: str, prefix: str) -> Counter[str]:
    return Counter(r[field] for r in records if str(r.get(field, "")).startswith(prefix))


@pytest.mark.slow
def test_invoices_with_new_customers_and_items_reach_xero_once_through_a_killed_worker(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url))
    issued_invoices(container)
    arm_faults(sandbox)

    run_with_a_kill(database_url, sandbox, ["worker-1"], tmp_path, arm=False)

    invoices = [i for i in xero_list(sandbox, "/Invoices", "Invoices") if i["Type"] == "ACCREC"]
    assert counts(invoices, "InvoiceNumber", "SI-") == Counter(
        f"SI-{n:04d}" for n in range(INVOICES)
    )
    contacts = xero_list(sandbox, "/Contacts", "Contacts")
    assert counts(contacts, "Name", "Buyer ") == Counter(f"Buyer {n:03d}" for n in range(CUSTOMERS))
    items = xero_list(sandbox, "/Items", "Items")
    assert counts(items, "Code", "KIT-") == Counter(f"KIT-{n:02d}" for n in range(ITEMS))
    with container.uow() as uow:
        rows = [r for r in uow.outbox.list(limit=5000) if r.reaches_xero]
    assert Counter(r.state for r in rows) == Counter({"done": len(rows)})
    stats = control(sandbox, "GET", "/stats")
    assert isinstance(stats, dict)
    assert {"500", "503", "429"} <= set(stats["byStatus"])
    container.close()
