"""Adding and removing a company's users never hands out or leaves behind a credential."""

from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from ledgerlink.store.records import Role
from tests.integration.api.conftest import Tenant, make_tenant, problem

# Routes of company B an attacker in company A would try.
B_ROUTES = [
    ("GET", ""),
    ("GET", "/suppliers"),
    ("POST", "/suppliers"),
    ("GET", "/settings"),
    ("GET", "/users"),
    ("POST", "/users"),
]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def add_user(client: TestClient, tenant: Tenant, email: str, role: str = "member") -> Any:
    response = client.post(
        tenant.url("/users"), json={"email": email, "role": role}, headers=tenant.headers
    )
    assert response.status_code == 201, response.text
    return response


def assert_no_reach(client: TestClient, target: Tenant, headers: dict[str, str]) -> None:
    for method, path in B_ROUTES:
        body = {"name": "Mallory Ltd"} if path == "/suppliers" else {"email": "x@evil.test"}
        response = client.request(method, target.url(path), json=body, headers=headers)
        problem(response, 404)


@pytest.mark.parametrize("email", ["admin@globex.test", "ADMIN@Globex.TEST"], ids=str)
def test_adding_another_companys_admin_hands_no_token_and_reaches_nothing_of_theirs(
    client: TestClient, admin: Tenant, other: Tenant, email: str
) -> None:
    added = add_user(client, admin, email)
    assert "token" not in added.json()
    assert "ll_" not in added.text
    assert "own API tokens" in added.json()["message"]
    assert added.json()["email"] == "admin@globex.test"
    # B's admin keeps B with their own token, and now reaches A as a member with it.
    assert client.get(other.url("/settings"), headers=other.headers).status_code == 200
    assert client.get(admin.url("/suppliers"), headers=other.headers).status_code == 200
    # Nothing A's admin holds reaches B.
    assert_no_reach(client, other, admin.headers)
    mine = client.get("/api/v1/me/tokens", headers=admin.headers).json()["data"]
    assert len(mine) == 1
    # The admin's user list holds one B admin, not a second account.
    emails = [
        m["email"] for m in client.get(admin.url("/users"), headers=admin.headers).json()["data"]
    ]
    assert emails == ["admin@acme.test", "admin@globex.test"]


def test_adding_a_new_person_hands_the_admin_no_credential(
    client: TestClient, container: Container, admin: Tenant, other: Tenant
) -> None:
    added = add_user(client, admin, "new@people.test")
    assert "token" not in added.json()
    assert "ll_" not in added.text
    with container.uow() as uow:
        person = uow.users.get_by_email("new@people.test")
        assert person is not None
        assert uow.tokens.list(person.id) == []


def test_a_token_scoped_to_one_company_never_reaches_another_the_person_joins(
    client: TestClient, container: Container, admin: Tenant, other: Tenant
) -> None:
    added = add_user(client, admin, "new@people.test")
    with container.uow() as uow:
        issued = uow.tokens.issue(UUID(added.json()["user_id"]), "acme", UUID(admin.company_id))
        uow.commit()
    token = bearer(issued.secret)
    assert client.get(admin.url("/suppliers"), headers=token).status_code == 200
    add_user(client, other, "NEW@people.test")
    assert_no_reach(client, other, token)
    me = client.get("/api/v1/me", headers=token).json()
    assert [c["name"] for c in me["companies"]] == ["Acme Ltd"]
    assert me["token_company_id"] == admin.company_id
    # Nor can it mint itself a token that reaches further.
    wider = client.post("/api/v1/me/tokens", json={"name": "wider"}, headers=token)
    assert wider.json()["company_id"] == admin.company_id
    assert_no_reach(client, other, bearer(wider.json()["token"]))
    error = problem(
        client.post(
            "/api/v1/me/tokens",
            json={"name": "b", "company_id": other.company_id},
            headers=token,
        ),
        422,
    )
    assert error["errors"][0]["field"] == "company_id"


def test_removing_a_user_takes_effect_at_once_and_revokes_their_company_tokens(
    client: TestClient, container: Container, admin: Tenant, other: Tenant
) -> None:
    person = make_tenant(container, "Globex Corp", "temp@people.test", Role.MEMBER)
    added = add_user(client, admin, "temp@people.test")
    minted = client.post(
        "/api/v1/me/tokens",
        json={"name": "acme", "company_id": admin.company_id},
        headers=person.headers,
    )
    scoped = bearer(minted.json()["token"])
    assert client.get(admin.url("/suppliers"), headers=scoped).status_code == 200
    assert client.get(admin.url("/suppliers"), headers=person.headers).status_code == 200
    removed = client.delete(admin.url(f"/users/{added.json()['user_id']}"), headers=admin.headers)
    assert removed.status_code == 204
    problem(client.get(admin.url("/suppliers"), headers=person.headers), 404)
    problem(client.get(admin.url("/suppliers"), headers=scoped), 401)
    assert client.get(person.url("/suppliers"), headers=person.headers).status_code == 200
    listed = client.get("/api/v1/me/tokens", headers=person.headers).json()["data"]
    assert [(t["name"], t["revoked_at"] is None) for t in listed] == [
        ("tests", True),
        ("acme", False),
    ]
    # Taken back in, the revoked token stays revoked.
    add_user(client, admin, "temp@people.test")
    problem(client.get(admin.url("/suppliers"), headers=scoped), 401)


def test_removing_a_user_closes_the_company_to_their_unscoped_token_at_once(
    client: TestClient, admin: Tenant, member: Tenant
) -> None:
    assert client.get(admin.url("/suppliers"), headers=member.headers).status_code == 200
    users = client.get(admin.url("/users"), headers=admin.headers).json()["data"]
    member_id = next(u["user_id"] for u in users if u["email"] == "member@acme.test")
    client.delete(admin.url(f"/users/{member_id}"), headers=admin.headers)
    problem(client.get(admin.url("/suppliers"), headers=member.headers), 404)
    assert client.get("/api/v1/me", headers=member.headers).json()["companies"] == []
