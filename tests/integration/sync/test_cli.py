"""`ledgerlink sync status|retry|resolve` and `ledgerlink worker --once`, as a user runs them."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import build
from ledgerlink.cli import app
from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Supplier
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository


@pytest.fixture
def failed_bill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UUID:
    """A bill of Acme Ltd whose export failed with Xero's words and a fix."""
    url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", url)
    upgrade(url)
    container = build()
    with container.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        supplier = Supplier.create(company_id=company.id, name="Lamp Co")
        uow.suppliers.add(supplier)
        bill = Bill(
            company_id=company.id,
            supplier_id=supplier.id,
            currency="NZD",
            date=dt.date(2026, 3, 1),
            due_date=dt.date(2026, 3, 31),
            lines=[{"description": "Ads", "unit_price": "50", "account_code": "455"}],
        )
        bill.submit()
        bill.approve()
        uow.bills.add(bill)
        uow.commit()
        SyncStateRepository(uow.session, lambda: dt.datetime.now(dt.UTC)).save(
            SyncState(
                company_id=company.id,
                kind="bill",
                document_id=bill.id,
                state="failed",
                attempts=1,
                last_error="Account code '455' has been archived, or has been deleted.",
                fix="choose an active account",
            )
        )
        uow.commit()
    container.close()
    return bill.id


def test_status_lists_failed_documents_with_the_fix(failed_bill: UUID) -> None:
    result = CliRunner().invoke(
        app, ["sync", "status", "--company", "Acme Ltd", "--state", "failed"]
    )
    assert result.exit_code == 0, result.output
    assert str(failed_bill)[:8] in result.output
    assert "archived" in result.output and "choose an active account" in result.output
    assert "1 document(s)" in result.output


def test_retry_then_resolve_change_the_state(failed_bill: UUID) -> None:
    runner = CliRunner()
    retried = runner.invoke(
        app, ["sync", "retry", "--company", "Acme Ltd", "bill", str(failed_bill)]
    )
    assert retried.exit_code == 0, retried.output
    assert "pending" in retried.output
    pending = runner.invoke(app, ["sync", "status", "--company", "Acme Ltd", "--state", "pending"])
    assert str(failed_bill)[:8] in pending.output
    resolved = runner.invoke(
        app, ["sync", "resolve", "--company", "Acme Ltd", "bill", str(failed_bill)]
    )
    assert resolved.exit_code == 0, resolved.output
    assert "handled manually" in resolved.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sync", "status", "--company", "Nobody Inc"], "no company named 'Nobody Inc'"),
        (["sync", "status", "--company", "Acme Ltd", "--state", "lost"], "use one of"),
        (["sync", "retry", "--company", "Acme Ltd", "invoice", str(UUID(int=1))],
         "use purchase_order, bill, supplier or payment"),
    ],
    ids=["unknown-company", "unknown-state", "unknown-kind"],
)  # fmt: skip
def test_bad_input_names_the_problem(failed_bill: UUID, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_worker_once_leaves_work_of_an_unconnected_company_waiting(failed_bill: UUID) -> None:
    result = CliRunner().invoke(app, ["worker", "--once", "--name", "cli-test"])
    assert result.exit_code == 0, result.output
    assert "worker cli-test" in result.output
    container = build()
    with container.uow() as uow:
        rows = [r for r in uow.outbox.list(limit=100) if r.reaches_xero and r.kind == "bill"]
    container.close()
    assert rows and {r.state for r in rows} == {"pending"}
    assert all("could not reach Xero" in (r.last_error or "") for r in rows)


def test_worker_runs_until_sigterm_and_says_what_it_did(failed_bill: UUID) -> None:
    ledgerlink = Path(sys.executable).parent / "ledgerlink"
    process = subprocess.Popen(
        [str(ledgerlink), "worker", "--name", "sigterm-test", "--poll", "0.1"],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "worker sigterm-test: sending to Xero" in process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "worker sigterm-test:" in out and "settled" in out
