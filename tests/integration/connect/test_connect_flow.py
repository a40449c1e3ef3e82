"""Connecting a company to Xero through the sandbox's consent page, as an admin would."""

from __future__ import annotations

import asyncio

import pytest

from ledgerlink.sync.connect import ConnectFailed, XeroConnector
from ledgerlink.sync.gateway import NotConnected, XeroGateway
from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, RunningSandbox

from .conftest import People, connect, consent, several_organisations


async def test_one_organisation_connects_and_the_gateway_reaches_it(
    connector: XeroConnector, gateway: XeroGateway, people: People
) -> None:
    outcome = await connect(connector, people.acme, people.acme_admin)

    assert outcome.status == "connected"
    assert outcome.organisation is not None
    assert outcome.organisation.tenant_id == DEMO_TENANT_ID
    async with gateway.client(people.acme) as xero:
        organisation = await xero.get_organisation()
    assert organisation.name == "Demo Company (Sandbox)"
    report = await connector.report(people.acme)
    assert (report.status, report.token_health) == ("connected", "ok")
    assert "accounting.invoices" in report.scopes


@several_organisations
async def test_a_grant_of_two_organisations_waits_for_the_admin_to_choose(
    connector: XeroConnector, gateway: XeroGateway, people: People, sandbox: RunningSandbox
) -> None:
    outcome = await connect(
        connector, people.acme, people.acme_admin, [DEMO_TENANT_ID, EMPTY_TENANT_ID]
    )

    assert outcome.status == "choose_organisation"
    assert {c.tenant_id for c in outcome.choices} == {DEMO_TENANT_ID, EMPTY_TENANT_ID}
    with pytest.raises(NotConnected, match="not connected to Xero") as waiting:
        async with gateway.client(people.acme):
            pass
    assert "choose an organisation with `ledgerlink connect --company" in str(waiting.value)
    assert "--organisation NAME|TENANT_ID`" in str(waiting.value)
    with pytest.raises(ConnectFailed, match="choose one of") as unknown:
        await connector.choose(people.acme, "not-a-tenant")
    assert unknown.value.reason == "unknown_organisation"

    chosen = await connector.choose(people.acme, EMPTY_TENANT_ID)

    assert chosen.status == "connected"
    async with gateway.client(people.acme) as xero:
        assert (await xero.get_organisation()).name == "Empty Company (Sandbox)"
    # The organisation not chosen is disconnected in Xero: it would only count against the
    # app's connections.
    remaining = sandbox.state.identity.connections("sandbox-client")
    assert [c.tenant_id for c in remaining] == [EMPTY_TENANT_ID]


@several_organisations
async def test_choosing_an_organisation_of_another_company_leaves_the_choice_open(
    connector: XeroConnector, gateway: XeroGateway, people: People, sandbox: RunningSandbox
) -> None:
    await connect(connector, people.globex, people.globex_admin)
    outcome = await connect(
        connector, people.acme, people.acme_admin, [DEMO_TENANT_ID, EMPTY_TENANT_ID]
    )
    assert outcome.status == "choose_organisation"

    with pytest.raises(ConnectFailed, match="already connected to another company"):
        await connector.choose(people.acme, DEMO_TENANT_ID)
    assert (await connector.report(people.acme)).status == "choose_organisation"
    await connector.choose(people.acme, EMPTY_TENANT_ID)

    async with gateway.client(people.globex) as xero:
        assert (await xero.get_organisation()).name == "Demo Company (Sandbox)"
    remaining = {c.tenant_id for c in sandbox.state.identity.connections("sandbox-client")}
    assert remaining == {DEMO_TENANT_ID, EMPTY_TENANT_ID}


async def test_an_organisation_bound_to_another_company_is_refused(
    connector: XeroConnector, gateway: XeroGateway, people: People
) -> None:
    await connect(connector, people.acme, people.acme_admin)

    with pytest.raises(ConnectFailed, match="already connected to another company") as taken:
        await connect(connector, people.globex, people.globex_admin)

    assert (taken.value.reason, taken.value.status) == ("organisation_taken", 409)
    assert (await connector.report(people.globex)).status == "not_connected"
    async with gateway.client(people.acme) as xero:
        assert (await xero.get_organisation()).name == "Demo Company (Sandbox)"


async def test_a_state_works_once(connector: XeroConnector, people: People) -> None:
    link = await connector.start(people.acme, people.acme_admin)
    back = await asyncio.to_thread(consent, link.url, tenants=[DEMO_TENANT_ID])
    await connector.complete(back["state"], back["code"])

    with pytest.raises(ConnectFailed, match="already used") as reused:
        await connector.complete(back["state"], back["code"])

    assert reused.value.reason == "state_used"


async def test_a_state_expires_after_ten_minutes(
    connector: XeroConnector, people: People, sandbox: RunningSandbox
) -> None:
    link = await connector.start(people.acme, people.acme_admin)
    back = await asyncio.to_thread(consent, link.url, tenants=[DEMO_TENANT_ID])
    sandbox.clock.advance(601)

    with pytest.raises(ConnectFailed, match="expired") as expired:
        await connector.complete(back["state"], back["code"])

    assert expired.value.reason == "state_expired"
    assert (await connector.report(people.acme)).status == "not_connected"


@pytest.mark.parametrize("state", ["forged-state", ""], ids=["unknown-state", "missing-state"])
async def test_an_unknown_state_is_refused(
    connector: XeroConnector, people: People, state: str
) -> None:
    with pytest.raises(ConnectFailed, match="start connecting again") as refused:
        await connector.complete(state, "some-code")
    assert refused.value.reason == "state_unknown"


async def test_cancel_on_the_consent_page_says_access_was_denied(
    connector: XeroConnector, people: People
) -> None:
    link = await connector.start(people.acme, people.acme_admin)
    back = await asyncio.to_thread(consent, link.url, button="cancel")
    assert back["error"] == "access_denied"

    with pytest.raises(ConnectFailed, match="access was not granted") as denied:
        await connector.complete(
            back["state"],
            None,
            error=back["error"],
            error_description=back.get("error_description"),
        )

    assert denied.value.reason == "access_denied"
    assert (await connector.report(people.acme)).status == "not_connected"


async def test_a_company_never_connected_gets_a_clear_error(
    gateway: XeroGateway, people: People
) -> None:
    with pytest.raises(NotConnected, match=r"ledgerlink connect --company"):
        async with gateway.client(people.globex):
            pass
