"""A real sandbox over HTTP, a migrated database, and a gateway between them.

The sandbox's manual clock is the clock of ledgerlink too, so token lifetimes, consent
expiry and rate windows move only when a test advances it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.config import Settings
from ledgerlink.store.records import Role
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from tests.client.sandbox.consent import read_form
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    serve_in_thread,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REDIRECT_URI = "http://127.0.0.1:8000/xero/callback"
SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnop"


class AdvancingSleep:
    """Waits by moving the sandbox's clock, never for real."""

    def __init__(self, clock: SandboxClock) -> None:
        self.clock = clock
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sandbox_clock() -> SandboxClock:
    return SandboxClock.manual(START)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="empty")


#: For tests of a consent covering several organisations: the sandbox lets the app ask for
#: several at once (Xero's default consent page picks one).
several_organisations = pytest.mark.parametrize(
    "sandbox_config",
    [SandboxConfig(seed="empty", multi_organisation_consent=True)],
    ids=["several-organisations"],
)


@pytest.fixture
def sandbox(sandbox_config: SandboxConfig, sandbox_clock: SandboxClock) -> Iterator[RunningSandbox]:
    with serve_in_thread(sandbox_config, sandbox_clock) as running:
        yield running


def sandbox_settings(sandbox: RunningSandbox, database_url: str, folder: Path) -> Settings:
    """Settings for an app whose Xero is `sandbox` and whose database is `database_url`."""
    return Settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        var_dir=folder / "var",
        xero_login_url=sandbox.base_url,
        xero_identity_url=sandbox.base_url,
        xero_api_url=sandbox.base_url,
        xero_redirect_uri=REDIRECT_URI,
    )


@pytest.fixture
def settings(sandbox: RunningSandbox, database_url: str, tmp_path: Path) -> Settings:
    return sandbox_settings(sandbox, database_url, tmp_path)


@pytest.fixture
def sleep(sandbox_clock: SandboxClock) -> AdvancingSleep:
    return AdvancingSleep(sandbox_clock)


@pytest.fixture
def gateway(
    session_factory: sessionmaker[Session],
    settings: Settings,
    sandbox_clock: SandboxClock,
    sleep: AdvancingSleep,
) -> XeroGateway:
    return XeroGateway(session_factory, settings, clock=sandbox_clock.now, sleep=sleep)


@pytest.fixture
def connector(gateway: XeroGateway) -> XeroConnector:
    return XeroConnector(gateway)


@dataclass
class People:
    """Two companies, each with an admin."""

    acme: Any
    globex: Any
    acme_admin: Any
    globex_admin: Any


@pytest.fixture
def people(session_factory: sessionmaker[Session], sandbox_clock: SandboxClock) -> People:
    with SqlUnitOfWork(session_factory, clock=sandbox_clock.now) as uow:
        acme = uow.companies.add("Acme Ltd")
        globex = uow.companies.add("Globex Corp")
        acme_admin = uow.users.add("admin@acme.test")
        globex_admin = uow.users.add("admin@globex.test")
        uow.users.grant(acme_admin.id, acme.id, Role.ADMIN)
        uow.users.grant(globex_admin.id, globex.id, Role.ADMIN)
        uow.commit()
    return People(acme.id, globex.id, acme_admin.id, globex_admin.id)


def consent(url: str, *, button: str = "allow", tenants: list[str] | None = None) -> dict[str, str]:
    """Open Xero's consent page as a browser would, press a button, and return the query
    of the redirect back to our callback (`code` and `state`, or `error`)."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(url)
        assert page.status_code == 200, page.text
        form = read_form(page.text)
        data = form.submission(button)
        if tenants is not None:
            data["tenant"] = tenants
        answer = browser.post(httpx.URL(url).join(form.action), data=data)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def connect(
    connector: XeroConnector,
    company_id: Any,
    user_id: Any,
    tenants: list[str] | None = None,
) -> Any:
    """Connect a company through the consent page, to the demo organisation by default."""
    link = await connector.start(company_id, user_id)
    back = await asyncio.to_thread(consent, link.url, tenants=tenants or [DEMO_TENANT_ID])
    return await connector.complete(back.get("state"), back.get("code"))
