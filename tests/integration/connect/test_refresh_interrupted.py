"""A process killed after Xero rotated the refresh token and before it stored the new one:
the next caller refreshes with the old token within Xero's grace period and carries on."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from xero_sandbox import RunningSandbox, SandboxConfig

from .conftest import People, connect
from .test_processes import job, start_workers


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", token_ttl=300)


def rotated(sandbox: RunningSandbox) -> bool:
    """True once the sandbox has replaced a refresh token (the old one is in its grace)."""
    grants = sandbox.state.identity.to_dict()["grants"].values()
    return any(grant["previous_refresh_hash"] for grant in grants)


async def until_rotated(sandbox: RunningSandbox) -> None:
    deadline = time.monotonic() + 30
    while not rotated(sandbox):
        assert time.monotonic() < deadline, "the worker never refreshed"
        await asyncio.sleep(0.02)


async def test_a_worker_killed_before_storing_a_rotated_token_leaves_the_connection_working(
    connector: XeroConnector,
    gateway: XeroGateway,
    people: People,
    sandbox: RunningSandbox,
    database_url: str,
    tmp_path: Path,
) -> None:
    await connect(connector, people.acme, people.acme_admin)
    store = gateway.token_store(people.acme)
    before = await store.load()
    assert before is not None
    # The worker runs on the machine's clock; Xero's 401 tells it the token expired.
    await store.save(replace(before, expires_at=datetime.now(UTC) + timedelta(days=365)))
    sandbox.clock.advance(301)
    # Xero rotates the refresh token at once; its answer never reaches the worker.
    late = {"kind": "late", "delay_ms": 30_000, "method": "POST", "path": "/connect/token"}
    sandbox.state.faults.add(late)
    cues = tmp_path / "cues"
    cues.mkdir()
    work = {**job(database_url, sandbox, people, cues), "mode": "refresh", "rounds": 1}
    (cues / "go-0").touch()
    [worker] = start_workers({**work, "calls": 1}, 1)
    try:
        await until_rotated(sandbox)
    finally:
        worker.kill()
        worker.communicate(timeout=30)
    stored = await store.load()
    assert stored is not None and stored.refresh_token == before.refresh_token

    async with gateway.client(people.acme) as xero:
        organisation = await xero.get_organisation()

    assert organisation.name
    assert (await connector.report(people.acme)).status == "connected"
    after = await store.load()
    assert after is not None and after.refresh_token != before.refresh_token
