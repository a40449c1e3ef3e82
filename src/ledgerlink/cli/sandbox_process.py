"""The local Xero sandbox as a child process of `ledgerlink up`."""

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SANDBOX_START_TIMEOUT_SECONDS = 20.0
SANDBOX_POLL_SECONDS = 0.1


def sandbox_command() -> list[str]:
    """The `xero-sandbox` script installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name("xero-sandbox")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("xero-sandbox")
    if found is None:
        raise RuntimeError("xero-sandbox is not installed; run 'make setup'")
    return [found]


@contextmanager
def running_sandbox(host: str, port: int, data_file: Path) -> Iterator[str]:
    """Start the sandbox on `host:port` keeping its state in `data_file`; yield its root URL."""
    data_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        *sandbox_command(),
        "--host",
        host,
        "--port",
        str(port),
        "--data",
        str(data_file),
    ]
    process = subprocess.Popen(command)  # noqa: S603 - our own console script
    root = f"http://{host}:{port}"
    # uvicorn re-raises SIGTERM once it has shut down; make it unwind through here
    # (as Ctrl-C does) so the sandbox stops with us.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _wait_until_serving(root, process)
        yield root
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _wait_until_serving(root: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SANDBOX_START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the Xero sandbox exited with code {process.returncode}")
        try:
            httpx.get(f"{root}/connections", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(SANDBOX_POLL_SECONDS)
    raise RuntimeError(f"the Xero sandbox did not answer at {root} within 20 s")
