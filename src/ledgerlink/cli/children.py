"""The processes `ledgerlink up` runs beside the API: the Xero sandbox and a worker."""

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

START_TIMEOUT_SECONDS = 20.0
POLL_SECONDS = 0.1
STOP_TIMEOUT_SECONDS = 10.0


def script(name: str) -> str:
    """The console script `name` installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; run 'make setup'")
    return found


@contextmanager
def running(
    command: list[str], what: str, ready: Callable[[], bool] = lambda: True
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` until the block ends; wait until `ready()` first."""
    process = subprocess.Popen(command)  # noqa: S603 - our own console scripts
    # uvicorn re-raises SIGTERM once it has shut down; make it unwind through here
    # (as Ctrl-C does) so the children stop with us.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _wait_until(ready, process, what)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _wait_until(ready: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        if ready():
            return
        time.sleep(POLL_SECONDS)
    raise RuntimeError(f"{what} was not ready within {START_TIMEOUT_SECONDS:.0f} s")


@contextmanager
def running_sandbox(host: str, port: int, data_file: Path) -> Iterator[str]:
    """Start the sandbox on `host:port` keeping its state in `data_file`; yield its root URL."""
    data_file.parent.mkdir(parents=True, exist_ok=True)
    root = f"http://{host}:{port}"
    command = [
        script("xero-sandbox"),
        "--host",
        host,
        "--port",
        str(port),
        "--data",
        str(data_file),
    ]

    def serving() -> bool:
        try:
            httpx.get(f"{root}/connections", timeout=1.0)
        except httpx.TransportError:
            return False
        return True

    with running(command, "the Xero sandbox", serving):
        yield root


@contextmanager
def running_worker(name: str) -> Iterator[None]:
    """A `ledgerlink worker` sending to Xero as documents change."""
    with running([script("ledgerlink"), "worker", "--name", name], "the worker"):
        yield
