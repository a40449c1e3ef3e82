"""A bill Xero refused, fixed in Xero (not here) and sent again by a person, reaches Xero.

Xero answers a key it has seen with its first answer: the same unchanged bill sent again
under the same key would be refused for ever. Each retry a person asks for goes under a
key of its own.
"""

from __future__ import annotations

import datetime as dt

from tests.integration.sync.bills import (
    bill_body,
    pay_in_xero,
    ready,
    supplier,
    xero_bill,
    xero_write,
)
from tests.integration.sync.harness import ExportSetup, export_setup
from xero_client import parse_date
from xero_sandbox import DEMO_TENANT_ID

__all__ = ["export_setup", "ready"]


async def account_status(setup: ExportSetup, code: str, status: str) -> None:
    found = (await setup.xero("/Accounts", where=f'Code=="{code}"'))["Accounts"]
    await xero_write(
        setup, "POST", f"/Accounts/{found[0]['AccountID']}", {"Accounts": [{"Status": status}]}
    )


async def test_a_bill_refused_then_fixed_in_xero_is_sent_by_each_retry(ready: ExportSetup) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    ready.approve(f"/bills/{created['id']}")
    await account_status(ready, "429", "ARCHIVED")
    await ready.run_worker()
    failed = ready.get(f"/sync/bill/{created['id']}")
    assert failed["state"] == "failed"
    assert "has been archived" in failed["last_error"]

    ready.post(f"/sync/bill/{created['id']}/retry")  # not fixed yet: refused again
    await ready.run_worker()
    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "failed"

    await account_status(ready, "429", "ACTIVE")
    ready.post(f"/sync/bill/{created['id']}/retry")
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert state["state"] == "sent", state
    assert (await xero_bill(ready))["Status"] == "AUTHORISED"


async def lock_the_books(setup: ExportSetup, until: str | None) -> None:
    await setup.control(
        "POST", f"/tenants/{DEMO_TENANT_ID}/lock-dates", {"period_lock_date": until}
    )


async def test_an_update_refused_then_fixed_in_xero_is_sent_by_a_retry(
    ready: ExportSetup,
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    path = f"/bills/{created['id']}"
    ready.approve(path)
    await ready.run_worker()
    await pay_in_xero(ready, (await xero_bill(ready))["InvoiceID"], "10.00")
    ready.patch(path, {"due_date": "2026-04-30"})
    await ready.run_worker()
    failed = ready.get(f"/sync/bill/{created['id']}")
    assert failed["state"] == "failed", failed
    assert "payment" in failed["last_error"].lower()

    paid = await xero_bill(ready)  # the fix, in Xero: the payment goes
    for payment in paid["Payments"]:
        await xero_write(ready, "POST", f"/Payments/{payment['PaymentID']}", {"Status": "DELETED"})
    ready.post(f"/sync/bill/{created['id']}/retry")
    await ready.run_worker()

    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "sent"
    assert parse_date((await xero_bill(ready))["DueDate"]) == dt.date(2026, 4, 30)


async def test_a_cancellation_refused_then_fixed_in_xero_is_sent_by_a_retry(
    ready: ExportSetup,
) -> None:
    created = ready.post("/bills", bill_body(supplier(ready)), status=201)
    ready.approve(f"/bills/{created['id']}")
    await ready.run_worker()
    await lock_the_books(ready, "2026-03-31")
    ready.post(f"/bills/{created['id']}/cancel")
    await ready.run_worker()
    failed = ready.get(f"/sync/bill/{created['id']}")
    assert failed["state"] == "failed", failed
    assert "lock date" in failed["last_error"]

    ready.post(f"/sync/bill/{created['id']}/retry")  # not fixed yet: refused again
    await ready.run_worker()
    assert ready.get(f"/sync/bill/{created['id']}")["state"] == "failed"

    await lock_the_books(ready, None)
    ready.post(f"/sync/bill/{created['id']}/retry")
    await ready.run_worker()

    state = ready.get(f"/sync/bill/{created['id']}")
    assert (state["state"], state["xero_status"]) == ("sent", "VOIDED"), state
    assert (await xero_bill(ready))["Status"] == "VOIDED"
