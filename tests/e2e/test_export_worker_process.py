"""The product as an operator runs it: the API and the sandbox on 127.0.0.1, an admin
connects the company to Xero through the consent page, approves a purchase order and a
bill over HTTP, and `ledgerlink worker --once` (a real process, through the Xero gateway
with its stored, encrypted tokens) sends both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.stack import ROOT, connected_stack, sandbox
from xero_sandbox import RunningSandbox

__all__ = ["sandbox"]


def test_ledgerlink_worker_sends_what_was_approved_over_http(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    with connected_stack(tmp_path, sandbox) as stack:
        admin = stack.admin
        supplier = admin.call("POST", "/suppliers", {"name": "Process Supplies"}, 201)["id"]
        line = {"description": "Chairs", "quantity": "2", "unit_price": "145.50",
                "account_code": "429"}  # fmt: skip
        common = {"supplier_id": supplier, "date": "2026-03-02", "currency": "NZD",
                  "lines": [line]}  # fmt: skip
        order = admin.approve("/purchase-orders", {**common, "number": "PO-P1"})
        bill = admin.approve(
            "/bills", {**common, "invoice_number": "P-1", "due_date": "2026-04-01"}
        )

        worker = subprocess.run(
            [str(Path(sys.executable).parent / "ledgerlink"), "worker", "--once",
             "--name", "ops-1"],
            cwd=ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip

        assert worker.returncode == 0, worker.stderr[-3000:]
        assert "worker ops-1: 3 document(s) settled" in worker.stdout, worker.stdout
        sent = {s["document_id"]: s for s in admin.call("GET", "/sync")["data"]}
        assert sent[order["id"]]["state"] == "sent"
        assert (sent[bill["id"]]["state"], sent[bill["id"]]["xero_status"]) == (
            "sent",
            "AUTHORISED",
        )
