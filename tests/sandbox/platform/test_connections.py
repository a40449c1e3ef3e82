"""`GET /connections` (any case, `authEventId` filter) and `DELETE /connections/{id}`."""

import httpx
import jsonschema
import pytest
import yaml

from tests.xero_specs import OPENAPI_DIR
from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, SandboxClock

from ..conftest import OAuthApp, Tokens, pkce_pair

IDENTITY_SPEC = OPENAPI_DIR / "xero-identity.yaml"


def _bearer(tokens: Tokens) -> dict[str, str]:
    return {"authorization": f"Bearer {tokens.access_token}"}


@pytest.mark.parametrize(
    "path", ["/connections", "/Connections", "/CONNECTIONS"], ids=["lower", "title", "upper"]
)
def test_connections_list_both_organisations_in_any_case(
    http: httpx.Client, tokens: Tokens, path: str
) -> None:
    response = http.get(path, headers=_bearer(tokens))
    assert response.status_code == 200
    connections = response.json()
    assert {c["tenantId"] for c in connections} == {DEMO_TENANT_ID, EMPTY_TENANT_ID}
    for connection in connections:
        assert set(connection) == {
            "id",
            "authEventId",
            "tenantId",
            "tenantType",
            "tenantName",
            "createdDateUtc",
            "updatedDateUtc",
        }
        assert connection["tenantType"] == "ORGANISATION"
        assert connection["createdDateUtc"].startswith("2026-03-02T09:30:00")


def test_auth_event_filter_picks_one_consent(
    oauth: OAuthApp, http: httpx.Client, clock: SandboxClock
) -> None:
    first = oauth.connect(tenants=[DEMO_TENANT_ID])
    clock.advance(60)
    second = oauth.connect(tenants=[EMPTY_TENANT_ID])
    everything = http.get("/connections", headers=_bearer(second)).json()
    assert len(everything) == 2
    event_ids = {c["tenantId"]: c["authEventId"] for c in everything}
    assert event_ids[DEMO_TENANT_ID] != event_ids[EMPTY_TENANT_ID]
    only = http.get(
        "/connections", params={"authEventId": event_ids[EMPTY_TENANT_ID]}, headers=_bearer(first)
    ).json()
    assert [c["tenantId"] for c in only] == [EMPTY_TENANT_ID]


def test_reconnecting_keeps_the_connection_and_updates_it(
    oauth: OAuthApp, http: httpx.Client, clock: SandboxClock
) -> None:
    first = oauth.connect(tenants=[DEMO_TENANT_ID])
    before = http.get("/connections", headers=_bearer(first)).json()[0]
    clock.advance(3600)
    second = oauth.connect(tenants=[DEMO_TENANT_ID])
    after = http.get("/connections", headers=_bearer(second)).json()[0]
    assert after["id"] == before["id"]
    assert after["createdDateUtc"] == before["createdDateUtc"]
    assert after["updatedDateUtc"] > before["updatedDateUtc"]
    assert after["authEventId"] != before["authEventId"]


def test_deleting_a_connection_disconnects_that_organisation(
    oauth: OAuthApp, http: httpx.Client, tokens: Tokens
) -> None:
    connections = http.get("/connections", headers=_bearer(tokens)).json()
    demo = next(c for c in connections if c["tenantId"] == DEMO_TENANT_ID)
    response = http.delete(f"/Connections/{demo['id']}", headers=_bearer(tokens))
    assert response.status_code == 204
    assert oauth.api(tokens, "/Organisation", tenant=DEMO_TENANT_ID).status_code == 403
    assert oauth.api(tokens, "/Organisation", tenant=EMPTY_TENANT_ID).status_code == 200
    assert http.delete(f"/connections/{demo['id']}", headers=_bearer(tokens)).status_code == 404


def test_connections_need_a_token(http: httpx.Client) -> None:
    assert http.get("/connections").status_code == 401
    assert http.get("/connections", headers={"authorization": "Bearer nope"}).status_code == 401


def test_code_exchange_without_connections_still_lists_them(
    oauth: OAuthApp, http: httpx.Client
) -> None:
    verifier, challenge = pkce_pair()
    code = oauth.code(oauth.authorize_params(challenge), tenants=[EMPTY_TENANT_ID])
    access = oauth.exchange(code, verifier).json()["access_token"]
    listed = http.get("/connections", headers={"authorization": f"Bearer {access}"}).json()
    assert [c["tenantName"] for c in listed] == ["Empty Company (Sandbox)"]


def _connection_schema() -> dict[str, object]:
    spec = yaml.safe_load(IDENTITY_SPEC.read_text())
    schema: dict[str, object] = spec["components"]["schemas"]["Connection"]
    return schema


@pytest.mark.skipif(
    not IDENTITY_SPEC.exists(), reason="Xero's identity spec is not on this machine"
)
def test_connections_validate_against_xeros_identity_spec(
    http: httpx.Client, tokens: Tokens
) -> None:
    schema = _connection_schema()
    connections = http.get("/connections", headers=_bearer(tokens)).json()
    for connection in connections:
        jsonschema.validate(connection, schema)
        assert set(connection) == set(schema["properties"])  # type: ignore[call-overload]


def test_a_custom_connection_lists_its_one_organisation(http: httpx.Client) -> None:
    token = http.post(
        "/connect/token",
        data={"grant_type": "client_credentials"},
        auth=("sandbox-client", "sandbox-secret"),
    ).json()["access_token"]
    (connection,) = http.get("/connections", headers={"authorization": f"Bearer {token}"}).json()
    assert connection["tenantId"] == DEMO_TENANT_ID
    assert connection["tenantName"] == "Demo Company (Sandbox)"
    assert connection["createdDateUtc"].startswith("2026-03-02T09:30:00")
