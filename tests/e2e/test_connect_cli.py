"""`ledgerlink connect` as a terminal user runs it: a real process, Xero's consent page in a
"browser", and the way back to the callback (served by the command, or by a running API)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from tests.client.sandbox.consent import read_form
from xero_sandbox import RunningSandbox, SandboxConfig, serve_in_thread

SECRET_KEY = "e2e-secret-key-0123456789abcdefghijklmnop"
COMPANY = "Acme Ltd"
WAIT_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty")


@pytest.fixture
def sandbox(sandbox_config: SandboxConfig) -> Iterator[RunningSandbox]:
    with serve_in_thread(sandbox_config) as running:
        yield running


#: An app that asks Xero's consent page for several organisations at once.
several_organisations = pytest.mark.parametrize(
    "sandbox_config",
    [SandboxConfig(seed="empty", multi_organisation_consent=True)],
    ids=["several-organisations"],
)


@pytest.fixture
def settings(tmp_path: Path, sandbox: RunningSandbox) -> Settings:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'var' / 'ledgerlink.db'}",
        var_dir=tmp_path / "var",
        secret_key=SECRET_KEY,
        xero_login_url=sandbox.base_url,
        xero_identity_url=sandbox.base_url,
        xero_api_url=sandbox.base_url,
        xero_redirect_uri=f"http://127.0.0.1:{free_port()}/xero/callback",
    )
    upgrade(settings.database_url)
    container = Container(settings)
    with container.uow() as uow:
        company = uow.companies.add(COMPANY)
        user = uow.users.add("admin@acme.test")
        uow.users.grant(user.id, company.id, Role.ADMIN)
        uow.commit()
    container.close()
    return settings


def ledgerlink(
    settings: Settings, *args: str, stdin: int = subprocess.DEVNULL
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "COLUMNS": "200",
        "LEDGERLINK_DATABASE_URL": settings.database_url,
        "LEDGERLINK_VAR_DIR": str(settings.var_dir),
        "LEDGERLINK_SECRET_KEY": SECRET_KEY,
        "LEDGERLINK_XERO_LOGIN_URL": settings.xero_login_url,
        "LEDGERLINK_XERO_IDENTITY_URL": settings.xero_identity_url,
        "LEDGERLINK_XERO_API_URL": settings.xero_api_url,
        "LEDGERLINK_XERO_REDIRECT_URI": settings.xero_redirect_uri,
    }
    command = [str(Path(sys.executable).with_name("ledgerlink")), *args]
    return subprocess.Popen(
        command, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def read_until(stream: IO[str], prefix: str, seen: list[str]) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if line.startswith(prefix):
            return line.strip()
    raise AssertionError(f"no line starting with {prefix!r} in: {''.join(seen)}")


def allow_in_browser(url: str) -> httpx.Response:
    """Press "Allow access" on Xero's consent page leaving its choice as it is, as a person
    does, and follow Xero's redirect back to ledgerlink."""
    with httpx.Client(timeout=10, headers={"Accept": BROWSER_ACCEPT}) as browser:
        page = browser.get(url)
        form = read_form(page.text)
        answer = browser.post(httpx.URL(url).join(form.action), data=form.submission("allow"))
        assert answer.status_code == 302, answer.text
        return browser.get(answer.headers["location"])


def finish(process: subprocess.Popen[str], seen: list[str]) -> str:
    try:
        rest, _ = process.communicate(timeout=WAIT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
    return "".join(seen) + rest


def test_connect_serves_the_callback_when_no_api_runs(settings: Settings) -> None:
    process = ledgerlink(settings, "connect", "--company", COMPANY, "--timeout", "60")
    assert process.stdout is not None
    seen: list[str] = []
    url = read_until(process.stdout, "http", seen)
    read_until(process.stdout, "Waiting for Xero", seen)

    back = allow_in_browser(url)

    assert back.status_code == 200, back.text
    assert "Connected to Xero" in back.text
    output = finish(process, seen)
    assert process.returncode == 0, output
    assert f"{COMPANY}: connected to Demo Company (Sandbox)" in output
    assert "(here)" in output

    status = ledgerlink(settings, "xero-status", "--company", COMPANY)
    shown = finish(status, [])
    assert "connected to Demo Company (Sandbox)" in shown
    assert "budget: 60/min, 5000/day left, 0 in flight" in shown
    gone = ledgerlink(settings, "disconnect", "--company", COMPANY)
    assert f"{COMPANY} is disconnected from Xero." in finish(gone, [])
    again = ledgerlink(settings, "xero-status", "--company", COMPANY)
    assert f"{COMPANY} is not connected to Xero." in finish(again, [])


def test_connect_watches_the_database_when_the_api_receives_the_callback(
    settings: Settings,
) -> None:
    container = Container(settings)
    redirect = urlsplit(settings.xero_redirect_uri)
    config = uvicorn.Config(
        container.api(), host="127.0.0.1", port=redirect.port or 80, log_level="warning"
    )
    api = uvicorn.Server(config)
    thread = threading.Thread(target=api.run, daemon=True)
    thread.start()
    try:
        while not api.started:
            time.sleep(0.01)
        process = ledgerlink(settings, "connect", "--company", COMPANY, "--timeout", "60")
        assert process.stdout is not None
        seen: list[str] = []
        url = read_until(process.stdout, "http", seen)
        read_until(process.stdout, "Waiting for Xero", seen)
        assert "(by the running API)" in seen[-1]

        back = allow_in_browser(url)

        assert back.status_code == 200, back.text
        output = finish(process, seen)
        assert process.returncode == 0, output
        assert f"{COMPANY}: connected to Demo Company (Sandbox)" in output
    finally:
        api.should_exit = True
        thread.join(10)
        container.close()


def test_connect_reports_a_cancelled_consent(settings: Settings) -> None:
    process = ledgerlink(settings, "connect", "--company", COMPANY, "--timeout", "60")
    assert process.stdout is not None
    seen: list[str] = []
    url = read_until(process.stdout, "http", seen)
    read_until(process.stdout, "Waiting for Xero", seen)
    with httpx.Client(timeout=10) as browser:
        form = read_form(browser.get(url).text)
        answer = browser.post(httpx.URL(url).join(form.action), data=form.submission("cancel"))
        back = browser.get(answer.headers["location"], headers={"Accept": "text/html"})

    assert back.status_code == 400
    assert "access was not granted in Xero" in back.text
    assert parse_qs(urlsplit(answer.headers["location"]).query)["error"] == ["access_denied"]
    output = finish(process, seen)
    assert process.returncode == 1
    assert "the company was not connected" in output


def test_the_default_consent_connects_and_the_company_imports(settings: Settings) -> None:
    process = ledgerlink(settings, "connect", "--company", COMPANY, "--timeout", "60")
    assert process.stdout is not None
    seen: list[str] = []
    url = read_until(process.stdout, "http", seen)
    read_until(process.stdout, "Waiting for Xero", seen)

    back = allow_in_browser(url)

    assert back.status_code == 200, back.text
    assert back.headers["content-type"].startswith("text/html")
    assert f"{COMPANY} is now connected to the Xero organisation Demo Company" in back.text
    output = finish(process, seen)
    assert process.returncode == 0, output
    assert f"{COMPANY}: connected to Demo Company (Sandbox)" in output
    imported = ledgerlink(settings, "import", "accounts", "--company", COMPANY)
    shown = finish(imported, [])
    assert imported.returncode == 0, shown
    assert "not connected" not in shown


@several_organisations
def test_connect_asks_which_organisation_when_the_consent_covers_several(
    settings: Settings,
) -> None:
    process = ledgerlink(
        settings, "connect", "--company", COMPANY, "--timeout", "60", stdin=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    seen: list[str] = []
    url = read_until(process.stdout, "http", seen)
    read_until(process.stdout, "Waiting for Xero", seen)

    back = allow_in_browser(url)

    assert "Choose the organisation" in back.text
    read_until(process.stdout, "  2. Empty Company (Sandbox)", seen)
    process.stdin.write("2\n")
    process.stdin.flush()
    output = finish(process, seen)
    assert process.returncode == 0, output
    assert f"{COMPANY}: connected to Empty Company (Sandbox)" in output


@several_organisations
def test_a_company_waiting_for_a_choice_is_told_how_and_chooses_by_name(
    settings: Settings,
) -> None:
    process = ledgerlink(settings, "connect", "--company", COMPANY, "--timeout", "60")
    assert process.stdout is not None
    seen: list[str] = []
    url = read_until(process.stdout, "http", seen)
    read_until(process.stdout, "Waiting for Xero", seen)
    allow_in_browser(url)
    output = finish(process, seen)
    assert process.returncode == 1, output
    assert "No organisation was chosen" in output

    assert f"ledgerlink connect --company '{COMPANY}' --organisation 'Empty Company" in output

    refused = ledgerlink(settings, "import", "accounts", "--company", COMPANY)
    said = " ".join(finish(refused, []).split())
    assert "choose an organisation with `ledgerlink connect --company NAME --organisation" in said

    unknown = ledgerlink(settings, "connect", "--company", COMPANY, "--organisation", "Nope")
    listed = finish(unknown, [])
    assert unknown.returncode == 2, listed
    assert "No organisation 'Nope' among those of the consent" in listed
    assert "Open this URL" not in listed

    chosen = ledgerlink(
        settings, "connect", "--company", COMPANY, "--organisation", "empty company (sandbox)"
    )
    output = finish(chosen, [])
    assert chosen.returncode == 0, output
    assert "Open this URL" not in output
    assert f"{COMPANY}: connected to Empty Company (Sandbox)" in output


def test_connect_names_an_unknown_company(settings: Settings) -> None:
    output = finish(ledgerlink(settings, "connect", "--company", "Nope Inc"), [])
    assert "There is no company named 'Nope Inc'" in output


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LEDGERLINK_")}
    env |= {
        "LEDGERLINK_ENVIRONMENT": "production",
        "LEDGERLINK_DATABASE_URL": f"sqlite:///{tmp_path / 'ledgerlink.db'}",
        "LEDGERLINK_VAR_DIR": str(tmp_path / "var"),
    }
    command = [str(Path(sys.executable).with_name("ledgerlink")), "serve", "--port", "0"]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)

    assert refused.returncode != 0
    assert "LEDGERLINK_SECRET_KEY is not set" in refused.stdout + refused.stderr
    assert not (tmp_path / "var" / "secret.key").exists()
