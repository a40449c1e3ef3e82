"""The processes `ledgerlink up` runs beside the API: the Xero sandbox and a worker, each
started again whenever it dies."""

import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

START_TIMEOUT_SECONDS = 20.0
POLL_SECONDS = 0.1
STOP_TIMEOUT_SECONDS = 10.0
#: A child that dies is started again after this pause, doubled with each death in a row.
RESTART_PAUSE_SECONDS = 1.0
MAX_RESTART_PAUSE_SECONDS = 60.0
#: A child that has run this long is well again: its next death pauses the shortest time.
STABLE_SECONDS = 60.0


def script(name: str) -> str:
    """The console script `name` installed beside this Python, else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; run 'make setup'")
    return found


class Supervised:
    """A child process that is started again, after a pause, whenever it dies.

    The pause doubles with each death in a row (up to ``MAX_RESTART_PAUSE_SECONDS``) and
    starts over once the child has run for ``STABLE_SECONDS``.
    """

    def __init__(self, command: list[str], what: str) -> None:
        self.command = command
        self.what = what
        self.restarts = 0
        self.process = self._start()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher = threading.Thread(target=self._watch, name=f"watch {what}", daemon=True)

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command)  # noqa: S603 - our own console scripts

    def watch(self) -> None:
        """Start restarting the child when it dies."""
        self._watcher.start()

    def _watch(self) -> None:
        pause = RESTART_PAUSE_SECONDS
        started = time.monotonic()
        while not self._stopping.wait(POLL_SECONDS * 5):
            code = self.process.poll()
            if code is None:
                if time.monotonic() - started > STABLE_SECONDS:
                    pause = RESTART_PAUSE_SECONDS
                continue
            print(
                f"{self.what} exited with code {code}; restarting it in {pause:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            if self._stopping.wait(pause):
                return
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = self._start()
                self.restarts += 1
            started = time.monotonic()
            pause = min(pause * 2, MAX_RESTART_PAUSE_SECONDS)

    def stop(self) -> None:
        """Stop watching, then stop the child (killed if it does not stop in time)."""
        with self._lock:
            self._stopping.set()
        process = self.process
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def running(
    command: list[str], what: str, ready: Callable[[], bool] = lambda: True
) -> Iterator[Supervised]:
    """Run `command` until the block ends, restarting it whenever it dies; wait until
    `ready()` first."""
    child = Supervised(command, what)
    # uvicorn re-raises SIGTERM once it has shut down; make it unwind through here
    # (as Ctrl-C does) so the children stop with us.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _wait_until(ready, child.process, what)
        child.watch()
        yield child
    finally:
        child.stop()
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
def running_sandbox(
    host: str, port: int, data_file: Path, webhooks: tuple[str, str] | None = None
) -> Iterator[str]:
    """Start the sandbox on `host:port` keeping its state in `data_file`; yield its root URL.

    `webhooks` (URL, key) has it post its signed events there.
    """
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
    if webhooks is not None:
        command += ["--webhook-url", webhooks[0], "--webhook-key", webhooks[1]]

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
