"""Many import jobs started at once over REST, beside a running `ledgerlink worker`: every
job ends, and the API keeps answering meanwhile."""

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ledgerlink.config import Settings
from tests.integration.api.conftest import Tenant
from tests.integration.imports.conftest import seed_over_http
from xero_sandbox import RunningSandbox

KINDS = ("accounts", "tax-rates", "tracking-categories", "suppliers", "customers", "items")
ROUNDS = 5
FINAL = ("done", "failed", "needs_reconnect")
ROUND_TIMEOUT_SECONDS = 180.0


@pytest.fixture
def worker_process(settings: Settings, connected: Tenant, tmp_path: Path) -> Iterator[Path]:
    """`ledgerlink worker` on the same database, resuming imports every second."""
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "LEDGERLINK_DATABASE_URL": settings.database_url,
        "LEDGERLINK_SECRET_KEY": settings.secret_key or "",
        "LEDGERLINK_VAR_DIR": str(settings.var_dir),
        "LEDGERLINK_XERO_LOGIN_URL": settings.xero_login_url,
        "LEDGERLINK_XERO_IDENTITY_URL": settings.xero_identity_url,
        "LEDGERLINK_XERO_API_URL": settings.xero_api_url,
        "LEDGERLINK_XERO_REDIRECT_URI": settings.xero_redirect_uri,
    }
    command = [
        str(Path(sys.executable).with_name("ledgerlink")),
        "worker",
        "--name",
        "imports-worker",
        "--poll",
        "0.1",
        "--refresh-every",
        "1",
    ]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield log
    finally:
        process.terminate()
        process.wait(timeout=20)


async def _health_while(done: asyncio.Event, api: httpx.AsyncClient) -> list[float]:
    """Ask /healthz every 0.2 s until ``done``; how long each answer took."""
    took: list[float] = []
    while not done.is_set():
        started = time.monotonic()
        answer = await asyncio.wait_for(api.get("/healthz"), timeout=120)
        assert answer.status_code == 200
        took.append(time.monotonic() - started)
        await asyncio.sleep(0.2)
    return took


async def _states(api: httpx.AsyncClient, tenant: Tenant, urls: list[str]) -> list[dict[str, Any]]:
    found = []
    for url in urls:
        answer = await api.get(url, headers=tenant.headers)
        assert answer.status_code == 200, answer.text
        found.append(answer.json())
    return found


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_six_imports_started_at_once_all_end_and_the_api_keeps_answering(
    api: httpx.AsyncClient,
    app: FastAPI,
    connected: Tenant,
    sandbox: RunningSandbox,
    worker_process: Path,
) -> None:
    await seed_over_http(sandbox, contacts=600, items=300)
    done = asyncio.Event()
    health = asyncio.create_task(_health_while(done, api))
    ended: list[dict[str, Any]] = []
    try:
        for _ in range(ROUNDS):
            started = await asyncio.gather(
                *(
                    api.post(
                        connected.url("/xero/imports"),
                        json={"kind": kind, "all": True},
                        headers=connected.headers,
                    )
                    for kind in KINDS
                )
            )
            assert [answer.status_code for answer in started] == [202] * len(KINDS)
            urls = [answer.json()["url"] for answer in started]
            deadline = time.monotonic() + ROUND_TIMEOUT_SECONDS
            jobs = await _states(api, connected, urls)
            while any(job["state"] not in FINAL for job in jobs) and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
                jobs = await _states(api, connected, urls)
            ended += jobs
    finally:
        done.set()
        took = await health
        await asyncio.gather(*getattr(app.state, "import_tasks", set()), return_exceptions=True)

    worker_log = await asyncio.to_thread(worker_process.read_text)
    stuck = [(job["kind"], job["state"]) for job in ended if job["state"] not in FINAL]
    assert stuck == [], worker_log[-4000:]
    unexplained = [job["kind"] for job in ended if job["state"] != "done" and not job["message"]]
    assert unexplained == []
    assert took, "/healthz answered"
    print(f"/healthz answered {len(took)} times, slowest in {max(took):.2f} s")
    assert "Traceback" not in worker_log, worker_log[-4000:]
