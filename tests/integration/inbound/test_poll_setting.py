"""The company settings of what comes back from Xero: the payments poll, new contacts."""

from fastapi.testclient import TestClient

from tests.integration.api.conftest import Tenant, problem


def test_the_payments_poll_is_every_five_minutes_unless_the_admin_changes_it(
    client: TestClient, admin: Tenant
) -> None:
    url = admin.url("/settings")
    assert client.get(url, headers=admin.headers).json()["xero_payments_poll_minutes"] == 5
    hourly = client.patch(url, json={"xero_payments_poll_minutes": 60}, headers=admin.headers)
    assert hourly.json()["xero_payments_poll_minutes"] == 60
    off = client.patch(url, json={"xero_payments_poll_minutes": 0}, headers=admin.headers)
    assert off.json()["xero_payments_poll_minutes"] == 0
    refused = client.patch(url, json={"xero_payments_poll_minutes": -1}, headers=admin.headers)
    assert problem(refused, 422)["errors"][0]["field"] == "xero_payments_poll_minutes"


def test_contacts_added_in_xero_are_added_unless_the_admin_wants_to_review_them(
    client: TestClient, admin: Tenant
) -> None:
    url = admin.url("/settings")
    assert client.get(url, headers=admin.headers).json()["xero_new_contacts"] == "add"
    review = client.patch(url, json={"xero_new_contacts": "review"}, headers=admin.headers)
    assert review.json()["xero_new_contacts"] == "review"
    refused = client.patch(url, json={"xero_new_contacts": "ignore"}, headers=admin.headers)
    assert problem(refused, 422)["errors"][0]["field"] == "xero_new_contacts"
