"""Connecting to the sandbox the way a person does: consent page, code, tokens, connections."""

from urllib.parse import parse_qs, urlsplit

import pytest

from xero_client import (
    ConnectionRevoked,
    Forbidden,
    OAuth2Client,
    OAuthError,
)
from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, Connected, authorize


async def test_the_consent_flow_connects_every_chosen_organisation(in_process: Connected) -> None:
    assert sorted(in_process.tenant_ids) == sorted([DEMO_TENANT_ID, EMPTY_TENANT_ID])
    stored = await in_process.store.load()
    assert stored is not None and "offline_access" in stored.scope
    for tenant in in_process.tenant_ids:
        organisation = await in_process.client(tenant).get_organisation()
        assert organisation.name in ("Demo Company (Sandbox)", "Empty Company (Sandbox)")


async def test_cancel_on_the_consent_page_denies_access(in_process: Connected) -> None:
    back = await authorize(in_process.http, in_process.oauth, button="cancel")
    assert back.params["error"] == "access_denied"


async def test_a_code_is_good_once(in_process: Connected) -> None:
    back = await authorize(in_process.http, in_process.oauth)
    query = parse_qs(urlsplit(str(back)).query)
    await in_process.oauth.exchange_code(query["code"][0], query["code_verifier"][0])
    with pytest.raises(ConnectionRevoked):
        await in_process.oauth.exchange_code(query["code"][0], query["code_verifier"][0])


async def test_a_wrong_verifier_is_refused(in_process: Connected) -> None:
    back = await authorize(in_process.http, in_process.oauth)
    with pytest.raises(ConnectionRevoked):
        await in_process.oauth.exchange_code(back.params["code"], "w" * 43)


async def test_a_wrong_secret_is_an_oauth_error(in_process: Connected) -> None:
    wrong = OAuth2Client(
        CLIENT_ID,
        "not-" + CLIENT_SECRET,
        REDIRECT_URI,
        in_process.http,
        endpoints=in_process.endpoints,
        clock=in_process.clock,
    )
    back = await authorize(in_process.http, wrong)
    with pytest.raises(OAuthError, match="invalid_client"):
        await wrong.exchange_code(back.params["code"], back.params["code_verifier"])


async def test_revoking_the_refresh_token_ends_access(in_process: Connected) -> None:
    client = in_process.client()
    await client.get_organisation()
    stored = await in_process.store.load()
    assert stored is not None
    await in_process.oauth.revoke(stored.refresh_token)
    with pytest.raises(ConnectionRevoked, match="connect to Xero again"):
        await client.get_organisation()


async def test_a_deleted_connection_is_forbidden(in_process: Connected) -> None:
    stored = await in_process.store.load()
    assert stored is not None
    (empty,) = [
        c
        for c in await in_process.oauth.connections(stored.access_token)
        if c.tenant_id == EMPTY_TENANT_ID
    ]
    await in_process.oauth.delete_connection(stored.access_token, empty.id)
    remaining = await in_process.oauth.connections(stored.access_token)
    assert [c.tenant_id for c in remaining] == [DEMO_TENANT_ID]
    with pytest.raises(Forbidden):
        await in_process.client(EMPTY_TENANT_ID).get_organisation()
    await in_process.client(DEMO_TENANT_ID).get_organisation()


async def test_the_flow_works_over_a_real_socket(over_socket: Connected) -> None:
    organisation = await over_socket.client().get_organisation()
    assert organisation.organisation_id is not None
    assert over_socket.endpoints.api_url.startswith("http://127.0.0.1:")
