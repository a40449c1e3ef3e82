"""`ledgerlink up` as a newcomer runs it: real processes on 127.0.0.1, then the README's steps."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.client.sandbox.consent import read_form
from xero_sandbox import DEMO_TENANT_ID

START_TIMEOUT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Up:
    base: str
    sandbox: str
    token: str
    env: dict[str, str]
    process: subprocess.Popen[str]
    banner: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Up]:
    with running_up(tmp_path) as started:
        yield started


@contextmanager
def running_up(tmp_path: Path) -> Iterator[Up]:
    """`ledgerlink up` in `tmp_path`, stopped (SIGINT) when the block ends."""
    port, sandbox_port = free_port(), free_port()
    env = {
        **os.environ,
        "LEDGERLINK_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'ledgerlink.db'}",
        "LEDGERLINK_VAR_DIR": str(tmp_path / "var"),
        "COLUMNS": "200",
    }
    command = [
        str(Path(sys.executable).with_name("ledgerlink")),
        "up",
        "--port",
        str(port),
        "--sandbox-port",
        str(sandbox_port),
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    # Stopped whatever happens, a start that timed out included: a live `up` left behind
    # keeps its port, its sandbox and its worker.
    try:
        token = None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        lines: list[str] = []
        while token is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            lines.append(line)
            found = re.search(r"API token:\s+(ll_\S+)", line)
            token = found.group(1) if found else None
        assert token is not None, "".join(lines)
        base = f"http://127.0.0.1:{port}"
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield Up(base, f"http://127.0.0.1:{sandbox_port}", token, env, process, "".join(lines))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def test_a_newcomer_creates_a_supplier_and_a_po_approves_it_and_sees_the_outbox_row(
    up: Up,
) -> None:
    with httpx.Client(base_url=up.base, headers=up.headers, timeout=10) as api:
        company = api.get("/api/v1/companies").json()["data"][0]
        assert company["name"] == "Demo Company"
        root = f"/api/v1/companies/{company['id']}"
        supplier = api.post(f"{root}/suppliers", json={"name": "Acme Supplies"}).json()
        order = api.post(
            f"{root}/purchase-orders",
            json={
                "supplier_id": supplier["id"],
                "number": "PO-1",
                "date": "2026-11-23",
                "currency": "NZD",
                "lines": [
                    {
                        "description": "Paper",
                        "quantity": "2",
                        "unit_price": "9.99",
                        "account_code": "400",
                    }
                ],
            },
        ).json()
        api.post(f"{root}/purchase-orders/{order['id']}/submit")
        approved = api.post(f"{root}/purchase-orders/{order['id']}/approve").json()
        assert approved["status"] == "approved"
        outbox = api.get(f"{root}/outbox").json()["data"]
    assert any(
        row["document_id"] == order["id"] and row["event_type"] == "DocumentApproved"
        for row in outbox
    )


class _Assets(HTMLParser):
    """The addresses a browser fetches for a page: scripts, stylesheets, icons; and links."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "script" and found.get("src"):
            self.fetched.append(found["src"])
        elif tag == "link" and found.get("href"):
            self.fetched.append(found["href"])
        elif tag == "a" and found.get("href"):
            self.links.append(found["href"])


def _assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def test_the_api_docs_load_everything_from_the_app_itself(up: Up) -> None:
    with httpx.Client(base_url=up.base, timeout=10) as browser:
        page = browser.get("/api/v1/docs")
        assert page.status_code == 200
        fetched = _assets(page.text).fetched
        assert any(url.endswith(".js") for url in fetched), page.text
        assert any(url.endswith(".css") for url in fetched), page.text
        for url in fetched:
            assert url.startswith("/"), f"{url} is not served by the app"
            asset = browser.get(url)
            assert asset.status_code == 200, url
            assert asset.content, url
        assert "/api/v1/openapi.json" in page.text
        assert browser.get("/api/v1/openapi.json").json()["info"]["title"] == "ledgerlink"


def test_the_address_up_prints_answers_a_page_with_links(up: Up) -> None:
    printed = re.search(r"ledgerlink is up at (\S+)", up.banner)
    assert printed is not None, up.banner
    # The console's sign-in page, where the address leads a browser not signed in yet.
    with httpx.Client(timeout=10, follow_redirects=True) as browser:
        home = browser.get(printed.group(1))
        assert home.status_code == 200
        assert "Sign in" in home.text
        assert home.headers["content-type"].startswith("text/html")
        links = _assets(home.text).links
        assert {"/api/v1/docs", "/api/v1/openapi.json", "/healthz"} <= set(links)
        for link in links:
            assert browser.get(httpx.URL(printed.group(1)).join(link)).status_code == 200, link


def test_stopping_up_with_sigterm_stops_its_sandbox(tmp_path: Path) -> None:
    port, sandbox_port = free_port(), free_port()
    env = {
        **os.environ,
        "LEDGERLINK_DATABASE_URL": f"sqlite:///{tmp_path / 'ledgerlink.db'}",
        "LEDGERLINK_VAR_DIR": str(tmp_path),
    }
    command = [
        str(Path(sys.executable).with_name("ledgerlink")),
        "up",
        "--port",
        str(port),
        "--sandbox-port",
        str(sandbox_port),
    ]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    sandbox = f"http://127.0.0.1:{sandbox_port}/connections"
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    assert httpx.get(sandbox, timeout=5).status_code == 401
    process.terminate()
    process.wait(timeout=20)
    with pytest.raises(httpx.TransportError):
        httpx.get(sandbox, timeout=2)


def test_the_sandbox_runs_beside_the_api(up: Up) -> None:
    # The sandbox's consent page answers: a newcomer can connect with one click.
    page = httpx.get(f"{up.sandbox}/connections", timeout=5)
    assert page.status_code == 401


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def connect_demo_company(api: httpx.Client, root: str) -> None:
    """What a newcomer does in the browser: open the consent page, keep the organisation it
    preselects, click "Allow access", land on our callback's page."""
    authorize = api.get(f"{root}/xero/connect").json()["authorize_url"]
    with httpx.Client(
        follow_redirects=True, timeout=10, headers={"Accept": BROWSER_ACCEPT}
    ) as browser:
        form = read_form(browser.get(authorize).text)
        landed = browser.post(httpx.URL(authorize).join(form.action), data=form.submission("allow"))
    assert landed.headers["content-type"].startswith("text/html"), landed.text
    assert "is now connected to the Xero organisation Demo Company (Sandbox)" in landed.text


def test_a_newcomer_connects_imports_and_sees_an_approved_po_reach_xero(up: Up) -> None:
    an_approved_po_reaches_xero(up)


def connect_and_import(up: Up, api: httpx.Client) -> str:
    """Connect the demo company in the browser, then `ledgerlink import all`; its API root."""
    company = api.get("/api/v1/companies").json()["data"][0]
    root = f"/api/v1/companies/{company['id']}"
    connect_demo_company(api, root)
    imported = subprocess.run(
        [str(Path(sys.executable).with_name("ledgerlink")), "import", "all",
         "--company", "Demo Company"],
        env=up.env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stdout + imported.stderr
    return root


def an_approved_po_reaches_xero(up: Up) -> None:
    """Connect the demo company, import from Xero, approve a PO: the worker sends it."""
    with httpx.Client(base_url=up.base, headers=up.headers, timeout=10) as api:
        root = connect_and_import(up, api)
        suppliers = api.get(f"{root}/suppliers?status=ACTIVE").json()
        assert suppliers["count"] > 0
        order = api.post(
            f"{root}/purchase-orders",
            json={
                "supplier_id": suppliers["data"][0]["id"],
                "number": "PO-NEWCOMER-1",
                "date": "2026-11-23",
                "currency": "NZD",
                "lines": [{"description": "Paper", "quantity": "2", "unit_price": "9.99",
                           "account_code": "400", "tax_type": "INPUT2"}],
            },
        ).json()  # fmt: skip
        api.post(f"{root}/purchase-orders/{order['id']}/submit")
        api.post(f"{root}/purchase-orders/{order['id']}/approve")
        deadline = time.monotonic() + 30
        state: dict[str, object] = {}
        while time.monotonic() < deadline:
            state = api.get(f"{root}/sync/purchase_order/{order['id']}").json()
            if state.get("state") == "sent":
                break
            time.sleep(0.2)
    assert state.get("state") == "sent", state
    shown = httpx.get(f"{up.sandbox}/_sandbox/orgs/{DEMO_TENANT_ID}", timeout=10).text
    assert "PO-NEWCOMER-1" in shown


def worker_children(parent: int) -> list[int]:
    """The `ledgerlink worker` processes started by process ``parent``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[1]) == parent and b"worker" in command:
            found.append(int(stat.parent.name))
    return found


def test_up_restarts_its_worker_after_it_is_killed(up: Up) -> None:
    [first] = worker_children(up.process.pid)
    lines: list[str] = []
    assert up.process.stdout is not None
    reader = threading.Thread(
        target=lambda: lines.extend(iter(up.process.stdout.readline, "")),  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()

    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 30
    again: list[int] = []
    while time.monotonic() < deadline and not (again and again != [first]):
        time.sleep(0.2)
        again = worker_children(up.process.pid)

    assert again and again != [first], "the worker was not started again"
    while time.monotonic() < deadline and not any("restarting" in line for line in lines):
        time.sleep(0.1)
    assert any("the worker exited with code -9; restarting it in" in line for line in lines)
    an_approved_po_reaches_xero(up)
