"""`serve_in_thread`: a real sandbox on 127.0.0.1 and a free port, for tests and benchmarks."""

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette

from xero_sandbox.app import create_app
from xero_sandbox.clock import SandboxClock
from xero_sandbox.config import SandboxConfig
from xero_sandbox.fault_layer import ConnectionDropped
from xero_sandbox.state import SandboxState

STARTUP_TIMEOUT_SECONDS = 30.0


class _QuietDrops(logging.Filter):
    """A dropped connection is an injected fault, not a crash worth a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


def quiet_dropped_connections() -> None:
    """Keep `drop` faults out of uvicorn's error log (safe to call more than once)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDrops) for f in logger.filters):
        logger.addFilter(_QuietDrops())


@dataclass
class RunningSandbox:
    """A sandbox serving in a background thread."""

    base_url: str
    app: Starlette
    clock: SandboxClock

    @property
    def state(self) -> SandboxState:
        """The sandbox's live state (organisations, identity, limits...)."""
        sandbox: SandboxState = self.app.state.sandbox
        return sandbox


class _Server(uvicorn.Server):
    """uvicorn that says when it is ready and stops without waiting for its next tick."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self.ready.set()

    async def main_loop(self) -> None:
        assert self._stop is not None
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), 0.1)

    def stop(self) -> None:
        """Ask the server to exit, from any thread."""
        self.should_exit = True
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stop.set)


def uvicorn_config(app: Starlette, host: str, port: int) -> uvicorn.Config:
    """How the sandbox runs under uvicorn (the CLI uses the same settings)."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        ws="none",
        loop="asyncio",
        timeout_graceful_shutdown=5,
    )


def _wait_until_ready(server: _Server, thread: threading.Thread) -> None:
    waited = 0.0
    while not server.ready.wait(0.05):
        waited += 0.05
        if not thread.is_alive() or waited > STARTUP_TIMEOUT_SECONDS:
            raise RuntimeError("xero-sandbox did not start; see the log above")


@contextmanager
def serve_in_thread(
    config: SandboxConfig | None = None, clock: SandboxClock | None = None
) -> Iterator[RunningSandbox]:
    """Serve a sandbox on 127.0.0.1 and a free port until the `with` block ends."""
    config = config or SandboxConfig()
    clock = clock or SandboxClock()
    app = create_app(config, clock)
    quiet_dropped_connections()
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY only on sockets that say they are
    # TCP, and without it every response waits out the peer's delayed ACK (about 40 ms).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    host, port = sock.getsockname()
    server = _Server(uvicorn_config(app, host, port))
    base_url = f"http://{host}:{port}"
    app.state.sandbox.webhooks.api_root = base_url
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="xero-sandbox", daemon=True
    )
    thread.start()
    try:
        _wait_until_ready(server, thread)
        yield RunningSandbox(base_url, app, clock)
    finally:
        server.stop()
        thread.join(STARTUP_TIMEOUT_SECONDS)
        sock.close()
