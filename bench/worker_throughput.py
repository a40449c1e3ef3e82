"""Engine throughput with limits off: worker processes on PostgreSQL (and SQLite), by
`--concurrency`, beside an earlier version of the engine.

For each backend and concurrency asked for: a fresh database (a PostgreSQL schema, or a
SQLite file) with ``--bills`` approved bills spread over ``--companies`` companies (one
supplier per ten bills), a sandbox in its own process with limits off, and ``--workers``
worker processes (the real engine, each with a client per company; every company sends to
the sandbox's demo organisation over HTTP). The workers get ready (imports, engine,
connections), then all start at once and drain the outbox. One JSON line per run: bills
found in Xero afterwards (each counted once: a bill lost or made twice is no throughput),
wall seconds from the start to the last worker done, bills per second, API calls, and CPU
milliseconds per bill: the workers' own, the sandbox's, PostgreSQL's (when the server runs
on this machine: all of its processes, so its other clients' work too), and the whole
machine's (busy time of every core over the run, the others included, and anything else the
machine ran meanwhile; ``load_average_1m`` tells how busy it was).

``--baseline REF`` runs the same work first with the engine as it was at git revision
``REF`` (its ``src/`` exported to a temporary folder and put first on the workers' path;
the sandbox and this script stay as they are), then with the working tree, once per
``--rounds``, one line each (``engine``: ``REF`` or ``working tree``), so that both are
measured on the same machine at the same time.

    python -m bench.worker_throughput [--bills 4000] [--companies 8] [--workers 2]
                                      [--concurrency 1,4] [--backends postgresql,sqlite]
                                      [--baseline REF] [--rounds 1] [--profile FOLDER]

``--profile FOLDER`` writes a pyinstrument profile (HTML and text) of each worker (pyinstrument must
be installed; it is not a dependency). PostgreSQL: ``LEDGERLINK_BENCH_POSTGRES_URL`` or
``LEDGERLINK_TEST_POSTGRES_URL``, else ``postgresql://postgres@127.0.0.1:5432/test``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from bench._clients import QuietClients
from bench._common import postgres_admin_url, postgres_schema
from bench.export_bills import SANDBOX_PIDS, add_approved_bills, sandbox_process
from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.engine import make_engine
from ledgerlink.store.migrate import upgrade
from ledgerlink.sync.engine import Worker, WorkerConfig


def fill(url: str, bills: int, companies: int) -> None:
    container = Container(Settings(database_url=url))
    for n in range(companies):
        count = bills // companies + (1 if n < bills % companies else 0)
        with container.uow() as uow:
            company = uow.companies.add(f"Throughput {n:03d}")
            add_approved_bills(uow, company.id, count, max(1, count // 10), f"T{n:03d}")
            uow.commit()
    container.close()


def profiled(folder: str, name: str) -> AbstractContextManager[Any]:
    if not folder:
        return nullcontext()
    from pyinstrument import Profiler  # optional, for --profile only

    class Saved(Profiler):  # type: ignore[misc]
        def __exit__(self, *exc: object) -> None:
            super().__exit__(*exc)
            self.write_html(str(Path(folder) / f"{name}.html"))
            text = self.output_text(unicode=False, color=False, show_all=False)
            (Path(folder) / f"{name}.txt").write_text(text)

    return Saved(async_mode="enabled")


async def work(url: str, root: str, name: str, concurrency: int, profile: str) -> None:
    """One worker process: get ready, wait for ``go`` on stdin, drain, print figures."""
    container = Container(Settings(database_url=url))
    worker = Worker(
        container.uow,
        QuietClients(root, read_timeout=30.0),
        config=WorkerConfig(name=name, concurrency=concurrency, poll_seconds=0.05),
    )
    worker.pending()  # connects to the database before the start
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    cpu = time.process_time()
    with profiled(profile, name):
        report = await worker.drain()
    figures = {"documents": report.documents, "cpu_seconds": time.process_time() - cpu}
    print(json.dumps(figures), flush=True)
    container.close()


async def count_in_xero(root: str) -> Counter[str]:
    numbers: Counter[str] = Counter()
    async with QuietClients(root)(UUID(int=0)) as client:
        async for invoice in client.iter_invoices(page_size=1000):
            number = invoice.invoice_number or ""
            if invoice.type == "ACCPAY" and number.startswith("T"):
                numbers[number] += 1
    return numbers


WORKING_TREE = "working tree"


@contextmanager
def engine_source(ref: str) -> Iterator[str]:
    """A folder holding ``src/`` as it was at git revision ``ref`` ("" for the working
    tree: the installed one)."""
    if not ref:
        yield ""
        return
    with tempfile.TemporaryDirectory() as folder:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref, "src"], capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield str(Path(folder) / "src")


@contextmanager
def database(backend: str, admin: str | None) -> Iterator[str]:
    if backend == "postgresql":
        assert admin is not None
        with postgres_schema(admin) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'throughput.db'}"


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pid(url: str) -> int | None:
    """The PostgreSQL server's main process when it runs on this machine and its
    ``/proc`` entries are readable, else None."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            backend = int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())
        parent = int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
        cpu_seconds(parent)
    except (OSError, ValueError):
        return None
    finally:
        engine.dispose()
    return parent


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds of the PostgreSQL server so far: the main process, its live children
    (backends, writers) and its children that ended (which it waited for). Every client of
    that server counts, not only this benchmark's workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile: counted in the server's own figures
            continue
        if int(child[1]) == pid:
            total += (int(child[11]) + int(child[12])) / ticks
    return total


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine spent busy since boot (``/proc/stat``)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle and iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def sandbox_calls(root: str) -> int:
    return int(httpx.get(f"{root}/_sandbox/stats", timeout=30).json()["total"])


def run(
    arguments: argparse.Namespace,
    backend: str,
    admin: str | None,
    concurrency: int,
    engine: str,
    source: str,
) -> dict[str, object]:
    environment = os.environ.copy()
    if source:
        environment["PYTHONPATH"] = os.pathsep.join(
            p for p in (source, os.getcwd(), environment.get("PYTHONPATH", "")) if p
        )
    with database(backend, admin) as url, sandbox_process("off") as root:
        upgrade(url)
        fill(url, arguments.bills, arguments.companies)
        sandbox = SANDBOX_PIDS[root]
        command = [sys.executable, "-m", "bench.worker_throughput", "--worker", "--url", url,
                   "--root", root, "--concurrency", str(concurrency), "--profile",
                   arguments.profile]  # fmt: skip
        workers = [
            subprocess.Popen(
                [*command, "--name", f"throughput-{concurrency}-{n}"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=environment,
            )
            for n in range(arguments.workers)
        ]
        for process in workers:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
        calls_before, sandbox_cpu = sandbox_calls(root), cpu_seconds(sandbox)
        server = server_pid(url) if backend == "postgresql" else None
        server_cpu = server_cpu_seconds(server) if server is not None else 0.0
        busy, load = machine_busy_seconds(), os.getloadavg()[0]
        started = time.perf_counter()
        for process in workers:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        figures = []
        for process in workers:
            out, _ = process.communicate(timeout=3600)
            figures.append(json.loads(out.strip().splitlines()[-1]))
        real = time.perf_counter() - started
        busy = machine_busy_seconds() - busy
        sandbox_cpu = cpu_seconds(sandbox) - sandbox_cpu
        if server is not None:
            server_cpu = server_cpu_seconds(server) - server_cpu
        calls = sandbox_calls(root) - calls_before
        found = asyncio.run(count_in_xero(root))
    bills_found = len(found)
    cpu = sum(float(f["cpu_seconds"]) for f in figures)
    per_bill = 1000 / arguments.bills
    return {
        "benchmark": "worker_throughput",
        "engine": engine,
        "backend": backend,
        "limits": "off",
        "bills": arguments.bills,
        "companies": arguments.companies,
        "workers": arguments.workers,
        "concurrency": concurrency,
        "documents_settled": sum(int(f["documents"]) for f in figures),
        "bills_in_xero": bills_found,
        "bills_in_xero_more_than_once": sum(1 for c in found.values() if c > 1),
        "api_calls": calls,
        "real_seconds": round(real, 2),
        "bills_per_second": round(bills_found / real, 1),
        "cpu_ms_per_bill": round(cpu * per_bill, 3),
        "sandbox_cpu_ms_per_bill": round(sandbox_cpu * per_bill, 3),
        "postgresql_cpu_ms_per_bill": round(server_cpu * per_bill, 3) if server else None,
        "machine_cpu_ms_per_bill": round(busy * per_bill, 3),
        "machine_cores": os.cpu_count(),
        "load_average_1m_before": round(load, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bills", type=int, default=4000)
    parser.add_argument("--companies", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,4", help="comma-separated values to run")
    parser.add_argument(
        "--backends", default="postgresql", help="comma-separated: postgresql, sqlite"
    )
    parser.add_argument("--baseline", default="", help="git revision to measure beside this tree")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each engine, alternated")
    parser.add_argument("--profile", default="", help="folder for pyinstrument HTML profiles")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--root", default="", help=argparse.SUPPRESS)
    parser.add_argument("--name", default="", help=argparse.SUPPRESS)
    arguments, _ = parser.parse_known_args()
    if arguments.worker:
        asyncio.run(
            work(
                arguments.url,
                arguments.root,
                arguments.name,
                int(arguments.concurrency),
                arguments.profile,
            )
        )
        return
    backends = arguments.backends.split(",")
    admin = postgres_admin_url() if "postgresql" in backends else None
    if "postgresql" in backends and admin is None:
        print(json.dumps({"benchmark": "worker_throughput", "skipped": "no PostgreSQL answers"}))
        backends.remove("postgresql")
    engines = [arguments.baseline, ""] if arguments.baseline else [""]
    with engine_source(arguments.baseline) as baseline:
        sources = {arguments.baseline: baseline, "": ""}
        for backend in backends:
            for concurrency in (int(c) for c in arguments.concurrency.split(",")):
                for _ in range(arguments.rounds):
                    for ref in engines:
                        engine = ref or WORKING_TREE
                        figures = run(arguments, backend, admin, concurrency, engine, sources[ref])
                        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
