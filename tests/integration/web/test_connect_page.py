"""Connect from the console: the button, the sandbox's consent page, back to the console,
the organisation picker, and disconnect only after its confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.records import Role
from tests.integration.connect.conftest import (  # noqa: F401 - fixtures
    consent,
    sandbox,
    sandbox_clock,
    sandbox_config,
    settings,
    several_organisations,
)
from tests.integration.web.conftest import add_person, post_form, sign_in
from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, RunningSandbox


@pytest.fixture
def console(
    session_factory: sessionmaker[Session],
    settings: Settings,  # noqa: F811
    sandbox: RunningSandbox,  # noqa: F811
) -> Iterator[tuple[Container, TestClient]]:
    container = Container(settings, clock=sandbox.clock.now)
    with TestClient(container.api()) as browser:
        yield container, browser
    container.close()


def _connect_through_consent(browser: TestClient, company: str, tenants: list[str]) -> str:
    """Press Connect to Xero, allow access on the consent page; where Xero sends us back."""
    page = f"/companies/{company}/connect"
    started = post_form(browser, page, page, {})
    assert started.status_code == 303  # type: ignore[attr-defined]
    back = consent(started.headers["location"], tenants=tenants)  # type: ignore[attr-defined]
    came_back = browser.get("/xero/callback", params=back, follow_redirects=False)
    assert came_back.status_code == 303, came_back.text
    return str(came_back.headers["location"])


@several_organisations
def test_an_admin_connects_picks_the_organisation_and_disconnects_after_confirming(
    console: tuple[Container, TestClient],
) -> None:
    container, browser = console
    company = add_person(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    sign_in(browser, "admin@acme.test")
    landed = _connect_through_consent(browser, company, [DEMO_TENANT_ID, EMPTY_TENANT_ID])
    assert urlsplit(landed).path == f"/companies/{company}/connect"
    picker = browser.get(landed).text
    assert "Which one is Acme Ltd?" in picker
    assert "Demo Company (Sandbox)" in picker and "Empty Company (Sandbox)" in picker
    page = f"/companies/{company}/connect"
    chosen = post_form(browser, page, f"{page}/organisation", {"tenant_id": EMPTY_TENANT_ID})
    assert chosen.status_code == 303  # type: ignore[attr-defined]
    connected = browser.get(page).text
    assert "data-organisation>Empty Company (Sandbox)<" in connected

    unconfirmed = post_form(browser, page, f"{page}/disconnect", {})
    assert unconfirmed.status_code == 400  # type: ignore[attr-defined]
    assert "Tick the box" in unconfirmed.text  # type: ignore[attr-defined]
    assert "data-organisation>Empty Company" in browser.get(page).text
    confirmed = post_form(browser, page, f"{page}/disconnect", {"confirm": "yes"})
    assert confirmed.status_code == 303  # type: ignore[attr-defined]
    after = browser.get(confirmed.headers["location"]).text  # type: ignore[attr-defined]
    assert "Disconnected from Xero." in after
    assert "Connect to Xero</button>" in after


def test_the_way_back_from_xero_without_the_console_is_the_plain_page(
    console: tuple[Container, TestClient],
) -> None:
    container, browser = console
    company = add_person(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    sign_in(browser, "admin@acme.test")
    page = f"/companies/{company}/connect"
    started = post_form(browser, page, page, {})
    back = consent(started.headers["location"], tenants=[DEMO_TENANT_ID])  # type: ignore[attr-defined]
    browser.cookies.clear()  # e.g. `ledgerlink connect`'s link opened in another browser
    plain = browser.get("/xero/callback", params=back, follow_redirects=False)
    assert plain.status_code == 200
    assert "Connected to Xero" in plain.text


def test_a_member_cannot_connect(console: tuple[Container, TestClient]) -> None:
    container, browser = console
    company = add_person(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    add_person(container, "Acme Ltd", "member@acme.test", Role.MEMBER)
    sign_in(browser, "member@acme.test")
    page = f"/companies/{company}/connect"
    assert "An admin of the company connects it." in browser.get(page).text
    assert post_form(browser, page, page, {}).status_code == 403  # type: ignore[attr-defined]
