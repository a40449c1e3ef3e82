import base64
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from xero_client import (
    DEFAULT_SCOPES,
    ConnectionRevoked,
    InvalidRequest,
    NotFound,
    OAuth2Client,
    OAuthError,
    XeroEndpoints,
    pkce_challenge,
)

from .conftest import ENDPOINTS, FakeClock, xero_json


@pytest.fixture
async def seen() -> AsyncIterator[list[httpx.Request]]:
    yield []


def identity_app(seen: list[httpx.Request]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path = request.url.path
        form = parse_qs(request.content.decode()) if request.method == "POST" else {}
        if path == "/connect/token":
            if form.get("code") == ["spent"] or form.get("refresh_token") == ["old"]:
                return httpx.Response(400, json={"error": "invalid_grant"})
            if form.get("code") == ["bad-client"]:
                return httpx.Response(
                    400, json={"error": "invalid_client", "error_description": "who?"}
                )
            return httpx.Response(
                200,
                json={
                    "access_token": "at-new",
                    "refresh_token": "rt-new",
                    "expires_in": 1800,
                    "token_type": "Bearer",
                    "scope": "offline_access accounting.contacts",
                    "id_token": "idt",
                },
            )
        if path == "/connect/revocation":
            return httpx.Response(200)
        if path == "/connections" and request.method == "GET":
            return xero_json(
                [
                    {
                        "id": "conn-1",
                        "tenantId": "tenant-1",
                        "tenantType": "ORGANISATION",
                        "tenantName": "Demo Company (NZ)",
                        "authEventId": "ev-1",
                        "createdDateUtc": "2019-12-07T18:46:19.5165400",
                        "updatedDateUtc": "2019-12-07T18:46:19.5187840",
                    }
                ]
            )
        if path == "/connections/conn-1" and request.method == "DELETE":
            return httpx.Response(204)
        return httpx.Response(404, text="not found")

    return httpx.MockTransport(handle)


@pytest.fixture
async def oauth(seen: list[httpx.Request], clock: FakeClock) -> AsyncIterator[OAuth2Client]:
    async with httpx.AsyncClient(transport=identity_app(seen)) as http:
        yield OAuth2Client(
            "client-1",
            "secret-1",
            "http://localhost:8000/cb",
            http,
            endpoints=ENDPOINTS,
            clock=clock,
        )


def test_pkce_challenge_matches_rfc_7636_example() -> None:
    assert pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_authorization_url_carries_scopes_state_and_s256_challenge(oauth: OAuth2Client) -> None:
    request = oauth.authorization_request()
    url = urlsplit(request.url)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == ENDPOINTS.authorize_url
    assert query["response_type"] == "code"
    assert query["client_id"] == "client-1"
    assert query["redirect_uri"] == "http://localhost:8000/cb"
    assert query["scope"].split() == list(DEFAULT_SCOPES)
    assert query["state"] == request.state
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] == pkce_challenge(request.code_verifier)
    assert request.code_verifier not in request.url
    assert oauth.authorization_request().state != request.state


def test_default_endpoints_are_xeros_own() -> None:
    endpoints = XeroEndpoints()
    assert endpoints.authorize_url == "https://login.xero.com/identity/connect/authorize"
    assert endpoints.token_url == "https://identity.xero.com/connect/token"
    assert endpoints.revocation_url == "https://identity.xero.com/connect/revocation"
    assert endpoints.connections_url == "https://api.xero.com/connections"
    assert endpoints.api_url == "https://api.xero.com/api.xro/2.0"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scopes": ()}, "scopes is empty"),
        ({"code_verifier": "short"}, "43 to 128"),
    ],
    ids=["no-scopes", "short-verifier"],
)
def test_bad_authorization_arguments_are_refused(
    oauth: OAuth2Client, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidRequest, match=message):
        oauth.authorization_request(**kwargs)  # type: ignore[arg-type]


async def test_code_exchange_posts_the_verifier_with_basic_auth(
    oauth: OAuth2Client, seen: list[httpx.Request], clock: FakeClock
) -> None:
    tokens = await oauth.exchange_code("the-code", "v" * 43)
    assert tokens.access_token == "at-new" and tokens.refresh_token == "rt-new"
    assert tokens.expires_at == clock.now() + timedelta(seconds=1800)
    assert tokens.scope == ("offline_access", "accounting.contacts")
    (request,) = seen
    form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
    assert form == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "redirect_uri": "http://localhost:8000/cb",
        "code_verifier": "v" * 43,
    }
    assert (
        request.headers["Authorization"]
        == "Basic " + base64.b64encode(b"client-1:secret-1").decode()
    )


async def test_refresh_sends_the_refresh_token(
    oauth: OAuth2Client, seen: list[httpx.Request]
) -> None:
    tokens = await oauth.refresh("rt-current")
    assert tokens.refresh_token == "rt-new"
    form = parse_qs(seen[0].content.decode())
    assert form["grant_type"] == ["refresh_token"] and form["refresh_token"] == ["rt-current"]


async def test_invalid_grant_means_the_connection_is_revoked(oauth: OAuth2Client) -> None:
    with pytest.raises(ConnectionRevoked, match="connect to Xero again") as caught:
        await oauth.refresh("old")
    assert caught.value.status == 400
    assert "old" not in str(caught.value) + repr(caught.value)


async def test_other_token_errors_name_xeros_code(oauth: OAuth2Client) -> None:
    with pytest.raises(OAuthError, match=r"invalid_client: who\?"):
        await oauth.exchange_code("bad-client", "v" * 43)


async def test_revocation_posts_the_token(oauth: OAuth2Client, seen: list[httpx.Request]) -> None:
    await oauth.revoke("rt-9")
    assert seen[0].url.path == "/connect/revocation"
    assert parse_qs(seen[0].content.decode())["token"] == ["rt-9"]


async def test_connections_are_listed_and_deleted(
    oauth: OAuth2Client, seen: list[httpx.Request]
) -> None:
    (connection,) = await oauth.connections("at-1")
    assert connection.tenant_id == "tenant-1"
    assert connection.tenant_name == "Demo Company (NZ)"
    assert connection.created is not None and connection.created.tzinfo is not None
    await oauth.delete_connection("at-1", "conn-1")
    assert [r.method for r in seen] == ["GET", "DELETE"]
    assert all(r.headers["Authorization"] == "Bearer at-1" for r in seen)
    with pytest.raises(NotFound):
        await oauth.delete_connection("at-1", "conn-unknown")


async def test_a_pkce_only_app_names_itself_in_the_form(seen: list[httpx.Request]) -> None:
    async with httpx.AsyncClient(transport=identity_app(seen)) as http:
        public = OAuth2Client("public-app", None, "http://localhost/cb", http, endpoints=ENDPOINTS)
        await public.exchange_code("c", "v" * 43)
    assert "Authorization" not in seen[0].headers
    assert parse_qs(seen[0].content.decode())["client_id"] == ["public-app"]
