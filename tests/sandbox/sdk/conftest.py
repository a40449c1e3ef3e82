"""The official `xero-python` SDK, pointed at a real sandbox over HTTP."""

import gc
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from xero_python.accounting import AccountingApi
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token, TokenApi
from xero_python.identity import IdentityApi

from xero_sandbox import RunningSandbox

from ..conftest import CLIENT_ID, CLIENT_SECRET, Tokens


@dataclass
class Sdk:
    """What an SDK user holds: an API client, its token store, and the two APIs."""

    client: ApiClient
    accounting: AccountingApi
    identity: IdentityApi
    token_store: dict[str, Any]


@pytest.fixture
def sdk(sandbox: RunningSandbox, tokens: Tokens, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sdk]:
    # The SDK keeps Xero's identity URLs as class attributes; point them at the sandbox.
    monkeypatch.setattr(TokenApi, "refresh_token_url", sandbox.base_url + "/connect/token")
    monkeypatch.setattr(
        TokenApi, "client_credentials_token_url", sandbox.base_url + "/connect/token"
    )
    monkeypatch.setattr(TokenApi, "revoke_token_url", sandbox.base_url + "/connect/revocation")
    token = OAuth2Token(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    client = ApiClient(Configuration(oauth2_token=token), pool_threads=1)
    store: dict[str, Any] = {}

    @client.oauth2_token_getter
    def get_token() -> dict[str, Any]:
        return dict(store["token"])

    @client.oauth2_token_saver
    def save_token(new: dict[str, Any]) -> None:
        store["token"] = new

    body = dict(tokens.body)
    body["scope"] = body["scope"].split()
    client.set_oauth2_token(body)
    yield Sdk(
        client=client,
        accounting=AccountingApi(client, base_url=sandbox.base_url + "/api.xro/2.0"),
        identity=IdentityApi(client, base_url=sandbox.base_url),
        token_store=store,
    )
    client.rest_client.pool_manager.clear()
    # The SDK's revoke and refresh calls read their answer unbuffered and never hand the
    # connection back; collect it here, where its ResourceWarning is expected.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
