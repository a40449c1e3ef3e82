"""The REST API of imports, with a company connected to the sandbox through the gateway."""

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ledgerlink.bootstrap import Container
from ledgerlink.store.records import Role
from tests.integration.api.conftest import Tenant, make_tenant
from tests.integration.imports.conftest import seed_over_http
from xero_sandbox import RunningSandbox, SandboxClock, SandboxConfig


async def _finish_jobs(app: FastAPI) -> None:
    await asyncio.gather(*getattr(app.state, "import_tasks", set()))


async def _import(
    api: httpx.AsyncClient, app: FastAPI, tenant: Tenant, body: dict[str, Any]
) -> dict[str, Any]:
    started = await api.post(tenant.url("/xero/imports"), json=body, headers=tenant.headers)
    assert started.status_code == 202, started.text
    assert started.json()["state"] == "queued"
    await _finish_jobs(app)
    job = await api.get(started.json()["url"], headers=tenant.headers)
    assert job.status_code == 200, job.text
    result: dict[str, Any] = job.json()
    return result


async def test_an_admin_browses_picks_and_imports_suppliers(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant
) -> None:
    listed = await api.get(
        connected.url("/xero/remote/suppliers?search=Power"), headers=connected.headers
    )
    assert listed.status_code == 200, listed.text
    [power] = listed.json()["data"]
    assert (power["name"], power["imported"]) == ("PowerDirect", False)

    job = await _import(api, app, connected, {"kind": "suppliers", "xero_ids": [power["xero_id"]]})
    again = await api.get(
        connected.url("/xero/remote/suppliers?search=Power"), headers=connected.headers
    )

    refreshed = await _import(api, app, connected, {"kind": "suppliers", "refresh": True})

    assert (job["state"], job["created"], job["total"]) == ("done", 1, 1)
    assert (refreshed["mode"], refreshed["state"], refreshed["unchanged"]) == ("refresh", "done", 1)
    assert again.json()["data"][0]["imported"] is True
    suppliers = await api.get(connected.url("/suppliers"), headers=connected.headers)
    assert [s["name"] for s in suppliers.json()["data"]] == ["PowerDirect"]
    outbox = await api.get(connected.url("/outbox"), headers=connected.headers)
    assert outbox.json()["data"] == []


async def test_imported_accounts_are_listed_paged_and_by_status_with_skips_reported(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant
) -> None:
    job = await _import(api, app, connected, {"kind": "accounts", "all": True})
    remote = await api.get(connected.url("/xero/remote/accounts"), headers=connected.headers)

    assert job["state"] == "done" and job["skipped"] > 0
    assert all(skip["reason"] for skip in job["skips"])
    marked = {r["name"]: r for r in remote.json()["data"]}
    assert marked["Sales"]["imported"] and marked["Sales"]["skip_reason"] is None
    assert not marked["Retained Earnings"]["imported"]
    assert "EQUITY" in marked["Retained Earnings"]["skip_reason"]
    page = await api.get(connected.url("/accounts?limit=5"), headers=connected.headers)
    archived = await api.get(connected.url("/accounts?status=ARCHIVED"), headers=connected.headers)
    assert (len(page.json()["data"]), page.json()["count"]) == (5, job["created"])
    assert [a["code"] for a in archived.json()["data"]] == ["265", "455"]
    for path in ("/tax-rates", "/tracking-categories"):
        assert (await api.get(connected.url(path), headers=connected.headers)).json()["count"] == 0


async def test_imports_need_the_admin_role_and_a_connection(
    api: httpx.AsyncClient, app: FastAPI, container: Container, admin: Tenant
) -> None:
    member = make_tenant(container, "Acme Ltd", "member@acme.test", Role.MEMBER)
    refused = await api.post(
        member.url("/xero/imports"), json={"kind": "accounts"}, headers=member.headers
    )
    browse = await api.get(admin.url("/xero/remote/accounts"), headers=admin.headers)
    bad = await api.post(
        admin.url("/xero/imports"), json={"kind": "widgets"}, headers=admin.headers
    )
    job = await _import(api, app, admin, {"kind": "accounts"})

    assert refused.status_code == 403
    assert browse.status_code == 409
    assert "not connected to Xero" in browse.json()["detail"]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "kind"
    assert job["state"] == "failed" and "not connected to Xero" in job["message"]


@pytest.mark.parametrize(
    "sandbox_config", [SandboxConfig(seed="demo", daily_limit=2)], ids=["two-calls-a-day"]
)
async def test_a_job_at_xeros_daily_limit_shows_when_it_resumes_then_finishes(
    api: httpx.AsyncClient,
    app: FastAPI,
    container: Container,
    connected: Tenant,
    sandbox: RunningSandbox,
    sandbox_clock: SandboxClock,
) -> None:
    await seed_over_http(sandbox, contacts=2500)
    seen: list[dict[str, Any]] = []

    async def wait_on_the_sandbox_clock(seconds: float) -> None:
        jobs = await api.get(connected.url("/xero/imports"), headers=connected.headers)
        seen.append(jobs.json()["data"][0])
        sandbox_clock.advance(seconds)

    container.import_sleep = wait_on_the_sandbox_clock
    job = await _import(api, app, connected, {"kind": "suppliers", "all": True})

    assert seen and seen[0]["state"] == "waiting"
    assert seen[0]["message"].startswith("waiting for Xero's rate limit (day), resumes at")
    assert seen[0]["processed"] == 2000
    assert (job["state"], job["created"], job["api_calls"]) == ("done", job["total"], 3)
