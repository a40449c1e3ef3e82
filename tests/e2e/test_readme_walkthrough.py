"""The README's walkthroughs ("From zero to a purchase order in Xero", then "From a customer
to a paid invoice in Xero"), run as a newcomer runs them: `ledgerlink up` in one terminal, the
README's two shell blocks pasted one after the other in a second, consent given in a browser."""

import contextlib
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.client.sandbox.consent import read_form
from tests.e2e.test_up import BROWSER_ACCEPT, START_TIMEOUT_SECONDS, free_port
from xero_sandbox import DEMO_TENANT_ID

README = Path(__file__).parents[2] / "README.md"
HEADING = "## From zero to a purchase order in Xero"
BILLING_HEADING = "## From a customer to a paid invoice in Xero"
#: The ports the README's block names: `ledgerlink up`'s API and sandbox.
README_API, README_SANDBOX = "127.0.0.1:8000", "127.0.0.1:8400"
WAIT_SECONDS = 120
SENT_SECONDS = 30
#: Each command the block runs is traced on a line of its own, after this marker.
TRACE = "+walkthrough: "
#: Set before the block: bash takes no PS4 from the environment when run as root.
TRACING = f"PS4=$'\\n{TRACE}'\n"


def walkthrough_block(heading: str = HEADING) -> str:
    """The first ```sh block under `heading`, as the README has it now."""
    text = README.read_text(encoding="utf-8")
    assert heading in text, f"README.md has no {heading!r}"
    section = text.split(heading, 1)[1]
    found = re.search(r"^```sh\n(.*?)^```", section, re.DOTALL | re.MULTILINE)
    assert found is not None, f"no ```sh block under {heading!r}"
    return found.group(1)


@dataclass
class Up:
    """`ledgerlink up` started in a folder of its own, as `make run` starts it."""

    folder: Path
    port: int
    sandbox_port: int
    token: str = ""

    @property
    def sandbox(self) -> str:
        return f"http://127.0.0.1:{self.sandbox_port}"


def stop(process: subprocess.Popen[str], output: "Lines | None") -> None:
    """End `process` (politely first) and what it left running, and read its output."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # its own group: a command it was running
    if output is not None:
        output.thread.join(10)
    if process.stdout is not None:
        process.stdout.close()


@pytest.fixture
def up(tmp_path: Path) -> Iterator[Up]:
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERLINK_")}
    port, sandbox_port = free_port(), free_port()
    command = [".venv/bin/ledgerlink", "up", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--sandbox-port", str(sandbox_port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    running = Up(tmp_path, port, sandbox_port)
    lines = None
    try:
        lines = Lines(process)
        banner = lines.until(re.compile(r"API token:\s+(ll_\S+)"), START_TIMEOUT_SECONDS)
        found = re.search(r"API token:\s+(ll_\S+)", banner)
        assert found is not None, lines.text()
        running.token = found.group(1)
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield running
    finally:
        stop(process, lines)


class Lines:
    """A process's output, read on a thread so that every wait has a deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        stream = process.stdout

        def read() -> None:
            for line in stream:
                self._lines.put(line)
            self._lines.put(None)

        self.thread = threading.Thread(target=read, daemon=True)
        self.thread.start()
        self.ended = False

    def until(self, pattern: re.Pattern[str], seconds: float) -> str:
        """The first line matching `pattern`, read within `seconds`."""
        deadline = time.monotonic() + seconds
        while not self.ended and time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if line is None:
                self.ended = True
                break
            self.seen.append(line)
            if pattern.search(line):
                return line.strip()
        raise AssertionError(f"no line matching {pattern.pattern!r} in:\n{self.text()}")

    def rest(self, seconds: float) -> str:
        """Everything up to the end of the output, within `seconds`."""
        self.thread.join(seconds)
        assert not self.thread.is_alive(), f"the output did not end:\n{self.text()}"
        while (line := self._lines.get_nowait()) is not None:
            self.seen.append(line)
        self.ended = True
        return self.text()

    def text(self) -> str:
        return "".join(self.seen)


def wait_for(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


def allow_in_browser(url: str) -> httpx.Response:
    """Open the consent page, keep its preselected organisation, press "Allow access" and
    follow Xero's redirect back to ledgerlink, as a browser does."""
    with httpx.Client(timeout=10, headers={"Accept": BROWSER_ACCEPT}) as browser:
        form = read_form(browser.get(url).text)
        answer = browser.post(httpx.URL(url).join(form.action), data=form.submission("allow"))
        assert answer.status_code == 302, answer.text
        return browser.get(answer.headers["location"])


class Tables(HTMLParser):
    """The rows of each table of a page, by the table's id, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id") or "", [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self._table[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows_in_xero(up: Up) -> dict[str, list[list[str]]]:
    """The sandbox's page of the demo organisation, the one the README points to."""
    page = httpx.get(f"{up.sandbox}/_sandbox/orgs/{DEMO_TENANT_ID}", timeout=10)
    assert page.status_code == 200, page.text
    tables = Tables()
    tables.feed(page.text)
    return tables.tables


def row(tables: dict[str, list[list[str]]], table: str, number: str) -> list[str] | None:
    return next((r for r in tables.get(table, []) if r and r[0] == number), None)


@pytest.mark.slow
def test_the_readme_walkthroughs_end_with_the_po_the_bill_and_a_paid_invoice_in_xero(
    up: Up,
) -> None:
    block = walkthrough_block() + walkthrough_block(BILLING_HEADING)
    assert README_API in block and README_SANDBOX in block, block
    block = block.replace(README_API, f"127.0.0.1:{up.port}")
    block = block.replace(README_SANDBOX, f"127.0.0.1:{up.sandbox_port}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERLINK_")}
    env["TOKEN"] = up.token
    script = subprocess.Popen(
        ["bash", "-x", "-e", "-u", "-o", "pipefail", "-c", TRACING + block],
        cwd=up.folder,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = None
    try:
        output = Lines(script)
        url = output.until(re.compile(r"^https?://\S+\?"), WAIT_SECONDS)
        output.until(re.compile(r"Waiting for Xero"), WAIT_SECONDS)

        back = allow_in_browser(url)

        assert back.status_code == 200, back.text
        assert "Connected to Xero" in back.text
        try:
            script.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the block did not end:\n{output.text()}") from None
        said = output.rest(10)
    finally:
        stop(script, output)
    assert script.returncode == 0, said
    # `up`'s API received Xero's callback: `connect` knew where `up` listens.
    waited = f"127.0.0.1:{up.port}/xero/callback (by the running API)"
    assert waited in " ".join(said.split()), said
    assert "connected to Demo Company (Sandbox)" in said
    last = said.rsplit(f"\n{TRACE}", 1)[1]
    status = said.rsplit(f"\n{TRACE}.venv/bin/ledgerlink sync status", 1)[1]
    assert last.startswith("curl -s -H"), said
    assert "PO-1001" in status and "BILL-1001" in status and "INV-9001" in status, said
    assert '"amount_due":"0.00"' in last.replace(" ", ""), said

    deadline = time.monotonic() + SENT_SECONDS
    tables = rows_in_xero(up)
    while time.monotonic() < deadline and not (
        row(tables, "purchase-orders", "PO-1001")
        and row(tables, "bills", "INV-7781")
        and "PAID" in (row(tables, "invoices", "INV-9001") or [])
    ):
        time.sleep(0.5)
        tables = rows_in_xero(up)
    order, bill = row(tables, "purchase-orders", "PO-1001"), row(tables, "bills", "INV-7781")
    assert order is not None and "AUTHORISED" in order, tables.get("purchase-orders")
    assert bill is not None and "AUTHORISED" in bill, tables.get("bills")
    invoice = row(tables, "invoices", "INV-9001")
    assert invoice is not None and "PAID" in invoice and "149.50" in invoice, tables.get("invoices")
    paid = [r for r in tables.get("payments", []) if "INV-9001" in r]
    assert sorted(r[1] for r in paid) == ["100.00", "49.50"], tables.get("payments")
    assert row(tables, "contacts", "Harbour Cafe") is not None, tables.get("contacts")
