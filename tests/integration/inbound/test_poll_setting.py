"""The company setting `xero_payments_poll_minutes`: 5 by default, 0 off, bounded."""

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
