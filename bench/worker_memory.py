"""The worker's memory as its backlog grows: resident size after draining N approved bills.

Each size is filled with N approved bills by one process, then drained by a worker in a
process of its own (so neither the filling nor another size's garbage is counted),
against a sandbox in its own process with limits off. One JSON line per size (resident MiB
before, after a tenth of the documents and at the end, peak MiB, bills found in Xero), then
the ratio of the largest to the smallest, which should stay near 1: the worker streams the
outbox, it does not hold the backlog. The clients keep no log of their requests (the tests'
``SandboxClients`` does, and over 100,000 documents that log was most of the growth once
measured here).

    python -m bench.worker_memory [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from uuid import UUID

from bench._clients import QuietClients
from bench.export_bills import approve_bills, bills_in_xero, database, sandbox_process
from ledgerlink.sync.engine import Worker, WorkerConfig


def _status_mib(field: str) -> float:
    """A `VmRSS`/`VmHWM`-like field of this process, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def fill(folder: Path, bills: int) -> str:
    """A database with ``bills`` approved bills, made in this process; the company's id."""
    uow_factory, engine = database(folder, "memory")
    company_id = approve_bills(uow_factory, bills, max(1, bills // 10), "MEM")
    engine.dispose()  # type: ignore[attr-defined]
    return str(company_id)


async def drain(folder: Path, bills: int, company_id: UUID) -> dict[str, object]:
    """Drain the filled database with one worker; this process holds nothing else."""
    with sandbox_process("off") as root:
        uow_factory, engine = database(folder, "memory")
        before = _status_mib("VmRSS")
        clients = QuietClients(root)
        worker = Worker(uow_factory, clients, config=WorkerConfig(name="bench-memory"))
        at_tenth = None
        while (await worker.run_pass()).rows:  # the bench is the only worker: no waiting
            if at_tenth is None and worker.total.documents >= bills // 10:
                at_tenth = _status_mib("VmRSS")
        report = await worker.drain()  # anything left waiting for a retry
        after, peak = _status_mib("VmRSS"), _status_mib("VmHWM")
        found = await bills_in_xero(clients, company_id, "MEM")
        engine.dispose()  # type: ignore[attr-defined]
    return {
        "benchmark": "worker_memory",
        "bills": bills,
        "documents_settled": report.documents,
        "bills_in_xero": len(found),
        "rss_before_drain_mib": round(before, 1),
        "rss_at_tenth_mib": round(at_tenth or float("nan"), 1),
        "rss_after_drain_mib": round(after, 1),
        "peak_rss_mib": round(peak, 1),
    }


def _run(*arguments: str) -> str:
    command = [sys.executable, "-m", "bench.worker_memory", *arguments]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def main(sizes: list[int]) -> None:
    figures = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            company_id = _run("--fill", str(size), "--folder", folder)
            line = json.loads(
                _run("--drain", str(size), "--folder", folder, "--company", company_id)
            )
        figures.append(line)
        print(json.dumps(line), flush=True)
    smallest, largest = figures[0], figures[-1]
    print(json.dumps({
        "benchmark": "worker_memory",
        "figure": "rss_after_drain_ratio",
        "sizes": [smallest["bills"], largest["bills"]],
        "value": round(largest["rss_after_drain_mib"] / smallest["rss_after_drain_mib"], 2),
    }), flush=True)  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--fill", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--drain", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--folder", default="", help=argparse.SUPPRESS)
    parser.add_argument("--company", default="", help=argparse.SUPPRESS)
    arguments, _ = parser.parse_known_args()
    if arguments.fill:
        print(fill(Path(arguments.folder), arguments.fill), flush=True)
    elif arguments.drain:
        figures = drain(Path(arguments.folder), arguments.drain, UUID(arguments.company))
        print(json.dumps(asyncio.run(figures)), flush=True)
    else:
        main([int(size) for size in arguments.sizes.split(",")])
