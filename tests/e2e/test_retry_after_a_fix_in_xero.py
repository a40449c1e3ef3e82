"""A bill Xero refused, fixed in Xero (not here) and sent again by a person, reaches Xero.

Xero answers a key it has seen with its first answer: the same unchanged bill sent again
under the same key would be refused for ever. Each retry a person asks for goes under a
key of its own.
"""

from __future__ import annotations

from tests.integration.sync.bills import bill_body, ready, supplier, xero_bill, xero_write
from tests.integration.sync.harness import ExportSetup, export_setup

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
