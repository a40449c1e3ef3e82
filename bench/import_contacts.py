"""Importing 10,000 suppliers from Xero: API calls used and seconds, at two page sizes.

Xero's floor is 10 calls with `pageSize` 1000; a client reading 100 a page needs 100. Both
runs import the same contacts, seeded in the sandbox (`/_sandbox/seed`), over a socket,
into a fresh SQLite database each. `seconds` is the time spent here (the sandbox answers
at once); `xero_minute_limit_wait_seconds` is what Xero's 60-calls-a-minute limit adds on
top, waited on the sandbox's clock. Prints one JSON line per page size:

    python -m bench.import_contacts [--contacts 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
from tests.client.sandbox.conftest import Connected, connect

from ledgerlink.store.engine import make_engine, make_session_factory
from ledgerlink.store.migrate import upgrade_engine
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.imports import ImportRunner
from xero_client import XeroClient
from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, serve_in_thread

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clients:
    def __init__(self, xero: Connected) -> None:
        self.xero = xero

    @asynccontextmanager
    async def client(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        yield self.xero.client(DEMO_TENANT_ID)


async def sandbox_calls(xero: Connected) -> int:
    stats = await xero.control("GET", "/stats")
    return int(stats["total"])


async def import_once(xero: Connected, folder: Path, page_size: int) -> dict[str, object]:
    engine = make_engine(f"sqlite:///{folder / f'bench-{page_size}.db'}")
    upgrade_engine(engine)
    sessions = make_session_factory(engine)
    with SqlUnitOfWork(sessions) as uow:
        company = uow.companies.add(f"Bench {page_size}")
        uow.commit()
    runner = ImportRunner(
        lambda: SqlUnitOfWork(sessions), Clients(xero), sleep=xero.sleep, page_size=page_size
    )
    xero.clock.advance(61)  # a fresh minute: the previous run's calls no longer count
    await xero.control("DELETE", "/stats")
    waits_before = len(xero.sleep.waits)
    started = time.perf_counter()
    job = runner.start(company.id, "suppliers", import_all=True)
    job = await runner.run(job.id)
    seconds = time.perf_counter() - started
    calls = await sandbox_calls(xero)
    # The client keeps to Xero's 60 calls a minute; its waits move the sandbox's clock.
    waited = sum(xero.sleep.waits[waits_before:])
    again_started = time.perf_counter()
    again = await runner.run(runner.start(company.id, "suppliers", import_all=True).id)
    again_seconds = time.perf_counter() - again_started
    engine.dispose()
    assert job.state == "done" and again.unchanged == job.created, (job.message, again.message)
    return {
        "page_size": page_size,
        "contacts": job.created,
        "api_calls": calls,
        "floor_calls": math.ceil(job.created / 1000),
        "seconds": round(seconds, 3),
        "xero_minute_limit_wait_seconds": round(waited, 1),
        "contacts_per_second": round(job.created / seconds, 1),
        "reimport_seconds": round(again_seconds, 3),
        "reimport_changes": again.created + again.updated,
    }


async def main(contacts: int) -> None:
    clock = SandboxClock.manual(START)
    with serve_in_thread(SandboxConfig(seed="demo", limits="off"), clock) as sandbox:
        async with httpx.AsyncClient(timeout=httpx.Timeout(60.0)) as http:
            xero = await connect(http, sandbox.base_url, clock)
            await xero.control("POST", "/seed", {"tenant": DEMO_TENANT_ID, "contacts": contacts})
            with tempfile.TemporaryDirectory() as folder:
                for page_size in (1000, 100):
                    figures = await import_once(xero, Path(folder), page_size)
                    print(json.dumps({"benchmark": "import_contacts", **figures}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().contacts))
