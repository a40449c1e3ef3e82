"""Company settings and users: admins change them, members may not."""

from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from tests.integration.api.conftest import Tenant, problem


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/settings"), ("PATCH", "/settings"), ("GET", "/users"), ("POST", "/users")],
    ids=["read-settings", "change-settings", "list-users", "add-user"],
)
def test_members_may_not_touch_settings_or_users(
    client: TestClient, member: Tenant, method: str, path: str
) -> None:
    response = client.request(method, member.url(path), json={}, headers=member.headers)
    assert "admin role" in problem(response, 403)["detail"]


def test_an_admin_changes_the_rounding_and_new_documents_follow_it(
    client: TestClient, admin: Tenant
) -> None:
    changed = client.patch(admin.url("/settings"), json={"rounding": 4}, headers=admin.headers)
    assert changed.json() == {
        "rounding": 4,
        "line_amount_type": "Exclusive",
        "xero_refresh_minutes": None,
        "xero_payments_poll_minutes": 5,
        "xero_new_contacts": "add",
        "xero_reconcile_hour": 2,
    }
    supplier = client.post(admin.url("/suppliers"), json={"name": "S"}, headers=admin.headers)
    order = client.post(
        admin.url("/purchase-orders"),
        json={
            "supplier_id": supplier.json()["id"],
            "date": "2026-11-02",
            "currency": "NZD",
            "lines": [{"quantity": "3", "unit_price": "33.335", "account_code": "400"}],
        },
        headers=admin.headers,
    ).json()
    assert (order["unit_dp"], order["sub_total"]) == (4, "100.01")


def test_a_rounding_other_than_2_or_4_is_refused_by_name(client: TestClient, admin: Tenant) -> None:
    error = problem(
        client.patch(admin.url("/settings"), json={"rounding": 3}, headers=admin.headers), 422
    )
    assert error["errors"][0]["field"] == "rounding"
    assert client.get(admin.url("/settings"), headers=admin.headers).json()["rounding"] == 2


def test_an_admin_adds_a_member_who_reaches_the_company_with_their_own_token_then_removes_them(
    client: TestClient, container: Container, admin: Tenant
) -> None:
    added = client.post(
        admin.url("/users"), json={"email": "ap@acme.test", "role": "member"}, headers=admin.headers
    )
    assert added.status_code == 201, added.text
    assert "ll_" not in added.text
    assert "ledgerlink users token" in added.json()["message"]
    # The operator gives the new person their first token (as `ledgerlink users token` does).
    with container.uow() as uow:
        issued = uow.tokens.issue(UUID(added.json()["user_id"]), "cli")
        uow.commit()
    token = {"Authorization": f"Bearer {issued.secret}"}
    assert client.get(admin.url("/suppliers"), headers=token).status_code == 200
    emails = [
        m["email"] for m in client.get(admin.url("/users"), headers=admin.headers).json()["data"]
    ]
    assert emails == ["admin@acme.test", "ap@acme.test"]
    removed = client.delete(admin.url(f"/users/{added.json()['user_id']}"), headers=admin.headers)
    assert removed.status_code == 204
    problem(client.get(admin.url("/suppliers"), headers=token), 404)


def test_the_last_admin_cannot_be_removed(client: TestClient, admin: Tenant) -> None:
    me = client.get(admin.url("/users"), headers=admin.headers).json()["data"][0]
    error = problem(client.delete(admin.url(f"/users/{me['user_id']}"), headers=admin.headers), 409)
    assert "last admin" in error["detail"]


def test_the_refresh_interval_is_set_turned_off_and_kept_apart_from_other_settings(
    client: TestClient, admin: Tenant
) -> None:
    url = admin.url("/settings")
    hourly = client.patch(url, json={"xero_refresh_minutes": 60}, headers=admin.headers)
    assert hourly.json()["xero_refresh_minutes"] == 60
    client.patch(url, json={"rounding": 4}, headers=admin.headers)
    assert client.get(url, headers=admin.headers).json()["xero_refresh_minutes"] == 60
    error = problem(client.patch(url, json={"xero_refresh_minutes": 2}, headers=admin.headers), 422)
    assert error["errors"][0]["field"] == "xero_refresh_minutes"
    off = client.patch(url, json={"xero_refresh_minutes": 0}, headers=admin.headers)
    assert off.json()["xero_refresh_minutes"] is None


def test_new_documents_take_the_companys_line_amount_type_unless_they_say(
    client: TestClient, admin: Tenant
) -> None:
    client.patch(
        admin.url("/settings"), json={"line_amount_type": "Inclusive"}, headers=admin.headers
    )
    supplier = client.post(admin.url("/suppliers"), json={"name": "S"}, headers=admin.headers)
    body = {
        "supplier_id": supplier.json()["id"],
        "date": "2026-11-02",
        "currency": "NZD",
        "lines": [{"quantity": "1", "unit_price": "115", "account_code": "400"}],
    }
    default = client.post(admin.url("/bills"), json=body, headers=admin.headers).json()
    said = client.post(
        admin.url("/bills"), json={**body, "line_amount_type": "NoTax"}, headers=admin.headers
    ).json()
    assert (default["line_amount_type"], said["line_amount_type"]) == ("Inclusive", "NoTax")
