"""The connection over the REST API and the browser's way back from Xero's consent page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.bootstrap import Container
from ledgerlink.config import Settings
from ledgerlink.store.records import Role
from ledgerlink.store.uow import SqlUnitOfWork
from xero_client import ConnectionRevoked
from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, RunningSandbox

from .conftest import consent, several_organisations


@dataclass
class Admin:
    company_id: UUID
    headers: dict[str, str]

    def url(self, path: str = "") -> str:
        return f"/api/v1/companies/{self.company_id}/xero{path}"


def add_user(session_factory: sessionmaker[Session], company: str, email: str, role: Role) -> Admin:
    with SqlUnitOfWork(session_factory) as uow:
        found = uow.companies.get_by_name(company) or uow.companies.add(company)
        user = uow.users.add(email)
        uow.users.grant(user.id, found.id, role)
        issued = uow.tokens.issue(user.id, "tests")
        uow.commit()
    return Admin(found.id, {"Authorization": f"Bearer {issued.secret}"})


@pytest.fixture
def api(
    session_factory: sessionmaker[Session], settings: Settings, sandbox: RunningSandbox
) -> Iterator[TestClient]:
    container = Container(settings, clock=sandbox.clock.now)
    with TestClient(container.api()) as client:
        yield client
    container.close()


@pytest.fixture
def acme(session_factory: sessionmaker[Session]) -> Admin:
    return add_user(session_factory, "Acme Ltd", "admin@acme.test", Role.ADMIN)


@pytest.fixture
def globex(session_factory: sessionmaker[Session]) -> Admin:
    return add_user(session_factory, "Globex Corp", "admin@globex.test", Role.ADMIN)


def connect_in_browser(
    api: TestClient,
    admin: Admin,
    tenants: list[str] | None = None,
    *,
    button: str = "allow",
    accept: str = "application/json",
) -> httpx.Response:
    """What the admin does: open the consent page, press a button, come back to us."""
    started = api.get(admin.url("/connect"), headers=admin.headers)
    assert started.status_code == 200, started.text
    back = consent(
        started.json()["authorize_url"], button=button, tenants=tenants or [DEMO_TENANT_ID]
    )
    return api.get("/xero/callback", params=back, headers={"Accept": accept})


def test_an_admin_connects_and_sees_the_connection(api: TestClient, acme: Admin) -> None:
    came_back = connect_in_browser(api, acme)

    assert came_back.status_code == 200, came_back.text
    assert came_back.json() == {
        "status": "connected",
        "company_id": str(acme.company_id),
        "organisation": {"tenant_id": DEMO_TENANT_ID, "name": "Demo Company (Sandbox)"},
        "choices": [],
        "next": {"status": acme.url()},
    }
    status = api.get(acme.url(), headers=acme.headers).json()
    assert status["connected"] is True
    assert status["organisation"]["name"] == "Demo Company (Sandbox)"
    assert status["token"]["health"] == "ok"
    assert "accounting.contacts" in status["scopes"]
    assert status["budget"] == {
        "minute_remaining": 60,
        "day_remaining": 5000,
        "in_flight": 0,
        "parked_until": None,
    }


def test_the_budget_shown_follows_the_calls_made(
    api: TestClient, acme: Admin, sandbox: RunningSandbox
) -> None:
    connect_in_browser(api, acme)
    gateway = api.app.state.xero.gateway()  # type: ignore[attr-defined]

    async def three_calls() -> None:
        async with gateway.client(acme.company_id) as xero:
            for _ in range(3):
                await xero.get_organisation()

    api.portal.call(three_calls)  # type: ignore[union-attr]

    budget = api.get(acme.url(), headers=acme.headers).json()["budget"]
    assert (budget["minute_remaining"], budget["day_remaining"]) == (57, 4997)
    sandbox.clock.advance(61)
    assert api.get(acme.url(), headers=acme.headers).json()["budget"]["minute_remaining"] == 60


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("accept", [BROWSER_ACCEPT, "*/*"], ids=["browser", "any"])
def test_the_browser_gets_a_page_saying_what_to_do_next(
    api: TestClient, acme: Admin, accept: str
) -> None:
    page = connect_in_browser(api, acme, accept=accept)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Connected to Xero" in page.text
    assert "Acme Ltd is now connected to the Xero organisation Demo Company (Sandbox)" in page.text
    assert "ledgerlink import all --company &#x27;Acme Ltd&#x27;" in page.text


@several_organisations
def test_a_consent_of_several_organisations_shows_how_to_choose(
    api: TestClient, acme: Admin
) -> None:
    page = connect_in_browser(api, acme, [DEMO_TENANT_ID, EMPTY_TENANT_ID], accept=BROWSER_ACCEPT)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Choose the organisation" in page.text
    assert "Acme Ltd is not connected yet" in page.text
    for name in ("Demo Company (Sandbox)", "Empty Company (Sandbox)"):
        assert (
            f"ledgerlink connect --company &#x27;Acme Ltd&#x27; --organisation &#x27;{name}&#x27;"
            in page.text
        )


def test_a_cancelled_consent_shows_a_page_to_start_again(api: TestClient, acme: Admin) -> None:
    page = connect_in_browser(api, acme, button="cancel", accept=BROWSER_ACCEPT)

    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert "Acme Ltd was not connected: access was not granted in Xero" in page.text
    assert "ledgerlink connect --company &#x27;Acme Ltd&#x27;" in page.text


@several_organisations
def test_choosing_among_several_organisations(api: TestClient, acme: Admin) -> None:
    came_back = connect_in_browser(api, acme, [DEMO_TENANT_ID, EMPTY_TENANT_ID])

    assert came_back.json()["status"] == "choose_organisation"
    assert came_back.json()["next"]["choose"] == acme.url("/organisation")
    assert api.get(acme.url(), headers=acme.headers).json()["status"] == "choose_organisation"
    refused = api.post(acme.url("/organisation"), headers=acme.headers, json={"tenant_id": "x"})
    assert refused.status_code == 422
    assert "choose one of" in refused.json()["detail"]

    chosen = api.post(
        acme.url("/organisation"), headers=acme.headers, json={"tenant_id": EMPTY_TENANT_ID}
    )

    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["organisation"]["name"] == "Empty Company (Sandbox)"
    assert api.get(acme.url(), headers=acme.headers).json()["connected"] is True


def test_an_organisation_of_another_company_is_refused(
    api: TestClient, acme: Admin, globex: Admin
) -> None:
    connect_in_browser(api, acme)

    refused = connect_in_browser(api, globex)

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "already connected to another company" in refused.json()["detail"]
    assert api.get(globex.url(), headers=globex.headers).json()["status"] == "not_connected"
    assert api.get(acme.url(), headers=acme.headers).json()["connected"] is True


def test_cancel_on_the_consent_page_is_explained(api: TestClient, acme: Admin) -> None:
    refused = connect_in_browser(api, acme, button="cancel")

    assert refused.status_code == 400
    assert "access was not granted in Xero" in refused.json()["detail"]
    assert refused.json()["errors"][0]["reason"] == "access_denied"


def test_a_callback_replayed_is_refused(api: TestClient, acme: Admin) -> None:
    started = api.get(acme.url("/connect"), headers=acme.headers).json()
    back = consent(started["authorize_url"], tenants=[DEMO_TENANT_ID])
    assert api.get("/xero/callback", params=back).status_code == 200

    replayed = api.get("/xero/callback", params=back, headers={"Accept": "application/json"})

    assert replayed.status_code == 400
    assert "already used" in replayed.json()["detail"]


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    [
        ("member", "GET", "/connect", 403),
        ("member", "DELETE", "", 403),
        ("member", "POST", "/organisation", 403),
        ("other", "GET", "/connect", 404),
        ("other", "GET", "", 404),
        ("nobody", "GET", "", 401),
    ],
    ids=["member-connect", "member-disconnect", "member-choose", "other-connect", "other-status",
         "anonymous"],
)  # fmt: skip
def test_only_the_company_admin_connects(
    api: TestClient,
    acme: Admin,
    globex: Admin,
    session_factory: sessionmaker[Session],
    who: str,
    method: str,
    path: str,
    status: int,
) -> None:
    member = add_user(session_factory, "Acme Ltd", "member@acme.test", Role.MEMBER)
    headers = {"member": member.headers, "other": globex.headers, "nobody": {}}[who]
    body: Any = {"tenant_id": DEMO_TENANT_ID} if method == "POST" else None

    answer = api.request(method, acme.url(path), headers=headers, json=body)

    assert answer.status_code == status, answer.text
    if who == "member" and path == "":
        assert api.get(acme.url(), headers=member.headers).status_code == 200


def test_disconnect_removes_the_connection_in_xero_and_keeps_the_history(
    api: TestClient,
    acme: Admin,
    sandbox: RunningSandbox,
    session_factory: sessionmaker[Session],
) -> None:
    connect_in_browser(api, acme)
    gateway = api.app.state.xero.gateway()  # type: ignore[attr-defined]
    tokens = api.portal.call(gateway.token_store(acme.company_id).load)  # type: ignore[union-attr]
    with SqlUnitOfWork(session_factory) as uow:
        uow.xero_links.upsert(
            acme.company_id, "contact", "c-1", tenant_id=DEMO_TENANT_ID, xero_id="x-1"
        )
        uow.commit()

    gone = api.delete(acme.url(), headers=acme.headers)

    assert gone.json() == {"company_id": str(acme.company_id), "status": "disconnected"}
    assert api.get(acme.url(), headers=acme.headers).json()["status"] == "not_connected"
    assert sandbox.state.identity.connections("sandbox-client") == []
    with SqlUnitOfWork(session_factory) as uow:
        assert uow.xero_links.get(acme.company_id, "contact", "c-1") is not None

    async def refresh_old_token() -> None:
        async with gateway.http() as http:
            await gateway.oauth(http).refresh(tokens.refresh_token)

    with pytest.raises(ConnectionRevoked):
        api.portal.call(refresh_old_token)  # type: ignore[union-attr]
    again = connect_in_browser(api, acme)
    assert again.json()["status"] == "connected"


def test_revoked_access_shows_in_the_status(api: TestClient, acme: Admin) -> None:
    connect_in_browser(api, acme)
    gateway = api.app.state.xero.gateway()  # type: ignore[attr-defined]

    async def revoke_in_xero() -> None:
        tokens = await gateway.token_store(acme.company_id).load()
        async with gateway.http() as http:
            await gateway.oauth(http).revoke(tokens.refresh_token)

    api.portal.call(revoke_in_xero)  # type: ignore[union-attr]
    assert api.get(acme.url(), headers=acme.headers).json()["status"] == "connected"

    status = api.get(acme.url(), params={"check": "true"}, headers=acme.headers).json()

    assert (status["status"], status["connected"]) == ("needs_reconnect", False)
    assert status["token"]["health"] == "needs_reconnect"
    assert "connect to Xero again" in status["problem"]
    reconnected = connect_in_browser(api, acme)
    assert reconnected.json()["status"] == "connected"
    assert api.get(acme.url(), headers=acme.headers).json()["token"]["health"] == "ok"


def test_a_connection_xero_revoked_can_still_be_disconnected(api: TestClient, acme: Admin) -> None:
    connect_in_browser(api, acme)
    gateway = api.app.state.xero.gateway()  # type: ignore[attr-defined]

    async def revoke_in_xero() -> None:
        tokens = await gateway.token_store(acme.company_id).load()
        async with gateway.http() as http:
            await gateway.oauth(http).revoke(tokens.refresh_token)

    api.portal.call(revoke_in_xero)  # type: ignore[union-attr]
    api.get(acme.url(), params={"check": "true"}, headers=acme.headers)

    gone = api.delete(acme.url(), headers=acme.headers)

    assert gone.json()["status"] == "disconnected"
    assert api.get(acme.url(), headers=acme.headers).json()["status"] == "not_connected"


def test_tokens_never_appear_in_answers_or_logs(
    api: TestClient, acme: Admin, sandbox: RunningSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answers = [connect_in_browser(api, acme).text]
    sandbox.clock.advance(1801)
    gateway = api.app.state.xero.gateway()  # type: ignore[attr-defined]

    async def refresh_and_read() -> Any:
        async with gateway.client(acme.company_id) as xero:
            await xero.get_organisation()
        return await gateway.token_store(acme.company_id).load()

    tokens = api.portal.call(refresh_and_read)  # type: ignore[union-attr]
    answers.append(api.get(acme.url(), headers=acme.headers).text)
    answers.append(api.get(acme.url(), params={"check": "true"}, headers=acme.headers).text)
    answers.append(api.get("/api/v1/openapi.json").text)
    answers.append(api.delete(acme.url(), headers=acme.headers).text)

    seen = "\n".join(answers) + caplog.text
    assert tokens.access_token not in seen
    assert tokens.refresh_token not in seen
    assert "refresh_token" not in seen
