"""Access tokens on API calls, refresh rotation with its grace period, revocation."""

import base64
import json

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, SandboxClock

from ..conftest import CLIENT_SECRET, OAuthApp, Tokens, pkce_pair

GRACE_SECONDS = 30 * 60
SIXTY_DAYS = 60 * 86_400


def _claims(access_token: str) -> dict[str, object]:
    payload = access_token.split(".")[1]
    decoded: dict[str, object] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


def test_the_access_token_reads_the_organisation(oauth: OAuthApp, tokens: Tokens) -> None:
    response = oauth.api(tokens, "/Organisation")
    assert response.status_code == 200
    assert response.json()["Organisations"][0]["Name"] == "Demo Company (Sandbox)"


def test_the_access_token_carries_the_auth_event(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    claims = _claims(tokens.access_token)
    connections = http.get(
        "/connections", headers={"authorization": f"Bearer {tokens.access_token}"}
    ).json()
    assert {c["authEventId"] for c in connections} == {claims["authentication_event_id"]}
    assert claims["client_id"] == "sandbox-client"


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-token", "Basic c2FuZGJveC1jbGllbnQ6c2FuZGJveC1zZWNyZXQ="],
    ids=["missing", "empty", "unknown", "basic-scheme"],
)
def test_calls_without_a_valid_token_get_xeros_401(
    http: httpx.Client, authorization: str | None
) -> None:
    headers = {"xero-tenant-id": DEMO_TENANT_ID}
    if authorization is not None:
        headers["authorization"] = authorization
    response = http.get("/api.xro/2.0/Organisation", headers=headers)
    assert response.status_code == 401
    body = response.json()
    assert body["Type"] is None
    assert (body["Title"], body["Status"], body["Detail"]) == (
        "Unauthorized",
        401,
        "AuthenticationUnsuccessful",
    )


def test_a_forged_token_is_refused(oauth: OAuthApp, tokens: Tokens) -> None:
    header, payload, signature = tokens.access_token.split(".")
    claims = _claims(tokens.access_token)
    claims["exp"] = int(claims["exp"]) + 10**6  # type: ignore[call-overload]
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    for forged in (
        f"{header}.{forged_payload}.{signature}",
        f"{header}.{payload}.{signature[:-2]}xx",
    ):
        assert oauth.api(forged, "/Organisation").status_code == 401


def test_the_access_token_expires_after_its_ttl(
    oauth: OAuthApp, tokens: Tokens, clock: SandboxClock
) -> None:
    clock.advance(1799)
    assert oauth.api(tokens, "/Organisation").status_code == 200
    clock.advance(1)
    assert oauth.api(tokens, "/Organisation").status_code == 401


@pytest.mark.parametrize(
    "tenant",
    ["00000000-0000-0000-0000-000000000000", None, "not-a-uuid"],
    ids=["unknown-tenant", "missing-header", "malformed"],
)
def test_a_tenant_the_token_does_not_cover_is_403(
    oauth: OAuthApp, tokens: Tokens, tenant: str | None
) -> None:
    response = oauth.api(tokens, "/Organisation", tenant=tenant)
    assert response.status_code == 403
    body = response.json()
    assert (body["Title"], body["Detail"]) == ("Forbidden", "AuthorizationUnsuccessful")


def test_refresh_rotates_the_refresh_token(oauth: OAuthApp, tokens: Tokens) -> None:
    response = oauth.refresh(str(tokens.refresh_token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["refresh_token"] != tokens.refresh_token
    assert body["access_token"] != tokens.access_token
    assert oauth.api(body["access_token"], "/Organisation").status_code == 200


def test_the_previous_refresh_token_works_for_thirty_minutes(
    oauth: OAuthApp, tokens: Tokens, clock: SandboxClock
) -> None:
    first = str(tokens.refresh_token)
    second = oauth.refresh(first).json()["refresh_token"]
    clock.advance(GRACE_SECONDS - 1)
    again = oauth.refresh(first)
    assert again.status_code == 200
    third = again.json()["refresh_token"]
    assert third not in (first, second)
    clock.advance(1)
    late = oauth.refresh(first)
    assert late.status_code == 400
    assert late.json()["error"] == "invalid_grant"
    assert oauth.refresh(third).status_code == 200


def test_an_older_refresh_token_is_refused_at_once(oauth: OAuthApp, tokens: Tokens) -> None:
    first = str(tokens.refresh_token)
    second = oauth.refresh(first).json()["refresh_token"]
    oauth.refresh(second)
    assert oauth.refresh(first).json()["error"] == "invalid_grant"


def test_an_unused_refresh_token_expires_after_sixty_days(
    oauth: OAuthApp, tokens: Tokens, clock: SandboxClock
) -> None:
    clock.advance(SIXTY_DAYS - 60)
    kept = oauth.refresh(str(tokens.refresh_token))
    assert kept.status_code == 200
    clock.advance(SIXTY_DAYS)
    expired = oauth.refresh(kept.json()["refresh_token"])
    assert expired.status_code == 400
    assert "60 days" in expired.json()["error_description"]


def test_refresh_with_the_form_secret_like_the_sdk(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    response = http.post(
        "/connect/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token,
            "scope": "offline_access accounting.settings",
            "client_id": "sandbox-client",
            "client_secret": CLIENT_SECRET,
        },
    )
    assert response.status_code == 200


def test_refresh_cannot_widen_the_scopes(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    response = http.post(
        "/connect/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token,
            "scope": "accounting.journals.read",
        },
        auth=("sandbox-client", CLIENT_SECRET),
    )
    assert response.json()["error"] == "invalid_scope"


def test_openid_adds_an_id_token_naming_the_user(tokens: Tokens) -> None:
    claims = _claims(tokens.body["id_token"])
    assert claims["aud"] == "sandbox-client"
    assert claims["email"] == "sandbox.user@example.com"
    assert claims["sub"] == _claims(tokens.access_token)["sub"]


def test_no_refresh_token_without_offline_access(oauth: OAuthApp) -> None:
    verifier, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge, scope="openid accounting.settings"))
    body = oauth.exchange(code, verifier).json()
    assert "refresh_token" not in body
    assert "id_token" in body
    assert oauth.api(body["access_token"], "/Organisation").status_code == 200


def test_revocation_ends_the_refresh_token_its_access_tokens_and_connections(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    response = http.post(
        "/connect/revocation",
        data={"token": tokens.refresh_token},
        auth=("sandbox-client", CLIENT_SECRET),
    )
    assert response.status_code == 200
    assert oauth.api(tokens, "/Organisation").status_code == 401
    assert oauth.refresh(str(tokens.refresh_token)).json()["error"] == "invalid_grant"
    fresh = oauth.connect(tenants=[EMPTY_TENANT_ID])
    listed = http.get("/connections", headers={"authorization": f"Bearer {fresh.access_token}"})
    assert [c["tenantId"] for c in listed.json()] == [EMPTY_TENANT_ID]


def test_revocation_needs_the_client(http: httpx.Client, tokens: Tokens) -> None:
    response = http.post(
        "/connect/revocation", data={"token": tokens.refresh_token}, auth=("sandbox-client", "nope")
    )
    assert response.json()["error"] == "invalid_client"


def test_client_credentials_is_a_custom_connection_to_one_organisation(
    oauth: OAuthApp, http: httpx.Client
) -> None:
    response = http.post(
        "/connect/token",
        data={"grant_type": "client_credentials"},
        auth=("sandbox-client", CLIENT_SECRET),
    )
    assert response.status_code == 200
    body = response.json()
    assert "refresh_token" not in body
    access = body["access_token"]
    assert oauth.api(access, "/Organisation", tenant=None).status_code == 200
    assert oauth.api(access, "/Organisation", tenant=DEMO_TENANT_ID).status_code == 200
    assert oauth.api(access, "/Organisation", tenant=EMPTY_TENANT_ID).status_code == 403


@pytest.mark.parametrize(
    ("scope", "method", "path", "status"),
    [
        ("accounting.contacts.read", "GET", "/Contacts", 200),
        ("accounting.contacts.read", "PUT", "/Contacts", 401),
        ("accounting.contacts.read", "GET", "/Organisation", 401),
        ("accounting.contacts", "PUT", "/Contacts", 200),
        ("accounting.settings.read", "GET", "/Items", 200),
        ("accounting.invoices", "GET", "/Items", 200),
        ("accounting.payments", "GET", "/Invoices", 401),
    ],
    ids=[
        "read-scope-reads",
        "read-scope-cannot-write",
        "other-family",
        "write-scope-writes",
        "items-under-settings",
        "items-under-invoices",
        "payments-not-invoices",
    ],
)
def test_scopes_open_only_their_resources(
    oauth: OAuthApp, scope: str, method: str, path: str, status: int
) -> None:
    verifier, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge, scope=f"offline_access {scope}"))
    access = oauth.exchange(code, verifier).json()["access_token"]
    body = {"Contacts": [{"Name": "Scoped Ltd"}]} if method == "PUT" else None
    response = oauth.api(access, path, method=method, json=body)
    assert response.status_code == status, response.text
    if status == 401:
        assert response.json()["Detail"] == "AuthorizationUnsuccessful"


def test_the_tenant_header_and_bearer_scheme_are_read_as_xero_reads_them(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    response = http.get(
        "/api.xro/2.0/Organisation",
        headers={
            "Authorization": f"bearer {tokens.access_token}",
            "Xero-Tenant-Id": DEMO_TENANT_ID.upper(),
        },
    )
    assert response.status_code == 200
