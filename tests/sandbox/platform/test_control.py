"""`/_sandbox/...`: reset, bulk seed, clock, organisations, lock dates and the HTML view."""

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, SandboxClock

from ..conftest import OAuthApp, Tokens, consent_form, pkce_pair


def _contact_count(oauth: OAuthApp, tokens: Tokens, tenant: str = DEMO_TENANT_ID) -> int:
    total, page = 0, 1
    while True:
        response = oauth.api(
            tokens, "/Contacts", tenant=tenant, params={"page": page, "pageSize": 1000}
        )
        found = len(response.json()["Contacts"])
        total += found
        if found < 1000:
            return total
        page += 1


def test_reset_goes_back_to_the_seed_and_keeps_the_connection(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    before = _contact_count(oauth, tokens)
    oauth.api(tokens, "/Contacts", method="PUT", json={"Contacts": [{"Name": "Gone Soon Ltd"}]})
    http.post("/_sandbox/faults", json={"kind": "error", "status": 500, "path": "*/Items"})
    assert _contact_count(oauth, tokens) == before + 1
    response = http.post("/_sandbox/reset")
    assert response.status_code == 200
    assert _contact_count(oauth, tokens) == before
    assert http.get("/_sandbox/faults").json() == []
    assert http.get("/_sandbox/stats").json()["total"] == 1


def test_reset_with_identity_forgets_tokens(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    http.post("/_sandbox/reset", json={"identity": True}).raise_for_status()
    assert oauth.api(tokens, "/Organisation").status_code == 401


def test_bulk_seed_adds_contacts_items_and_bills(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    response = http.post(
        "/_sandbox/seed",
        json={"tenant": EMPTY_TENANT_ID, "contacts": 1500, "items": 20, "bills": 30},
    )
    assert response.status_code == 200, response.text
    assert response.json()["added"]["contacts"] == 1500
    assert _contact_count(oauth, tokens, EMPTY_TENANT_ID) == 1500
    bills = oauth.api(
        tokens, "/Invoices", tenant=EMPTY_TENANT_ID, params={"where": 'Type=="ACCPAY"'}
    ).json()["Invoices"]
    assert len(bills) == 30


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contacts": 5}, "tenant"),
        ({"tenant": "Nowhere Ltd", "contacts": 5}, "tenant"),
        ({"tenant": EMPTY_TENANT_ID, "contacts": -1}, "contacts"),
        ({"tenant": EMPTY_TENANT_ID, "items": "many"}, "items"),
    ],
    ids=["no-tenant", "unknown-tenant", "negative", "not-a-number"],
)
def test_bad_seed_requests_name_the_field(
    http: httpx.Client, body: dict[str, object], field: str
) -> None:
    response = http.post("/_sandbox/seed", json=body)
    assert response.status_code in (400, 404)
    assert response.json()["field"] == field


def test_the_clock_moves_forward_only(http: httpx.Client, clock: SandboxClock) -> None:
    assert http.get("/_sandbox/clock").json()["now"] == "2026-03-02T09:30:00+00:00"
    moved = http.post("/_sandbox/clock", json={"advance_seconds": 90})
    assert moved.json()["now"] == "2026-03-02T09:31:30+00:00"
    assert clock.now().isoformat() == "2026-03-02T09:31:30+00:00"
    refused = http.post("/_sandbox/clock", json={"advance_seconds": -5})
    assert refused.status_code == 400
    assert refused.json()["field"] == "advance_seconds"


def test_a_new_organisation_can_be_added_and_connected(oauth: OAuthApp, http: httpx.Client) -> None:
    created = http.post("/_sandbox/tenants", json={"name": "Third Company Ltd"})
    assert created.status_code == 201
    tenant = created.json()["tenantId"]
    assert tenant in [t["tenantId"] for t in http.get("/_sandbox/tenants").json()]
    _, challenge = pkce_pair()
    page = oauth.consent(oauth.authorize_params(challenge))
    assert tenant in consent_form(page.text).tenants
    tokens = oauth.connect(tenants=[tenant])
    organisation = oauth.api(tokens, "/Organisation", tenant=tenant).json()["Organisations"][0]
    assert organisation["Name"] == "Third Company Ltd"
    assert http.post("/_sandbox/tenants", json={"name": " "}).json()["field"] == "name"


def test_lock_dates_are_set_and_cleared(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    path = f"/_sandbox/tenants/{DEMO_TENANT_ID}/lock-dates"
    response = http.post(
        path, json={"period_lock_date": "2026-01-31", "end_of_year_lock_date": "2025-12-31"}
    )
    assert response.json()["lockDate"] == "2026-01-31"
    organisation = oauth.api(tokens, "/Organisation").json()["Organisations"][0]
    assert "PeriodLockDate" in organisation
    assert http.post(path, json={}).json()["lockDate"] is None
    bad = http.post(path, json={"period_lock_date": "31/01/2026"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "period_lock_date"


def test_the_html_view_shows_what_arrived(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    oauth.api(
        tokens,
        "/Contacts",
        method="PUT",
        tenant=EMPTY_TENANT_ID,
        json={"Contacts": [{"Name": "<b>Bold</b> & Sons"}]},
    )
    index = http.get("/_sandbox/orgs")
    assert f"/_sandbox/orgs/{EMPTY_TENANT_ID}" in index.text
    page = http.get(f"/_sandbox/orgs/{EMPTY_TENANT_ID}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Sons" in page.text
    assert "<b>Bold</b>" not in page.text
    for section in ("Contacts", "Purchase orders", "Bills", "Invoices", "Payments", "Credit notes"):
        assert f"<caption>{section}:" in page.text
    assert http.get("/_sandbox/orgs/not-a-tenant").status_code == 404
