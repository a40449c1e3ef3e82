"""`ledgerlink up` wires the sandbox's webhooks to the API: a bill paid in Xero is paid here."""

import asyncio
import time
from typing import Any

import httpx

from tests.e2e.test_up import Up, connect_and_import, up
from tests.integration.sync.conftest import ClientCredentials
from xero_sandbox import DEMO_TENANT_ID

__all__ = ["up"]


def wait_until(read: Any, done: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    value = read()
    while not done(value) and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    return value


def pay_in_sandbox(root: str, invoice_id: str, amount: str) -> None:
    """What a person does in Xero: pay the bill from the bank account."""

    async def pay() -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            token = await ClientCredentials(http, root).access_token()
            answer = await http.put(
                f"{root}/api.xro/2.0/Payments",
                json={"Payments": [{"Invoice": {"InvoiceID": invoice_id},
                                    "Account": {"Code": "090"}, "Date": "2026-11-25",
                                    "Amount": amount}]},
                headers={"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID},
            )  # fmt: skip
            assert answer.status_code == 200, answer.text

    asyncio.run(pay())


def test_a_bill_paid_in_the_sandbox_shows_paid_here_within_seconds(up: Up) -> None:
    with httpx.Client(base_url=up.base, headers=up.headers, timeout=10) as api:
        root = connect_and_import(up, api)
        supplier = api.get(f"{root}/suppliers?status=ACTIVE").json()["data"][0]
        bill = api.post(
            f"{root}/bills",
            json={
                "supplier_id": supplier["id"],
                "invoice_number": "SUP-PAID-1",
                "date": "2026-11-23",
                "due_date": "2026-12-23",
                "currency": "NZD",
                "lines": [{"description": "Paper", "quantity": "2", "unit_price": "9.99",
                           "account_code": "400", "tax_type": "INPUT2"}],
            },
        ).json()  # fmt: skip
        api.post(f"{root}/bills/{bill['id']}/submit")
        approved = api.post(f"{root}/bills/{bill['id']}/approve").json()
        assert approved["status"] == "approved", approved
        state = wait_until(
            lambda: api.get(f"{root}/sync/bill/{bill['id']}").json(),
            lambda s: s.get("state") == "sent",
        )
        assert state.get("state") == "sent", state

        pay_in_sandbox(up.sandbox, state["xero_id"], approved["total"])

        paid = wait_until(
            lambda: api.get(f"{root}/bills/{bill['id']}").json(),
            lambda b: b["status"] == "paid",
            seconds=10,
        )
        assert (paid["status"], paid["amount_due"]) == ("paid", "0.00"), paid
        outbox = api.get(f"{root}/outbox").json()["data"]
    # The payment came from Xero: nothing about it goes back.
    assert [row["event_type"] for row in outbox if row["document_id"] == bill["id"]] == [
        "DocumentSubmitted",
        "DocumentApproved",
    ]
