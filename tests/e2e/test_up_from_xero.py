"""`ledgerlink up` (real processes, one stack for the file): what is done in the sandbox
reaches ledgerlink through its signed webhooks and the worker, and nothing goes back.

Payments partial, split (a batch payment), moved and deleted; a bill voided; a contact
added. Then the webhook endpoint itself: the sandbox's intent-to-receive probe, a bad
signature, an unknown organisation, a replayed event and events out of order.
"""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from ledgerlink.store.tables import webhook_events
from tests.e2e.test_up import Up, connect_and_import, running_up
from tests.e2e.test_up_inbound import in_xero as xero_once
from tests.e2e.test_up_webhooks import wait_until
from xero_sandbox import DEMO_TENANT_ID

WEBHOOK_KEY = "sandbox-webhook-key"
#: How long a change in the sandbox is tried while its per-minute limit (shared with the
#: worker, as Xero's is) answers 429.
LIMIT_WAIT_SECONDS = 70
WAIT = LIMIT_WAIT_SECONDS


def in_xero(root: str, method: str, path: str, body: Any = None) -> Any:
    """What a person does in Xero; tried again while the organisation's minute is spent."""
    deadline = time.monotonic() + LIMIT_WAIT_SECONDS
    while True:
        try:
            return xero_once(root, method, path, body)
        except AssertionError as refused:
            if "429" not in str(refused) and "rate limit" not in str(refused).lower():
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


@dataclass
class Stack:
    up: Up
    api: httpx.Client
    root: str
    supplier_id: str

    def get(self, path: str) -> Any:
        return self.api.get(f"{self.root}{path}").json()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with (
        running_up(Path(tmp_path_factory.mktemp("up"))) as up,
        httpx.Client(base_url=up.base, headers=up.headers, timeout=10) as api,
    ):
        root = connect_and_import(up, api)
        supplier = api.get(f"{root}/suppliers?status=ACTIVE").json()["data"][0]
        yield Stack(up, api, root, supplier["id"])


def sent_bill(stack: Stack, number: str, unit_price: str = "20.00") -> tuple[dict[str, Any], str]:
    """A bill approved here and sent by the worker: the bill and its Xero id."""
    bill = stack.api.post(
        f"{stack.root}/bills",
        json={"supplier_id": stack.supplier_id, "invoice_number": number, "date": "2026-11-23",
              "due_date": "2026-12-23", "currency": "NZD",
              "lines": [{"description": "Paper", "quantity": "1", "unit_price": unit_price,
                         "account_code": "400", "tax_type": "INPUT2"}]},
    ).json()  # fmt: skip
    stack.api.post(f"{stack.root}/bills/{bill['id']}/submit")
    approved = stack.api.post(f"{stack.root}/bills/{bill['id']}/approve").json()
    # The worker shares the organisation's 60 calls a minute with the cases before: a
    # spent minute parks it until the next.
    state = wait_until(lambda: stack.get(f"/sync/bill/{bill['id']}"),
                       lambda s: s.get("state") == "sent", seconds=LIMIT_WAIT_SECONDS)  # fmt: skip
    assert state.get("state") == "sent", state
    return approved, state["xero_id"]


def paid_here(stack: Stack, bill: dict[str, Any], amount: str, status: str) -> dict[str, Any]:
    """The bill once it shows `amount` paid here and `status` (or as it is at the deadline)."""
    found = wait_until(
        lambda: stack.get(f"/bills/{bill['id']}"),
        lambda b: (b["amount_paid"], b["status"]) == (amount, status),
        seconds=LIMIT_WAIT_SECONDS,
    )
    assert (found["amount_paid"], found["status"]) == (amount, status), found
    return found


def pay(stack: Stack, invoice_id: str, amount: str) -> str:
    made = in_xero(stack.up.sandbox, "PUT", "/Payments", {"Payments": [
        {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"},
         "Date": "2026-11-25", "Amount": amount}]})  # fmt: skip
    payment_id: str = made["Payments"][0]["PaymentID"]
    return payment_id


def outbox_steps(stack: Stack, *bills: dict[str, Any]) -> list[str]:
    ids = {bill["id"] for bill in bills}
    rows = stack.get("/outbox?limit=1000")["data"]
    return sorted({row["event_type"] for row in rows if row["document_id"] in ids})


def test_payments_made_split_moved_and_deleted_in_xero_follow_here(stack: Stack) -> None:
    (a, a_id), (b, b_id), (c, c_id) = (sent_bill(stack, f"E2E-PAY-{n}") for n in (1, 2, 3))

    partial = pay(stack, a_id, "5.00")
    paid_here(stack, a, "5.00", "partially_paid")

    batch = {"Account": {"Code": "090"}, "Date": "2026-11-26",
             "Payments": [{"Invoice": {"InvoiceID": b_id}, "Amount": b["total"]},
                          {"Invoice": {"InvoiceID": c_id}, "Amount": "5.00"}]}  # fmt: skip
    made = in_xero(stack.up.sandbox, "PUT", "/BatchPayments", {"BatchPayments": [batch]})
    paid_here(stack, b, b["total"], "paid")
    paid_here(stack, c, "5.00", "partially_paid")

    # Moved: in Xero, deleted on one invoice and made on another.
    in_xero(stack.up.sandbox, "POST", f"/Payments/{partial}", {"Status": "DELETED"})
    pay(stack, c_id, "5.00")
    paid_here(stack, a, "0.00", "approved")
    paid_here(stack, c, "10.00", "partially_paid")

    batch_id = made["BatchPayments"][0]["BatchPaymentID"]
    in_xero(stack.up.sandbox, "POST", f"/BatchPayments/{batch_id}", {"Status": "DELETED"})
    paid_here(stack, b, "0.00", "approved")
    paid_here(stack, c, "5.00", "partially_paid")

    assert outbox_steps(stack, a, b, c) == ["DocumentApproved", "DocumentSubmitted"]


def test_a_bill_voided_and_a_contact_added_in_xero_follow_here(stack: Stack) -> None:
    bill, xero_id = sent_bill(stack, "E2E-VOID-1")
    in_xero(stack.up.sandbox, "POST", f"/Invoices/{xero_id}",
            {"Invoices": [{"InvoiceID": xero_id, "Status": "VOIDED"}]})  # fmt: skip
    found = wait_until(lambda: stack.get(f"/bills/{bill['id']}"),
                       lambda b: b["status"] == "cancelled", seconds=WAIT)  # fmt: skip
    assert found["status"] == "cancelled", found
    assert outbox_steps(stack, bill) == ["DocumentApproved", "DocumentSubmitted"]

    name = "Fresh Paper (added in Xero)"
    in_xero(stack.up.sandbox, "PUT", "/Invoices", {"Invoices": [
        {"Type": "ACCPAY", "Contact": {"Name": name}, "Date": "2026-11-24",
         "DueDate": "2026-12-24", "LineItems": [{"Description": "Paper", "Quantity": 1,
                                                  "UnitAmount": "10.00", "AccountCode": "400"}]}
    ]})  # fmt: skip

    def names() -> list[str]:
        return [s["name"] for s in stack.get("/suppliers?limit=500")["data"]]

    assert name in wait_until(names, lambda found: name in found, seconds=LIMIT_WAIT_SECONDS)


def sign(body: bytes, key: str = WEBHOOK_KEY) -> str:
    return base64.b64encode(hmac.new(key.encode(), body, hashlib.sha256).digest()).decode()


def events_body(tenant_id: str, *events: tuple[str, str]) -> bytes:
    """A webhook post naming invoices: (InvoiceID, eventDateUtc) each."""
    return json.dumps({
        "events": [{"resourceUrl": f"https://api.xero.com/api.xro/2.0/Invoices/{resource}",
                    "resourceId": resource, "eventDateUtc": at, "eventType": "UPDATE",
                    "eventCategory": "INVOICE", "tenantId": tenant_id,
                    "tenantType": "ORGANISATION"} for resource, at in events],
        "firstEventSequence": 1, "lastEventSequence": len(events),
        "entropy": "QWERTYUIOPASDFGHJKLZ",
    }).encode()  # fmt: skip


def stored_for(up: Up, resource_id: str | None = None) -> int:
    """Webhook events stored in the app's database (for `resource_id`, or all)."""
    engine = create_engine(up.env["LEDGERLINK_DATABASE_URL"])
    try:
        query = select(func.count()).select_from(webhook_events)
        if resource_id is not None:
            query = query.where(webhook_events.c.resource_id == resource_id.lower())
        with engine.connect() as connection:
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def test_the_webhook_endpoint_answers_right_and_changes_nothing_it_should_not(
    stack: Stack,
) -> None:
    with (
        httpx.Client(base_url=f"{stack.up.sandbox}/_sandbox", timeout=10) as sandbox,
        httpx.Client(base_url=stack.up.base, timeout=10) as hooks,
    ):
        check_the_endpoint(stack, sandbox, hooks)


def check_the_endpoint(stack: Stack, sandbox: httpx.Client, hooks: httpx.Client) -> None:
    probe = sandbox.post("/webhooks/intent-to-receive", json={}).json()
    assert probe["status"] == "OK", probe  # Xero's check: 200 when signed, 401 when not
    bill, xero_id = sent_bill(stack, "E2E-HOOK-1")
    webhook_url = sandbox.get("/webhooks").json()["url"]
    sandbox.post("/webhooks", json={"url": None})  # from here on, only our posts arrive
    try:
        in_xero(stack.up.sandbox, "POST", f"/Invoices/{xero_id}",
                {"Invoices": [{"InvoiceID": xero_id, "Status": "VOIDED"}]})  # fmt: skip
        post = events_body(DEMO_TENANT_ID, (xero_id, "2026-11-25T10:00:00.000"))
        before, of_bill = stored_for(stack.up), stored_for(stack.up, xero_id)

        bad = hooks.post("/xero/webhooks", content=post,
                         headers={"x-xero-signature": sign(post, "not-the-key")})  # fmt: skip
        missing = hooks.post("/xero/webhooks", content=post)
        stranger = events_body(str(uuid4()), (xero_id, "2026-11-25T10:00:00.000"))
        unknown = hooks.post("/xero/webhooks", content=stranger,
                             headers={"x-xero-signature": sign(stranger)})  # fmt: skip

        assert (bad.status_code, bad.content) == (401, b"")
        assert (missing.status_code, missing.content) == (401, b"")
        assert unknown.status_code == 200  # answered, counted and dropped
        assert stored_for(stack.up) == before
        assert stack.get(f"/bills/{bill['id']}")["status"] == "approved"

        # The later event first, then an earlier one; then the first again (replayed).
        later = events_body(DEMO_TENANT_ID, (xero_id, "2026-11-25T10:00:05.000"))
        earlier = events_body(DEMO_TENANT_ID, (xero_id, "2026-11-25T10:00:01.000"))
        for body in (later, earlier, later):
            answer = hooks.post("/xero/webhooks", content=body,
                                headers={"x-xero-signature": sign(body)})  # fmt: skip
            assert answer.status_code == 200, answer.text
        assert stored_for(stack.up, xero_id) == of_bill + 2  # the replay is stored once

        found = wait_until(lambda: stack.get(f"/bills/{bill['id']}"),
                           lambda b: b["status"] == "cancelled", seconds=WAIT)  # fmt: skip
        assert found["status"] == "cancelled", found
        assert outbox_steps(stack, bill) == ["DocumentApproved", "DocumentSubmitted"]
    finally:
        sandbox.post("/webhooks", json={"url": webhook_url})
