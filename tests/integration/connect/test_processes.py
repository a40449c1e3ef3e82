"""Several ledgerlink processes on one database share tokens and the rate budget."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox, SandboxConfig

from .conftest import SECRET_KEY, People, connect

REPO = Path(__file__).resolve().parents[3]
REFRESHERS = 8
ROUNDS = 3
HAMMER_CALLS = 45


def start_workers(job: dict[str, Any], count: int) -> list[subprocess.Popen[str]]:
    command = [sys.executable, "-m", "tests.integration.connect.worker", json.dumps(job)]
    return [
        subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]


def wait_for(cues: Path, pattern: str, count: int, procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 90
    while len(list(cues.glob(pattern))) < count:
        failed = [p for p in procs if p.poll() not in (None, 0)]
        if failed or time.monotonic() > deadline:
            errors = [p.communicate()[1][-2000:] for p in failed]
            raise AssertionError(f"workers did not finish {pattern}: {errors}")
        time.sleep(0.02)


def reports(procs: list[subprocess.Popen[str]]) -> list[dict[str, Any]]:
    try:
        outputs = [p.communicate(timeout=90) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in procs), [err[-2000:] for _, err in outputs]
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]


def job(database_url: str, sandbox: RunningSandbox, people: People, cues: Path) -> dict[str, Any]:
    return {
        "database_url": database_url,
        "secret_key": SECRET_KEY,
        "root": sandbox.base_url,
        "company_id": str(people.acme),
        "cues": str(cues),
    }


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", token_ttl=300)


@pytest.mark.slow
async def test_eight_processes_refresh_single_flight_with_no_invalid_grant(
    connector: XeroConnector,
    gateway: XeroGateway,
    people: People,
    sandbox: RunningSandbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    store = gateway.token_store(people.acme)
    tokens = await store.load()
    assert tokens is not None
    # The workers run on the machine's clock; they learn of expiry from Xero's 401s.
    a_year = datetime.now(UTC) + timedelta(days=365)
    await store.save(replace(tokens, expires_at=a_year))
    cues = tmp_path / "cues"
    cues.mkdir()
    work = {**job(database_url, sandbox, people, cues), "mode": "refresh", "rounds": ROUNDS}
    procs = start_workers({**work, "calls": 3}, REFRESHERS)

    def run_rounds() -> None:
        for n in range(ROUNDS):
            sandbox.clock.advance(301)  # every access token handed out so far expires
            # Xero holds the round's first refresh, so every process meets the expiry and
            # reaches for the refresh while it is in flight.
            hold = {"kind": "delay", "delay_ms": 400, "method": "POST", "path": "/connect/token"}
            httpx.post(f"{sandbox.base_url}/_sandbox/faults", json=hold).raise_for_status()
            (cues / f"go-{n}").touch()
            wait_for(cues, f"done-{n}-*", REFRESHERS, procs)
            held = httpx.get(f"{sandbox.base_url}/_sandbox/faults").json()
            assert held == [], "the round's refresh was not held"

    await asyncio.to_thread(run_rounds)
    done = reports(procs)

    assert [r["errors"] for r in done] == [[]] * REFRESHERS
    assert sum(r["calls"] for r in done) == REFRESHERS * 3 * ROUNDS
    assert sum(r["refreshes"] for r in done) == ROUNDS
    assert (await connector.report(people.acme)).status == "connected"


@pytest.mark.slow
async def test_two_processes_hammering_one_organisation_stay_within_its_limits(
    connector: XeroConnector,
    people: People,
    sandbox: RunningSandbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    started = sandbox.clock.now()
    async with httpx.AsyncClient(base_url=sandbox.base_url) as control:
        await control.delete("/_sandbox/stats")
        # Each call stays in flight a little, so that 16 callers really contend for 5 slots.
        fault = {"kind": "delay", "method": "GET", "path": "/api.xro/2.0/Organisation"}
        armed = await control.post(
            "/_sandbox/faults", json={**fault, "times": 2 * HAMMER_CALLS, "delay_ms": 20}
        )
        assert armed.status_code == 201, armed.text
        cues = tmp_path / "cues"
        cues.mkdir()
        work = {**job(database_url, sandbox, people, cues), "mode": "hammer"}
        procs = start_workers({**work, "calls": HAMMER_CALLS, "concurrency": 8}, 2)
        (cues / "go-0").touch()
        done = await asyncio.to_thread(reports, procs)
        stats = (await control.get("/_sandbox/stats")).json()

    assert [r["errors"] for r in done] == [[], []]
    assert sum(r["calls"] for r in done) == 2 * HAMMER_CALLS
    organisation = next(o for o in stats["organisations"] if o["tenantId"] == DEMO_TENANT_ID)
    assert organisation["total"] == 2 * HAMMER_CALLS, organisation["calls"]
    assert (stats["rateLimited"], stats["rateLimitedByProblem"]) == (0, {})
    # More than a minute's budget was spent, so the limiter had to hold calls back.
    assert (sandbox.clock.now() - started).total_seconds() >= 60


async def test_a_process_killed_while_refreshing_does_not_keep_the_lock(
    connector: XeroConnector,
    gateway: XeroGateway,
    people: People,
    sandbox: RunningSandbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    (holder,) = start_workers(
        {**job(database_url, sandbox, people, tmp_path), "mode": "hold-lock"}, 1
    )
    try:
        assert holder.stdout is not None
        assert await asyncio.to_thread(holder.stdout.readline) == "locked\n"
        holder.kill()  # as kill -9 would, in the middle of a refresh
        holder.communicate(timeout=30)
        sandbox.clock.advance(301)

        async with gateway.client(people.acme) as xero:
            organisation = await xero.get_organisation()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.communicate(timeout=30)

    assert organisation.name == "Demo Company (Sandbox)"
    assert gateway.refresh_count == 1
