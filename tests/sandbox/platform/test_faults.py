"""Injected faults: errors, delays and connections dropped after the change is committed."""

import time

import httpx
import pytest

from xero_sandbox import RunningSandbox, SandboxClock

from ..conftest import OAuthApp, Tokens


def _arm(http: httpx.Client, **fault: object) -> dict[str, object]:
    response = http.post("/_sandbox/faults", json=fault)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


@pytest.mark.parametrize("status", [500, 503, 429], ids=["500", "503", "429"])
def test_error_faults_answer_the_next_n_matching_calls(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, status: int
) -> None:
    _arm(http, kind="error", status=status, method="GET", path="/api.xro/2.0/Organisation", times=2)
    assert oauth.api(tokens, "/Currencies").status_code == 200
    faulted = [oauth.api(tokens, "/Organisation") for _ in range(2)]
    assert [r.status_code for r in faulted] == [status, status]
    if status == 429:
        assert faulted[0].headers["retry-after"] == "1"
        assert faulted[0].headers["x-rate-limit-problem"] == "minute"
    assert oauth.api(tokens, "/Organisation").status_code == 200
    assert http.get("/_sandbox/faults").json() == []


def test_faults_match_method_and_glob_case_insensitively(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _arm(http, kind="error", status=500, method="put", path="*/contacts*")
    assert oauth.api(tokens, "/Contacts").status_code == 200
    response = oauth.api(
        tokens, "/Contacts", method="PUT", json={"Contacts": [{"Name": "Nope Ltd"}]}
    )
    assert response.status_code == 500
    assert (
        oauth.api(tokens, "/Contacts", params={"where": 'Name=="Nope Ltd"'}).json()["Contacts"]
        == []
    )


def test_a_delay_fault_holds_the_call_then_answers(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    fault = _arm(http, kind="delay", delay_ms=50, path="*/Organisation")
    assert fault["delay_ms"] == 50
    response = oauth.api(tokens, "/Organisation")
    assert response.status_code == 200
    assert response.elapsed.total_seconds() >= 0.05


def test_a_drop_fault_commits_then_drops_the_connection(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, sandbox: RunningSandbox
) -> None:
    _arm(http, kind="drop", method="PUT", path="*/Contacts")
    body = {"Contacts": [{"Name": "Dropped Ltd"}]}
    with pytest.raises(httpx.RemoteProtocolError):
        oauth.api(
            tokens, "/Contacts", method="PUT", json=body, headers={"Idempotency-Key": "drop-1"}
        )
    found = oauth.api(tokens, "/Contacts", params={"where": 'Name=="Dropped Ltd"'}).json()[
        "Contacts"
    ]
    assert len(found) == 1
    retried = oauth.api(
        tokens, "/Contacts", method="PUT", json=body, headers={"Idempotency-Key": "drop-1"}
    )
    assert retried.status_code == 200
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.json()["Contacts"][0]["ContactID"] == found[0]["ContactID"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_an_error_after_commit_fault_stores_the_change_then_answers_the_error(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, status: int
) -> None:
    fault = _arm(http, kind="error_after_commit", status=status, method="PUT", path="*/Contacts")
    assert fault["status"] == status
    body = {"Contacts": [{"Name": f"Saved Then {status} Ltd"}]}
    headers = {"Idempotency-Key": f"after-{status}"}
    answer = oauth.api(tokens, "/Contacts", method="PUT", json=body, headers=headers)
    assert answer.status_code == status
    where = {"where": f'Name=="Saved Then {status} Ltd"'}
    assert len(oauth.api(tokens, "/Contacts", params=where).json()["Contacts"]) == 1
    # The failed answer is not remembered under its key: the same request runs again.
    again = oauth.api(tokens, "/Contacts", method="PUT", json=body, headers=headers)
    assert "idempotent-replayed" not in again.headers


@pytest.mark.parametrize(
    ("fault", "field"),
    [
        ({"kind": "explode"}, "kind"),
        ({"kind": "error", "status": 404}, "status"),
        ({"kind": "error_after_commit", "status": 429}, "status"),
        ({"kind": "delay"}, "delay_ms"),
        ({"kind": "late", "delay_ms": 60_001}, "delay_ms"),
        ({"kind": "error", "times": 0}, "times"),
        ({"kind": "error", "path": ""}, "path"),
    ],
    ids=[
        "kind",
        "status",
        "status-after-commit",
        "delay-missing",
        "late-too-long",
        "times",
        "path",
    ],
)
def test_bad_fault_requests_name_the_field(
    http: httpx.Client, fault: dict[str, object], field: str
) -> None:
    response = http.post("/_sandbox/faults", json=fault)
    assert response.status_code == 400
    assert response.json()["field"] == field


def test_faults_can_be_listed_and_cleared(http: httpx.Client) -> None:
    _arm(http, kind="error", status=503, times=3)
    assert [f["remaining"] for f in http.get("/_sandbox/faults").json()] == [3]
    assert http.delete("/_sandbox/faults").status_code == 204
    assert http.get("/_sandbox/faults").json() == []


def test_faults_reach_the_token_endpoint(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _arm(http, kind="error", status=503, method="POST", path="/connect/token")
    assert oauth.refresh(str(tokens.refresh_token)).status_code == 503
    assert oauth.refresh(str(tokens.refresh_token)).status_code == 200


def test_a_dropped_refresh_has_still_rotated_the_token(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, clock: SandboxClock
) -> None:
    _arm(http, kind="drop", method="POST", path="/connect/token")
    with pytest.raises(httpx.RemoteProtocolError):
        oauth.refresh(str(tokens.refresh_token))
    # The answer was lost, but the old token still works within its grace period.
    retried = oauth.refresh(str(tokens.refresh_token))
    assert retried.status_code == 200
    clock.advance(30 * 60)
    assert oauth.refresh(str(tokens.refresh_token)).json()["error"] == "invalid_grant"


def test_a_drop_without_an_idempotency_key_still_commits(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _arm(http, kind="drop", method="PUT", path="*/Contacts")
    body = {"Contacts": [{"Name": "Committed Anyway Ltd"}]}
    with pytest.raises(httpx.RemoteProtocolError):
        oauth.api(tokens, "/Contacts", method="PUT", json=body)
    # A blind retry now meets the contact the lost answer had created.
    retried = oauth.api(tokens, "/Contacts", method="PUT", json=body)
    assert retried.status_code == 400
    found = oauth.api(tokens, "/Contacts", params={"where": 'Name=="Committed Anyway Ltd"'})
    assert len(found.json()["Contacts"]) == 1


def test_a_late_fault_commits_and_stores_the_keys_answer_then_answers_past_the_timeout(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    fault = _arm(http, kind="late", delay_ms=600, method="PUT", path="*/Contacts")
    assert fault["delay_ms"] == 600
    body = {"Contacts": [{"Name": "Late Answer Ltd"}]}
    headers = {"Idempotency-Key": "late-1"}
    with pytest.raises(httpx.ReadTimeout):
        oauth.api(tokens, "/Contacts", method="PUT", json=body, headers=headers, timeout=0.2)
    # While the answer is still held, the change is there and its key answers it again.
    found = oauth.api(tokens, "/Contacts", params={"where": 'Name=="Late Answer Ltd"'})
    assert len(found.json()["Contacts"]) == 1
    again = oauth.api(tokens, "/Contacts", method="PUT", json=body, headers=headers)
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["Contacts"][0]["ContactID"] == found.json()["Contacts"][0]["ContactID"]


def test_a_late_answer_reaches_a_client_that_waits_for_it(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _arm(http, kind="late", delay_ms=150, method="PUT", path="*/Contacts")
    body = {"Contacts": [{"Name": "Patient Ltd"}]}
    answer = oauth.api(tokens, "/Contacts", method="PUT", json=body)
    assert answer.status_code == 200
    assert answer.elapsed.total_seconds() >= 0.15
    assert answer.json()["Contacts"][0]["Name"] == "Patient Ltd"


def test_a_late_refresh_has_rotated_the_token_before_its_answer_arrives(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _arm(http, kind="late", delay_ms=600, method="POST", path="/connect/token")
    with pytest.raises(httpx.ReadTimeout):
        http.post(
            "/connect/token",
            data={"grant_type": "refresh_token", "refresh_token": str(tokens.refresh_token)},
            auth=("sandbox-client", "sandbox-secret"),
            timeout=0.2,
        )
    # The old refresh token was used; within the grace period it still refreshes.
    assert oauth.refresh(str(tokens.refresh_token)).status_code == 200


def test_a_delayed_create_whose_client_gave_up_still_lands_when_its_wait_ends(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _arm(http, kind="delay", delay_ms=400, method="PUT", path="*/Contacts")
    body = {"Contacts": [{"Name": "Slow Server Ltd"}]}
    with pytest.raises(httpx.ReadTimeout):
        oauth.api(tokens, "/Contacts", method="PUT", json=body, timeout=0.1)
    where = {"where": 'Name=="Slow Server Ltd"'}
    assert oauth.api(tokens, "/Contacts", params=where).json()["Contacts"] == []
    deadline = time.monotonic() + 5
    while not oauth.api(tokens, "/Contacts", params=where).json()["Contacts"]:
        assert time.monotonic() < deadline, "the delayed create never landed"
        time.sleep(0.05)
    assert len(oauth.api(tokens, "/Contacts", params=where).json()["Contacts"]) == 1
