"""An operator's stack for end-to-end tests: the sandbox in a thread, the API on 127.0.0.1
with a fresh SQLite database and a company whose admin has connected it to Xero over HTTP,
and the environment that a `ledgerlink worker` process needs to join them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from tests.client.sandbox.consent import read_form
from tests.integration.connect.conftest import SECRET_KEY
from tests.integration.sync.harness import bound_socket, serve_api
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    serve_in_thread,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with serve_in_thread(SandboxConfig(seed="demo"), SandboxClock.manual(start)) as running:
        yield running


def environment(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "LEDGERLINK_DATABASE_URL": settings.database_url,
        "LEDGERLINK_SECRET_KEY": str(settings.secret_key),
        "LEDGERLINK_VAR_DIR": str(settings.var_dir),
        "LEDGERLINK_XERO_LOGIN_URL": settings.xero_login_url,
        "LEDGERLINK_XERO_IDENTITY_URL": settings.xero_identity_url,
        "LEDGERLINK_XERO_API_URL": settings.xero_api_url,
        "LEDGERLINK_XERO_REDIRECT_URI": settings.xero_redirect_uri,
    }


def press_allow(url: str) -> dict[str, str]:
    """Open Xero's consent page as a browser would, allow the demo organisation, and return
    the query of the redirect back to the app."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(url)
        form = read_form(page.text)
        data = {**form.submission("allow"), "tenant": [DEMO_TENANT_ID]}
        answer = browser.post(httpx.URL(url).join(form.action), data=data)
    assert answer.status_code == 302, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}


class Admin:
    """The company's admin, calling the API over HTTP."""

    def __init__(self, api: httpx.Client, company_id: object) -> None:
        self.api = api
        self.prefix = f"/api/v1/companies/{company_id}"

    def call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = self.api.request(method, self.prefix + path, json=body)
        assert answer.status_code == status, answer.text
        return answer.json()

    def approve(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        created: dict[str, Any] = self.call("POST", path, body, 201)
        self.call("POST", f"{path}/{created['id']}/submit")
        self.call("POST", f"{path}/{created['id']}/approve")
        return created


@dataclass
class Stack:
    """What a test drives: the admin over HTTP, the raw client, the container, the settings."""

    admin: Admin
    api: httpx.Client
    container: Container
    settings: Settings
    company_id: Any

    @property
    def env(self) -> dict[str, str]:
        return environment(self.settings)


@contextmanager
def connected_stack(tmp_path: Path, sandbox: RunningSandbox) -> Iterator[Stack]:
    """The API serving a company "Acme Ltd" whose admin connected it to the sandbox's demo
    organisation through the consent page, as a person does."""
    sock = bound_socket()
    host, port = sock.getsockname()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'ledgerlink.db'}",
        secret_key=SECRET_KEY,
        var_dir=tmp_path / "var",
        xero_login_url=sandbox.base_url,
        xero_identity_url=sandbox.base_url,
        xero_api_url=sandbox.base_url,
        xero_redirect_uri=f"http://{host}:{port}/xero/callback",
    )
    upgrade(settings.database_url)
    container = Container(settings)
    with container.uow() as uow:
        company = uow.companies.add("Acme Ltd")
        user = uow.users.add("admin@acme.test")
        uow.users.grant(user.id, company.id, Role.ADMIN)
        token = uow.tokens.issue(user.id, "e2e").secret
        uow.commit()
    try:
        for base_url in serve_api(container, sock):
            headers = {"Authorization": f"Bearer {token}"}
            with httpx.Client(base_url=base_url, headers=headers, timeout=10) as api:
                admin = Admin(api, company.id)
                back = press_allow(admin.call("GET", "/xero/connect")["authorize_url"])
                assert api.get("/xero/callback", params=back).status_code == 200
                yield Stack(admin, api, container, settings, company.id)
    finally:
        container.close()
