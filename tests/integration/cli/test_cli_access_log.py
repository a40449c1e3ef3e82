"""The API server's access log never shows the code and state of Xero's callback."""

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from ledgerlink.bootstrap import Container
from ledgerlink.cli.server import server_config
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    """The API served by uvicorn as `ledgerlink serve` and `up` configure it."""
    url = f"sqlite:///{tmp_path / 'var' / 'll.db'}"
    upgrade(url)
    container = Container(Settings(database_url=url))
    port = free_port()
    server = uvicorn.Server(server_config(container, "127.0.0.1", port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the API server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    container.close()


class Lines(logging.Handler):
    """Keeps the lines an access-log handler writes, formatted as it formats them."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_the_callback_is_logged_without_its_code_and_state(base_url: str) -> None:
    access = logging.getLogger("uvicorn.access")
    kept = Lines(access.handlers[0].formatter)
    access.addHandler(kept)
    try:
        httpx.get(f"{base_url}/xero/callback?code=SECRET-CODE-1&state=SECRET-STATE-1")
        httpx.get(f"{base_url}/healthz?probe=kept")
    finally:
        access.removeHandler(kept)
    logged = "\n".join(kept.lines)
    lines = [line for line in logged.splitlines() if "/xero/callback" in line]
    assert len(lines) == 1, logged
    assert "SECRET-CODE" not in logged
    assert "SECRET-STATE" not in logged
    assert "/xero/callback?[hidden]" in lines[0]
    # Other paths keep their query strings.
    assert "/healthz?probe=kept" in logged
