"""Uses of credit exactly once through faults: a refund allocated to its invoice and a
refund paid out, each sent while Xero answers 500 before or after committing, 429, or
drops its answer after committing. Idempotency-Keys are ignored by the sandbox here, so the
lookup before a resend alone stands between a lost answer and a second allocation or
payment. Each test reads what the sandbox holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.e2e.test_export_refunds import money, number_of, payments_on, xero_note
from tests.integration.conftest import FakeClock
from tests.integration.sync.bills import ready
from tests.integration.sync.conftest import READ_TIMEOUT, SandboxClients, worker
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.sales import customer, invoice_body, issue, xero_invoice

__all__ = ["export_setup", "ready"]


def refund(setup: ExportSetup, customer_id: str, invoice_id: str, **extra: str) -> Any:
    body = {"customer_id": customer_id, "invoice_id": invoice_id, "date": "2026-03-06",
            "amount": "20.00", "currency": "NZD", **extra}  # fmt: skip
    return setup.post("/refunds", body, status=201)


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "error", "status": 500},
        {"kind": "error", "status": 429},
        {"kind": "drop"},
        {"kind": "error_after_commit", "status": 500},
    ],
    ids=["500", "429", "dropped-after-commit", "500-after-commit"],
)
async def test_each_allocation_and_refund_paid_out_is_in_xero_once_whatever_the_fault(
    ready: ExportSetup, fault: dict[str, Any]
) -> None:
    customer_id = customer(ready)
    paid = issue(ready, invoice_body(customer_id, number="INV-1"))
    owing = issue(ready, invoice_body(customer_id, number="INV-2"))
    ready.post(
        "/payments",
        {"date": "2026-03-05", "amount": paid["total"], "currency": "NZD",
         "bank_account_code": "090", "party_id": customer_id,
         "allocations": [{"document_id": paid["id"], "amount": paid["total"]}]},
        status=201,
    )  # fmt: skip
    await ready.run_worker()
    allocated = refund(ready, customer_id, owing["id"])
    paid_out = refund(ready, customer_id, paid["id"], bank_account_code="090")
    await ready.control("POST", "/idempotency", {"honour_keys": False})
    for path in ("*/Allocations*", "*/Payments*"):
        await ready.control("POST", "/faults", {"method": "PUT", "path": path, **fault})

    clock = FakeClock(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    impatient = SandboxClients(ready.sandbox.base_url, read_timeout=READ_TIMEOUT, attempts=1)
    await worker(ready.container.uow, impatient, clock, "faulty").run_pass()
    clock.advance(60)
    await worker(ready.container.uow, impatient, clock, "faulty").drain()

    note = await xero_note(ready, number_of("RF", allocated["id"]))
    assert [money(a["Amount"]) for a in note["Allocations"]] == [20]
    assert money((await xero_invoice(ready, "INV-2"))["AmountDue"]) == money(owing["total"]) - 20
    out = await xero_note(ready, number_of("RF", paid_out["id"]))
    where = f'Invoice.InvoiceID==Guid("{out["CreditNoteID"]}")'  # how Xero names it
    assert [money(p["Amount"]) for p in await payments_on(ready, where)] == [20]
    assert (out["Status"], money(out["RemainingCredit"])) == ("PAID", 0)
    for made in (allocated, paid_out):
        assert ready.get(f"/sync/credit_use/{made['use_id']}")["state"] == "sent"
