"""The product as an operator runs it: the API and the sandbox on 127.0.0.1, an admin
connects the company to Xero through the consent page, approves a purchase order and a
bill over HTTP, and `ledgerlink worker --once` (a real process, through the Xero gateway
with its stored, encrypted tokens) sends both."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from tests.client.sandbox.consent import read_form
from tests.integration.connect.conftest import SECRET_KEY
from tests.integration.sync.harness import bound_socket, serve_api
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    serve_in_thread,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with serve_in_thread(SandboxConfig(seed="demo"), SandboxClock.manual(start)) as running:
        yield running


def environment(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "LEDGERLINK_DATABASE_URL": settings.database_url,
        "LEDGERLINK_SECRET_KEY": str(settings.secret_key),
        "LEDGERLINK_VAR_DIR": str(settings.var_dir),
        "LEDGERLINK_XERO_LOGIN_URL": settings.xero_login_url,
        "LEDGERLINK_XERO_IDENTITY_URL": settings.xero_identity_url,
        "LEDGERLINK_XERO_API_URL": settings.xero_api_url,
        "LEDGERLINK_XERO_REDIRECT_URI": settings.xero_redirect_uri,
    }


def press_allow(url: str) -> dict[str, str]:
    """Open Xero's consent page as a browser would, allow the demo organisation, and return
    the query of the redirect back to the app."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(url)
        form = read_form(page.text)
        data = {**form.submission("allow"), "tenant": [DEMO_TENANT_ID]}
        answer = browser.post(httpx.URL(url).join(form.action), data=data)
    assert answer.status_code == 302, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}


class Admin:
    """The company's admin, calling the API over HTTP."""

    def __init__(self, api: httpx.Client, company_id: object) -> None:
        self.api = api
        self.prefix = f"/api/v1/companies/{company_id}"

    def call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = self.api.request(method, self.prefix + path, json=body)
        assert answer.status_code == status, answer.text
        return answer.json()

    def approve(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        created: dict[str, Any] = self.call("POST", path, body, 201)
        self.call("POST", f"{path}/{created['id']}/submit")
        self.call("POST", f"{path}/{created['id']}/approve")
        return created


def test_ledgerlink_worker_sends_what_was_approved_over_http(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    sock = bound_socket()
    host, port = sock.getsockname()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'ledgerlink.db'}",
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        xero_login_url=sandbox.base_url,
        xero_identity_url=sandbox.base_url,
        xero_api_url=sandbox.base_url,
        xero_redirect_uri=f"http://{host}:{port}/xero/callback",
    )
    upgrade(settings.database_url)
    container = Container(settings)
    with container.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        user = uow.users.add("admin@acme.test")
        uow.users.grant(user.id, company.id, Role.ADMIN)
        token = uow.tokens.issue(user.id, "e2e").secret
        uow.commit()
    for base_url in serve_api(container, sock):
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=10) as api:
            admin = Admin(api, company.id)
            back = press_allow(admin.call("GET", "/xero/connect")["authorize_url"])
            assert api.get("/xero/callback", params=back).status_code == 200
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
                env=environment(settings),
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
    container.close()
