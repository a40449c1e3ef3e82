"""Xero's rate limits and their headers, on the sandbox clock."""

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID, RunningSandbox, SandboxClock

from ..conftest import Connector, OAuthApp, Tokens


def test_every_api_response_carries_the_remaining_budgets(oauth: OAuthApp, tokens: Tokens) -> None:
    first = oauth.api(tokens, "/Organisation")
    second = oauth.api(tokens, "/Organisation")
    assert first.headers["x-minlimit-remaining"] == "59"
    assert first.headers["x-daylimit-remaining"] == "4999"
    assert first.headers["x-appminlimit-remaining"] == "9999"
    assert second.headers["x-minlimit-remaining"] == "58"
    other = oauth.api(tokens, "/Organisation", tenant=EMPTY_TENANT_ID)
    assert other.headers["x-minlimit-remaining"] == "59"
    assert other.headers["x-appminlimit-remaining"] == "9997"


def test_the_61st_call_in_a_minute_is_refused_until_the_window_moves(
    oauth: OAuthApp, tokens: Tokens, clock: SandboxClock
) -> None:
    for _ in range(30):
        assert oauth.api(tokens, "/Organisation").status_code == 200
    clock.advance(20)
    for _ in range(30):
        assert oauth.api(tokens, "/Organisation").status_code == 200
    refused = oauth.api(tokens, "/Organisation")
    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-problem"] == "minute"
    assert refused.headers["retry-after"] == "40"
    assert refused.headers["x-minlimit-remaining"] == "0"
    assert oauth.api(tokens, "/Organisation", tenant=EMPTY_TENANT_ID).status_code == 200
    clock.advance(40)
    allowed = oauth.api(tokens, "/Organisation")
    assert allowed.status_code == 200
    assert allowed.headers["x-minlimit-remaining"] == "29"


def test_the_daily_limit_refuses_until_a_day_has_passed(
    connect_to: Connector, clock: SandboxClock
) -> None:
    _, oauth, tokens = connect_to(daily_limit=3, token_ttl=2 * 86_400)
    for _ in range(3):
        clock.advance(61)
        assert oauth.api(tokens, "/Organisation").status_code == 200
    clock.advance(61)
    refused = oauth.api(tokens, "/Organisation")
    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-problem"] == "day"
    assert refused.headers["x-daylimit-remaining"] == "0"
    retry_after = int(refused.headers["retry-after"])
    assert retry_after == 86_400 - 3 * 61
    clock.advance(retry_after)
    assert oauth.api(tokens, "/Organisation").status_code == 200


def test_the_app_minute_limit_spans_organisations(connect_to: Connector) -> None:
    _, oauth, tokens = connect_to(app_minute_limit=4)
    for tenant in (DEMO_TENANT_ID, EMPTY_TENANT_ID, DEMO_TENANT_ID, EMPTY_TENANT_ID):
        assert oauth.api(tokens, "/Organisation", tenant=tenant).status_code == 200
    refused = oauth.api(tokens, "/Organisation", tenant=EMPTY_TENANT_ID)
    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-problem"] == "appminute"
    assert refused.headers["x-appminlimit-remaining"] == "0"


def test_more_than_five_in_flight_is_refused(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, sandbox: RunningSandbox
) -> None:
    http.post(
        "/_sandbox/faults",
        json={
            "kind": "delay",
            "delay_ms": 1200,
            "method": "GET",
            "path": "/api.xro/2.0/Organisation",
            "times": 5,
        },
    ).raise_for_status()
    with ThreadPoolExecutor(max_workers=5) as pool:
        slow = [
            pool.submit(
                lambda: httpx.get(
                    sandbox.base_url + "/api.xro/2.0/Organisation",
                    headers={
                        "authorization": f"Bearer {tokens.access_token}",
                        "xero-tenant-id": DEMO_TENANT_ID,
                    },
                    timeout=10,
                )
            )
            for _ in range(5)
        ]
        # Wait until all five are inside the sandbox, then one more call.
        while http.get("/_sandbox/faults").json():
            pass
        refused = oauth.api(tokens, "/Organisation")
        results = [future.result() for future in slow]
    assert refused.status_code == 429
    assert refused.headers["x-rate-limit-problem"] == "concurrent"
    assert refused.headers["retry-after"] == "1"
    assert [r.status_code for r in results] == [200] * 5
    assert oauth.api(tokens, "/Organisation").status_code == 200


def test_limits_off_never_refuses_and_always_reports_the_whole_budget(
    connect_to: Connector,
) -> None:
    _, oauth, tokens = connect_to(limits="off", daily_limit=5)
    responses = [oauth.api(tokens, "/Organisation") for _ in range(70)]
    assert {r.status_code for r in responses} == {200}
    last = responses[-1].headers
    assert (last["x-minlimit-remaining"], last["x-daylimit-remaining"]) == ("60", "5")
    assert last["x-appminlimit-remaining"] == "10000"


@pytest.mark.parametrize("status", [401, 403], ids=["unauthenticated", "forbidden"])
def test_refused_auth_does_not_spend_the_budget(
    oauth: OAuthApp, tokens: Tokens, status: int
) -> None:
    for _ in range(3):
        if status == 401:
            assert oauth.api("bogus", "/Organisation").status_code == 401
        else:
            assert (
                oauth.api(
                    tokens, "/Organisation", tenant="00000000-0000-0000-0000-000000000000"
                ).status_code
                == 403
            )
    assert oauth.api(tokens, "/Organisation").headers["x-minlimit-remaining"] == "59"
