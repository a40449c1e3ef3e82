"""`/_sandbox/stats`: calls by organisation, path and status, and rate-limit refusals."""

import httpx

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, SandboxClock

from ..conftest import OAuthApp, Tokens


def test_stats_count_calls_by_organisation_path_and_status(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    oauth.api(tokens, "/Organisation")
    oauth.api(tokens, "/Organisation")
    contact = oauth.api(
        tokens, "/Contacts", method="PUT", json={"Contacts": [{"Name": "Counted Ltd"}]}
    )
    contact_id = contact.json()["Contacts"][0]["ContactID"]
    oauth.api(tokens, f"/Contacts/{contact_id}")
    oauth.api(tokens, "/Contacts/00000000-0000-0000-0000-000000000001")
    oauth.api(tokens, "/Organisation", tenant=EMPTY_TENANT_ID)
    oauth.api("bogus", "/Organisation")
    stats = http.get("/_sandbox/stats").json()
    assert stats["total"] == 7
    assert stats["byStatus"] == {"200": 5, "401": 1, "404": 1}
    demo = next(o for o in stats["organisations"] if o["tenantId"] == DEMO_TENANT_ID)
    assert demo["tenantName"] == "Demo Company (Sandbox)"
    assert demo["total"] == 5
    rows = {(c["method"], c["path"], c["status"]): c["count"] for c in demo["calls"]}
    assert rows == {
        ("GET", "/api.xro/2.0/Organisation", 200): 2,
        ("PUT", "/api.xro/2.0/Contacts", 200): 1,
        ("GET", "/api.xro/2.0/Contacts/{id}", 200): 1,
        ("GET", "/api.xro/2.0/Contacts/{id}", 404): 1,
    }


def test_stats_count_rate_limit_refusals_and_reset(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, clock: SandboxClock
) -> None:
    for _ in range(62):
        oauth.api(tokens, "/Organisation")
    stats = http.get("/_sandbox/stats").json()
    assert stats["rateLimited"] == 2
    assert stats["rateLimitedByProblem"] == {"minute": 2}
    assert stats["byStatus"] == {"200": 60, "429": 2}
    assert http.delete("/_sandbox/stats").status_code == 204
    assert http.get("/_sandbox/stats").json()["total"] == 0
