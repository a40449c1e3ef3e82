"""The caller's own API tokens: list, issue, revoke one, revoke all."""

from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem

ME = "/api/v1/me"
TOKENS = "/api/v1/me/tokens"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_me_says_who_the_caller_is_and_their_companies_with_roles(
    client: TestClient, admin: Tenant
) -> None:
    me = client.get(ME, headers=admin.headers).json()
    assert me["email"] == "admin@acme.test"
    assert me["token_company_id"] is None
    assert me["companies"] == [{"id": admin.company_id, "name": "Acme Ltd", "role": "admin"}]


def test_tokens_are_listed_without_their_secrets(client: TestClient, admin: Tenant) -> None:
    issued = client.post(TOKENS, json={"name": "ci"}, headers=admin.headers)
    assert issued.status_code == 201, issued.text
    secret = issued.json()["token"]
    assert secret.startswith(issued.json()["prefix"])
    listed = client.get(TOKENS, headers=bearer(secret))
    assert listed.status_code == 200
    assert secret not in listed.text
    rows = listed.json()["data"]
    assert [row["name"] for row in rows] == ["tests", "ci"]
    assert set(rows[1]) == {
        "id",
        "prefix",
        "name",
        "company_id",
        "created_at",
        "last_used_at",
        "revoked_at",
    }
    assert rows[1]["last_used_at"] is not None


def test_a_token_scoped_to_one_of_the_callers_companies_reaches_only_it(
    client: TestClient, admin: Tenant, other: Tenant
) -> None:
    scoped = client.post(
        TOKENS, json={"name": "acme", "company_id": admin.company_id}, headers=admin.headers
    ).json()
    assert scoped["company_id"] == admin.company_id
    assert client.get(admin.url("/suppliers"), headers=bearer(scoped["token"])).status_code == 200
    # Another company's id is refused by name, as is a body field we do not know.
    error = problem(
        client.post(
            TOKENS, json={"name": "x", "company_id": other.company_id}, headers=admin.headers
        ),
        422,
    )
    assert error["errors"][0]["field"] == "company_id"
    error = problem(client.post(TOKENS, json={"name": " "}, headers=admin.headers), 422)
    assert error["errors"][0]["field"] == "name"
    # A scoped token sees and revokes only tokens of its scope.
    seen = client.get(TOKENS, headers=bearer(scoped["token"])).json()["data"]
    assert [row["name"] for row in seen] == ["acme"]
    first = client.get(TOKENS, headers=admin.headers).json()["data"][0]
    problem(client.delete(f"{TOKENS}/{first['id']}", headers=bearer(scoped["token"])), 404)


def test_revoking_one_token_closes_it_and_another_persons_token_is_not_found(
    client: TestClient, admin: Tenant, other: Tenant
) -> None:
    spare = client.post(TOKENS, json={"name": "spare"}, headers=admin.headers).json()
    theirs = client.get(TOKENS, headers=other.headers).json()["data"][0]
    problem(client.delete(f"{TOKENS}/{theirs['id']}", headers=admin.headers), 404)
    assert client.get(ME, headers=other.headers).status_code == 200
    revoked = client.delete(f"{TOKENS}/{spare['id']}", headers=admin.headers)
    assert revoked.status_code == 204
    problem(client.get(ME, headers=bearer(spare["token"])), 401)
    assert client.get(ME, headers=admin.headers).status_code == 200
    listed = client.get(TOKENS, headers=admin.headers).json()["data"]
    assert [row["revoked_at"] is not None for row in listed] == [False, True]


def test_revoking_all_answers_how_many_and_closes_every_one(
    client: TestClient, admin: Tenant, other: Tenant
) -> None:
    spare = client.post(TOKENS, json={"name": "spare"}, headers=admin.headers).json()
    answer = client.delete(TOKENS, headers=admin.headers)
    assert answer.json() == {"revoked": 2}
    problem(client.get(ME, headers=admin.headers), 401)
    problem(client.get(ME, headers=bearer(spare["token"])), 401)
    assert client.get(ME, headers=other.headers).status_code == 200


def test_the_new_routes_are_in_the_openapi_with_summaries(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert paths["/api/v1/me"]["get"]["summary"]
    assert set(paths["/api/v1/me/tokens"]) == {"get", "post", "delete"}
    assert paths["/api/v1/me/tokens/{token_id}"]["delete"]["summary"]
