"""A worker killed (kill -9) between storing a webhook event and applying it loses nothing.

The API and the sandbox on 127.0.0.1, `ledgerlink worker` a real process: a bill is sent,
paid in Xero, and Xero's signed INVOICE event is stored by the API. The worker starts on
it and is killed while Xero holds its read of the payments; the event stays stored and
unapplied, the bill unpaid. The next worker (the same name, another run) takes the company
over once the killed one's lease has run out and applies it: the bill is paid, once, and
nothing goes back to Xero.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

import httpx

from tests.e2e.stack import ROOT, connected_stack, sandbox
from tests.e2e.test_up_webhooks import pay_in_sandbox, wait_until
from tests.integration.inbound.conftest import sign, stored
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["sandbox"]

LEDGERLINK = str(Path(sys.executable).parent / "ledgerlink")
#: The killed worker's lease (seconds): short, so the next one does not wait long.
KILLED_LEASE = 2.0


def webhook(invoice_id: str) -> bytes:
    event = {"resourceUrl": f"https://api.xero.com/api.xro/2.0/Invoices/{invoice_id}",
             "resourceId": invoice_id, "eventDateUtc": "2026-03-02T09:05:00.000",
             "eventType": "UPDATE", "eventCategory": "INVOICE", "tenantId": DEMO_TENANT_ID,
             "tenantType": "ORGANISATION"}  # fmt: skip
    body = {"events": [event], "firstEventSequence": 1, "lastEventSequence": 1,
            "entropy": "KILLNINEKILLNINEKILL"}  # fmt: skip
    return json.dumps(body).encode()


def test_a_worker_killed_between_storing_and_applying_an_event_loses_nothing(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    with connected_stack(tmp_path, sandbox) as stack:
        admin, api, container, env = stack.admin, stack.api, stack.container, stack.env
        company_id = stack.company_id
        supplier = admin.call("POST", "/suppliers", {"name": "Kill Supplies"}, 201)["id"]
        bill = admin.approve("/bills", {
            "supplier_id": supplier, "date": "2026-03-02", "due_date": "2026-04-01",
            "currency": "NZD", "invoice_number": "K-1",
            "lines": [{"description": "Chairs", "quantity": "2", "unit_price": "145.50",
                       "account_code": "429"}]})  # fmt: skip
        sent = subprocess.run(
            [LEDGERLINK, "worker", "--once", "--name", "ops-1"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert sent.returncode == 0, sent.stderr[-3000:]
        state = admin.call("GET", f"/sync/bill/{bill['id']}")
        total = admin.call("GET", f"/bills/{bill['id']}")["total"]
        pay_in_sandbox(sandbox.base_url, state["xero_id"], total)
        body = webhook(state["xero_id"])
        answer = api.post("/xero/webhooks", content=body,
                          headers={"x-xero-signature": sign(body)})  # fmt: skip
        assert answer.status_code == 200
        outbox_before = admin.call("GET", "/outbox")["data"]

        # Xero holds the worker's read of the payments while it is killed.
        fault = {"kind": "delay", "method": "GET", "path": "*/Payments*", "delay_ms": 20_000}
        assert httpx.post(f"{sandbox.base_url}/_sandbox/faults", json=fault).is_success
        worker = subprocess.Popen(
            [LEDGERLINK, "worker", "--name", "ops-1", "--lease", str(KILLED_LEASE)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            armed = wait_until(
                lambda: httpx.get(f"{sandbox.base_url}/_sandbox/faults").json(),
                lambda faults: faults == [],
            )
            assert armed == [], "the worker never asked Xero for the payments"
            time.sleep(0.2)
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            worker.kill()
            worker.wait(timeout=10)
        assert worker.returncode == -signal.SIGKILL

        with container.uow() as uow:
            (event,) = stored(uow)
        assert event["processed_at"] is None
        assert admin.call("GET", f"/bills/{bill['id']}")["status"] == "approved"

        time.sleep(KILLED_LEASE + 0.5)  # its lease runs out (a new run is another holder)
        again = subprocess.run(
            [LEDGERLINK, "worker", "--once", "--name", "ops-1"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr[-3000:]
        paid = admin.call("GET", f"/bills/{bill['id']}")
        assert (paid["status"], paid["amount_due"]) == ("paid", "0.00"), paid
        with container.uow() as uow:
            (event,) = stored(uow)
            payments = uow.payments.list_for_document(company_id, UUID(bill["id"]))
        assert event["processed_at"] is not None
        assert [str(p.amount) for p in payments] == [paid["amount_paid"]]  # applied once
        assert admin.call("GET", "/outbox")["data"] == outbox_before
