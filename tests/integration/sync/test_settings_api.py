"""`GET/PUT /companies/{id}/xero/settings`: admins choose what reaches Xero and how."""

from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from ledgerlink.bootstrap import Container
from tests.integration.api.conftest import Tenant, problem


def test_defaults_send_both_kinds_approved_in_xero(client: TestClient, admin: Tenant) -> None:
    answer = client.get(admin.url("/xero/settings"), headers=admin.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["documents"] == "both"
    assert body["purchase_order_status"] == "AUTHORISED"
    assert body["bill_status"] == "AUTHORISED"
    assert body["unit_price_dp"] == 2
    assert body["line_amount_type"] == "Exclusive"
    assert body["notes"] == []


def test_settings_are_stored_and_four_places_come_with_a_note_about_orders(
    client: TestClient, admin: Tenant, container: Container
) -> None:
    wanted = {
        "documents": "both",
        "purchase_order_status": "SUBMITTED",
        "bill_status": "DRAFT",
        "unit_price_dp": 4,
        "line_amount_type": "Inclusive",
        "default_account_code": "429",
        "default_tax_type": "INPUT2",
        "shipping_account_code": "425",
    }
    put = client.put(admin.url("/xero/settings"), json=wanted, headers=admin.headers)
    assert put.status_code == 200, put.text
    assert any("2 decimal places" in note for note in put.json()["notes"])
    body = client.get(admin.url("/xero/settings"), headers=admin.headers).json()
    assert {k: body[k] for k in wanted} == wanted

    with container.uow() as uow:
        company = uow.companies.get(UUID(admin.company_id))
    assert company is not None
    assert company.settings.rounding == 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purchase_order_status": "PAID"}, "purchase_order_status"),
        ({"unit_price_dp": 3}, "unit_price_dp"),
        ({"documents": "invoices"}, "documents"),
        ({"line_amount_type": "Gross"}, "line_amount_type"),
        ({"shipping_cost_account": "425"}, "shipping_cost_account"),
    ],
    ids=["status-not-allowed", "three-places", "unknown-documents", "unknown-amounts", "unknown"],
)
def test_bad_settings_are_refused_naming_the_field(
    client: TestClient, admin: Tenant, change: dict[str, Any], field: str
) -> None:
    answer = client.put(admin.url("/xero/settings"), json=change, headers=admin.headers)
    body = problem(answer, 422)
    assert [e["field"] for e in body["errors"]] == [field]


def test_members_cannot_read_or_change_settings(client: TestClient, member: Tenant) -> None:
    problem(client.get(member.url("/xero/settings"), headers=member.headers), 403)
    problem(client.put(member.url("/xero/settings"), json={}, headers=member.headers), 403)
