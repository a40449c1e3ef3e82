"""An installation as an operator runs it: the gateway to the sandbox, the worker, the API.

After an export `/metrics` shows what happened, and in JSON each log line is one object that
names the company and holds no token.
"""

from __future__ import annotations

import io
import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.domain.catalogue import Account, AccountClass
from ledgerlink.observability.logs import formatter
from ledgerlink.observability.metrics import serve_metrics
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.engine import WorkerConfig
from ledgerlink.sync.imports import ImportKind
from tests.integration.connect.conftest import REDIRECT_URI, SECRET_KEY, connect
from tests.integration.sync.conftest import add_supplier, approved_bill, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def installation(sandbox: RunningSandbox, database_url: str, tmp_path: Path) -> Iterator[Container]:
    """ledgerlink configured for the sandbox, on the sandbox's clock."""
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        xero_login_url=sandbox.base_url,
        xero_identity_url=sandbox.base_url,
        xero_api_url=sandbox.base_url,
        xero_redirect_uri=REDIRECT_URI,
    )
    upgrade(database_url)
    built = Container(settings, clock=sandbox.clock.now)
    yield built
    built.close()


@pytest.fixture
async def company_id(installation: Container) -> UUID:
    """A company bound to the sandbox's demo organisation."""
    with installation.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        uow.commit()
    await connect(XeroConnector(installation.xero_gateway), company.id, None)
    return company.id


def scrape(client: TestClient) -> Samples:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_after_an_export_show_what_moved(
    installation: Container, company_id: UUID
) -> None:
    client = TestClient(installation.api())
    supplier = add_supplier(installation.uow, company_id, "Metrics Ltd")
    approved_bill(installation.uow, company_id, supplier, "MET-1")
    before = scrape(client)
    assert value(before, "ledgerlink_outbox_rows", state="pending", kind="bill") >= 1

    await installation.worker(WorkerConfig(name="metrics-worker")).drain()
    runner = installation.import_runner()
    await runner.run(runner.start(company_id, ImportKind.ACCOUNTS, import_all=True).id)
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert value(after, "ledgerlink_outbox_rows", state="pending", kind="bill") == 0
    assert moved("ledgerlink_sends_total", kind="bill", outcome="sent") == 1
    assert moved("ledgerlink_sends_total", kind="supplier", outcome="sent") == 1
    assert moved("ledgerlink_approval_to_xero_seconds_count", kind="bill") == 1
    assert moved("ledgerlink_xero_calls_total", status="200") >= 3
    assert moved("ledgerlink_import_job_seconds_count", kind="accounts", state="done") == 1
    left = value(after, "ledgerlink_xero_minute_budget_remaining", organisation=DEMO_TENANT_ID)
    assert 0 < left < 60
    assert value(after, "ledgerlink_xero_day_budget_remaining", organisation=DEMO_TENANT_ID) > 0


async def test_a_json_log_line_names_the_company_and_holds_no_token(
    installation: Container, company_id: UUID
) -> None:
    tokens = await installation.xero_gateway.token_store(company_id).load()
    assert tokens is not None
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(formatter("json"))
    worker_log = logging.getLogger("ledgerlink.worker")
    worker_log.addHandler(handler)
    worker_log.setLevel(logging.INFO)
    try:
        supplier = add_supplier(installation.uow, company_id, "Logged Ltd")
        approved_bill(installation.uow, company_id, supplier, "LOG-1")
        await installation.worker(WorkerConfig(name="log-worker")).drain()
        worker_log.warning(
            "Xero refused Authorization: Bearer %s (refresh_token=%s)",
            tokens.access_token,
            tokens.refresh_token,
        )
    finally:
        worker_log.removeHandler(handler)

    entries = [json.loads(line) for line in lines.getvalue().splitlines()]
    settled = [e for e in entries if "settled" in e["message"]]
    assert settled and settled[0]["company_id"] == str(company_id)
    assert settled[0]["organisation"] == DEMO_TENANT_ID
    assert entries[-1]["level"] == "warning"
    assert tokens.access_token not in lines.getvalue()
    assert tokens.refresh_token not in lines.getvalue()
    assert "Bearer [hidden] (refresh_token=[hidden])" in entries[-1]["message"]


async def test_a_worker_serves_its_own_counters(installation: Container, company_id: UUID) -> None:
    supplier = add_supplier(installation.uow, company_id, "Served Ltd")
    approved_bill(installation.uow, company_id, supplier, "SRV-1")
    await installation.worker(WorkerConfig(name="served-worker")).drain()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    server = serve_metrics(port)
    try:
        async with httpx.AsyncClient() as http:
            answer = await http.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.shutdown()
        server.server_close()

    assert answer.status_code == 200
    assert 'ledgerlink_sends_total{kind="bill",outcome="sent"}' in answer.text


async def test_browsing_xero_marks_an_account_imported_after_a_thousand_others(
    installation: Container, company_id: UUID, sandbox: RunningSandbox
) -> None:
    accounts = (await sandbox_get(sandbox, "/Accounts"))["Accounts"]
    in_xero = max((a for a in accounts if a.get("Code")), key=lambda a: a["Code"])
    with installation.uow() as uow:
        for n in range(1_000):  # codes that sort before the real one
            filler = Account(
                code=f"0{n:03d}",
                name=f"Filler {n}",
                type="EXPENSE",
                account_class=AccountClass.EXPENSE,
                xero_id=uuid4(),
            )
            uow.accounts.save(company_id, filler)
        real = Account(
            code=in_xero["Code"],
            name=in_xero["Name"],
            type=in_xero["Type"],
            account_class=AccountClass(in_xero["Class"]),
            xero_id=UUID(in_xero["AccountID"]),
        )
        uow.accounts.save(company_id, real)
        user = uow.users.add("admin@acme.test")
        uow.users.grant(user.id, company_id, Role.ADMIN)
        token = uow.tokens.issue(user.id, "tests").secret
        uow.commit()
    client = TestClient(installation.api())

    answer = client.get(
        f"/api/v1/companies/{company_id}/xero/remote/accounts",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert answer.status_code == 200, answer.text
    found = [r for r in answer.json()["data"] if r["xero_id"] == in_xero["AccountID"]]
    assert [(r["imported"], r["local_id"]) for r in found] == [(True, in_xero["Code"])]
