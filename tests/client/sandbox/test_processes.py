"""Eight processes share one connection's tokens: exactly one refreshes per expiry."""

import asyncio
import json
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from xero_sandbox import DEMO_TENANT_ID, RunningSandbox, SandboxConfig

from .conftest import Connected, expired_later
from .file_store import FileTokenStore

PROCESSES = 8
ROUNDS = 3
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty", limits="off")


def wait_for(cues: Path, pattern: str, count: int, procs: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + 60
    while len(list(cues.glob(pattern))) < count:
        if time.monotonic() > deadline or any(p.poll() not in (None, 0) for p in procs):
            raise AssertionError(f"workers did not finish {pattern}")
        time.sleep(0.02)


def run_workers(running: RunningSandbox, tokens_file: Path, cues: Path) -> list[dict[str, Any]]:
    """Starts the workers, expires the tokens before each round, and collects their reports."""
    command = [
        sys.executable, "-m", "tests.client.sandbox.refresher", running.base_url,
        str(tokens_file), str(cues), str(ROUNDS), DEMO_TENANT_ID,
    ]  # fmt: skip
    procs = [
        subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    try:
        for n in range(ROUNDS):
            running.clock.advance(1801)  # every access token handed out so far expires
            (cues / f"go-{n}").touch()
            wait_for(cues, f"done-{n}-*", PROCESSES, procs)
        outputs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]


async def test_eight_processes_refresh_single_flight_with_no_invalid_grant(
    over_socket: Connected, running: RunningSandbox, tmp_path: Path
) -> None:
    stored = await over_socket.store.load()
    assert stored is not None
    tokens_file = tmp_path / "tokens.json"
    # The workers learn of expiry from the sandbox's 401s, not from their own clocks.
    year = timedelta(days=365).total_seconds()
    await FileTokenStore(tokens_file).save(expired_later(stored, year))
    cues = tmp_path / "cues"
    cues.mkdir()
    reports = await asyncio.to_thread(run_workers, running, tokens_file, cues)
    assert [r["errors"] for r in reports] == [[]] * PROCESSES
    assert sum(r["calls"] for r in reports) == PROCESSES * 3 * ROUNDS
    assert sum(r["refreshes"] for r in reports) == ROUNDS
