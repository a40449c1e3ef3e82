"""A separate ledgerlink process that calls Xero for one company through its own gateway.

Run by the process tests as `python -m tests.integration.connect.worker JOB`, where JOB is
a JSON object. Modes:

- `refresh`: for each round, wait for the cue `go-N`, make `calls` calls concurrently,
  then leave `done-N-PID`; Xero's 401s tell it the token expired.
- `hammer`: wait for the cue `go-0`, make `calls` calls, `concurrency` at a time, on the
  sandbox's clock (read and advanced over HTTP, so every process shares one clock).
- `hold-lock`: take the company's token lock, say `locked`, and hold it until killed.

Prints one JSON line: calls made, errors seen, refreshes performed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from ledgerlink.config import Settings
from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.rate_budget import DatabaseRateLimiter
from ledgerlink.sync.gateway import XeroGateway
from xero_client import XeroLimits

CUE_TIMEOUT_SECONDS = 60.0


class SandboxTime:
    """The sandbox's manual clock, shared by every process over HTTP."""

    def __init__(self, root: str) -> None:
        self._http = httpx.Client(base_url=root, timeout=10)

    def now(self) -> datetime:
        return datetime.fromisoformat(self._http.get("/_sandbox/clock").json()["now"])

    async def sleep(self, seconds: float) -> None:
        self._http.post("/_sandbox/clock", json={"advance_seconds": seconds})
        await asyncio.sleep(0)


def wait_for_cue(cue: Path) -> None:
    deadline = time.monotonic() + CUE_TIMEOUT_SECONDS
    while not cue.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"no cue {cue.name}")
        time.sleep(0.01)


async def main(job: dict[str, Any]) -> dict[str, Any]:
    settings = Settings(
        database_url=job["database_url"],
        secret_key=job["secret_key"],
        xero_login_url=job["root"],
        xero_identity_url=job["root"],
        xero_api_url=job["root"],
    )
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    company = UUID(job["company_id"])
    cues = Path(job["cues"])
    errors: list[str] = []
    calls = 0
    if job["mode"] == "hold-lock":
        gateway = XeroGateway(sessions, settings)
        async with gateway.token_store(company).lock():
            print("locked", flush=True)
            await asyncio.Event().wait()
    if job["mode"] == "hammer":
        time_ = SandboxTime(job["root"])
        # Waits move the shared clock, so a call's lease could run out while it is still
        # in flight: a long lease keeps this test about the limits, not about leases.
        limiter = DatabaseRateLimiter(
            sessions, clock=time_.now, sleep=time_.sleep, lease=timedelta(hours=1)
        )
        gateway = XeroGateway(
            sessions, settings, clock=time_.now, limiter=limiter, sleep=time_.sleep
        )
        rounds = 1
    else:
        limiter = DatabaseRateLimiter(sessions, limits=XeroLimits(per_minute=10_000))
        gateway = XeroGateway(sessions, settings, limiter=limiter)
        rounds = job["rounds"]
    slots = asyncio.Semaphore(job.get("concurrency", job["calls"]))
    for n in range(rounds):
        await asyncio.to_thread(wait_for_cue, cues / f"go-{n}")
        async with gateway.client(company) as xero:

            async def one_call() -> None:
                nonlocal calls
                async with slots:
                    try:
                        await xero.get_organisation()
                        calls += 1
                    except Exception as error:  # reported to the test, which fails on it
                        errors.append(f"{type(error).__name__}: {error}")

            await asyncio.gather(*(one_call() for _ in range(job["calls"])))
        (cues / f"done-{n}-{os.getpid()}").touch()
    engine.dispose()
    return {"calls": calls, "errors": errors, "refreshes": gateway.refresh_count}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.loads(sys.argv[1])))))
