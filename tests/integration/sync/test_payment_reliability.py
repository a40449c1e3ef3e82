"""Payments exactly once under faults in real worker processes: bills and their payments
(single and split) recorded together, injected 500s, 429s, answers dropped after commit,
and the worker process killed (SIGKILL) while a payment request is in flight, then
restarted.

Every payment element must be in the sandbox exactly once (counted there), none lost.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.payments import Allocation, Payment, settle
from ledgerlink.store.migrate import upgrade
from tests.integration.sync.test_reliability import (
    approved,
    control,
    run_with_a_kill,
    xero_list,
)
from xero_sandbox import (
    RunningSandbox,
)

BILLS = 100
SUPPLIERS = 10


def bills_and_payments(container: Container) -> Counter[tuple[str, str]]:
    """Approved bills, a payment of 10.00 on each, and one payment of 5.00 + 5.00 over each
    pair; returns the Xero payments expected, as (reference, bill number) counts."""
    expected: Counter[tuple[str, str]] = Counter()
    with container.uow() as uow:
        company_id = uow.companies.add("Acme Ltd").id
        suppliers = [
            Supplier.create(company_id=company_id, name=f"Payee {n}") for n in range(SUPPLIERS)
        ]
        for supplier in suppliers:
            uow.suppliers.add(supplier)
        bills = []
        for n in range(BILLS):
            line = {"description": f"Service {n}", "unit_price": Decimal("40.00") + n}
            bill = approved(company_id, suppliers[n % SUPPLIERS], f"PB-{n:04d}", line)
            uow.bills.add(bill)
            bills.append(bill)

        def paying(reference: str, *paid: Bill, each: str) -> None:
            payment = Payment.record(
                company_id=company_id, date=dt.date(2026, 3, 10),
                amount=Decimal(each) * len(paid), currency="NZD", bank_account_code="090",
                reference=reference,
                allocations=tuple(Allocation(document_id=b.id, amount=Decimal(each))
                                  for b in paid),
            )  # fmt: skip
            settle(payment, {b.id: b for b in paid})  # type: ignore[misc]
            uow.payments.add(payment)
            expected.update((reference, b.invoice_number or "") for b in paid)

        for n, bill in enumerate(bills):
            paying(f"ONE-{n:04d}", bill, each="10.00")
        for n in range(0, BILLS, 2):
            paying(f"TWO-{n:04d}", bills[n], bills[n + 1], each="5.00")
        uow.commit()
    return expected


def arm_faults(sandbox: RunningSandbox) -> None:
    """In order, on payment creates: a 500, a dropped answer, a 429, another drop, then a
    slow call to kill the worker during."""
    for fault in (
        {"kind": "error", "status": 500},
        {"kind": "drop"},
        {"kind": "error", "status": 429, "retry_after": 1},
        {"kind": "drop"},
        {"kind": "delay", "delay_ms": 3000},
    ):
        control(sandbox, "POST", "/faults", {"method": "PUT", "path": "*/Payments*", **fault})


def xero_payments(sandbox: RunningSandbox) -> Counter[tuple[str, str]]:
    """The live payments the sandbox holds, as (reference, bill number) counts."""
    return Counter(
        (p["Reference"], p["Invoice"]["InvoiceNumber"])
        for p in xero_list(sandbox, "/Payments", "Payments")
        if p["Status"] != "DELETED" and p["Reference"][:4] in ("ONE-", "TWO-")
    )


@pytest.mark.slow
def test_payments_reach_xero_exactly_once_through_faults_and_a_killed_worker(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    database_url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(database_url)
    container = Container(Settings(database_url=database_url))
    expected = bills_and_payments(container)
    arm_faults(sandbox)

    run_with_a_kill(database_url, sandbox, ["worker-1"], tmp_path, arm=False)

    found = xero_payments(sandbox)
    assert {k: n for k, n in found.items() if n != 1} == {}
    assert set(found) == set(expected)
    with container.uow() as uow:
        rows = [r for r in uow.outbox.list(limit=5000) if r.reaches_xero]
    assert Counter(r.state for r in rows) == Counter({"done": len(rows)})
    stats = control(sandbox, "GET", "/stats")
    assert isinstance(stats, dict)
    assert {"500", "429"} <= set(stats["byStatus"])
    container.close()
