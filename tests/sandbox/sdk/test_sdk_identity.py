"""The SDK's identity side against the sandbox: connections, refresh, client credentials, revoke."""

import pytest
from xero_python.exceptions import ApiException

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID

from .conftest import Sdk


def test_the_sdk_lists_the_connections(sdk: Sdk) -> None:
    connections = sdk.identity.get_connections()
    assert {(c.tenant_id, c.tenant_name) for c in connections} == {
        (DEMO_TENANT_ID, "Demo Company (Sandbox)"),
        (EMPTY_TENANT_ID, "Empty Company (Sandbox)"),
    }
    assert {c.tenant_type for c in connections} == {"ORGANISATION"}
    assert all(c.created_date_utc is not None for c in connections)


def test_the_sdk_refreshes_and_keeps_working(sdk: Sdk) -> None:
    before = sdk.token_store["token"]
    after = sdk.client.refresh_oauth2_token()
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] != before["access_token"]
    assert sdk.accounting.get_organisations(DEMO_TENANT_ID).organisations[0].name == (
        "Demo Company (Sandbox)"
    )


def test_the_sdk_revokes_and_is_then_refused(sdk: Sdk) -> None:
    access = sdk.token_store["token"]["access_token"]
    sdk.client.revoke_oauth2_token()
    sdk.client.set_oauth2_token({**sdk.token_store["token"], "access_token": access})
    with pytest.raises(ApiException) as refused:
        sdk.accounting.get_organisations(DEMO_TENANT_ID)
    assert refused.value.status == 401


def test_the_sdk_gets_a_custom_connection_token(sdk: Sdk) -> None:
    sdk.client.get_client_credentials_token()
    assert "refresh_token" not in sdk.token_store["token"]
    organisation = sdk.accounting.get_organisations(DEMO_TENANT_ID).organisations[0]
    assert organisation.name == "Demo Company (Sandbox)"


def test_a_tenant_outside_the_grant_is_403(sdk: Sdk) -> None:
    with pytest.raises(ApiException) as refused:
        sdk.accounting.get_organisations("00000000-0000-0000-0000-000000000000")
    assert refused.value.status == 403
