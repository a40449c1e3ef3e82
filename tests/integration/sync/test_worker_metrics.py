"""Several workers on one machine each serve their own `/metrics` (`--metrics-port`), which
is how Prometheus scrapes N workers (docs/deploy.md)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ledgerlink.store.migrate import upgrade


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def scrape(port: int, seconds: float = 120.0) -> str:
    """The worker's metrics page, once it serves it (a busy machine starts it slowly)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
            answer.raise_for_status()
            return answer.text
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_each_worker_serves_its_metrics_on_its_own_port(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledgerlink.db'}"
    upgrade(url)
    ledgerlink = Path(sys.executable).parent / "ledgerlink"
    env = {**os.environ, "LEDGERLINK_DATABASE_URL": url, "LEDGERLINK_METRICS_PORT": "1"}
    ports = [free_port(), free_port()]
    workers = [
        subprocess.Popen(
            [str(ledgerlink), "worker", "--name", f"m{n}", "--metrics-port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n, port in enumerate(ports)
    ]
    try:
        pages = [scrape(port) for port in ports]

    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=20)
    for page in pages:
        assert "# HELP ledgerlink_sends_total Documents settled by the worker" in page
        assert "# TYPE ledgerlink_approval_to_xero_seconds histogram" in page
    assert all(worker.returncode == 0 for worker in workers)
