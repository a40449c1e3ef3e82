"""`Idempotency-Key`: replay the first answer; refuse the key for another request."""

import httpx
import pytest

from xero_sandbox import EMPTY_TENANT_ID

from ..conftest import OAuthApp, Tokens


def _create_contact(
    oauth: OAuthApp, tokens: Tokens, name: str, key: str | None, **kw: object
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return oauth.api(
        tokens,
        "/Contacts",
        method="PUT",
        json={"Contacts": [{"Name": name}]},
        headers=headers,
        **kw,
    )


def _contacts_named(oauth: OAuthApp, tokens: Tokens, name: str, tenant: str | None = None) -> int:
    kwargs = {"tenant": tenant} if tenant else {}
    response = oauth.api(tokens, "/Contacts", params={"where": f'Name=="{name}"'}, **kwargs)
    assert response.status_code == 200, response.text
    return len(response.json()["Contacts"])


def test_the_same_key_and_body_replays_the_first_response(oauth: OAuthApp, tokens: Tokens) -> None:
    first = _create_contact(oauth, tokens, "Replay Ltd", "key-1")
    second = _create_contact(oauth, tokens, "Replay Ltd", "key-1")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert "x-minlimit-remaining" in second.headers
    assert _contacts_named(oauth, tokens, "Replay Ltd") == 1


def test_without_a_key_each_call_runs(oauth: OAuthApp, tokens: Tokens) -> None:
    first = _create_contact(oauth, tokens, "Twice Ltd", None)
    assert first.status_code == 200
    second = _create_contact(oauth, tokens, "Twice Ltd", None)
    assert second.status_code == 400  # Xero refuses a duplicate contact name
    assert _contacts_named(oauth, tokens, "Twice Ltd") == 1


def test_the_same_key_with_another_body_is_refused(oauth: OAuthApp, tokens: Tokens) -> None:
    assert _create_contact(oauth, tokens, "First Ltd", "key-2").status_code == 200
    refused = _create_contact(oauth, tokens, "Second Ltd", "key-2")
    assert refused.status_code == 400
    body = refused.json()
    assert body["Type"] == "ValidationException"
    assert "key-2" in body["Message"] and "different request" in body["Message"]
    assert _contacts_named(oauth, tokens, "Second Ltd") == 0


def test_keys_are_per_organisation(oauth: OAuthApp, tokens: Tokens) -> None:
    assert _create_contact(oauth, tokens, "Org One Ltd", "shared").status_code == 200
    other = _create_contact(oauth, tokens, "Org One Ltd", "shared", tenant=EMPTY_TENANT_ID)
    assert other.status_code == 200
    assert "idempotent-replayed" not in other.headers
    assert _contacts_named(oauth, tokens, "Org One Ltd", tenant=EMPTY_TENANT_ID) == 1


def test_a_validation_error_is_replayed_too(oauth: OAuthApp, tokens: Tokens) -> None:
    first = _create_contact(oauth, tokens, "", "key-3")
    assert first.status_code == 400
    again = _create_contact(oauth, tokens, "", "key-3")
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"


def test_a_server_error_is_not_remembered(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    http.post(
        "/_sandbox/faults", json={"kind": "error", "status": 503, "path": "*/Contacts"}
    ).raise_for_status()
    assert _create_contact(oauth, tokens, "Later Ltd", "key-4").status_code == 503
    retried = _create_contact(oauth, tokens, "Later Ltd", "key-4")
    assert retried.status_code == 200
    assert "idempotent-replayed" not in retried.headers


@pytest.mark.parametrize("key", ["", "k" * 256], ids=["empty", "too-long"])
def test_a_malformed_key_is_refused(oauth: OAuthApp, tokens: Tokens, key: str) -> None:
    response = _create_contact(oauth, tokens, "Keyed Ltd", key)
    assert response.status_code == 400
    assert "Idempotency-Key must be 1 to 255 characters" in response.json()["Message"]


def test_gets_ignore_the_key(oauth: OAuthApp, tokens: Tokens) -> None:
    first = oauth.api(tokens, "/Organisation", headers={"Idempotency-Key": "g"})
    second = oauth.api(tokens, "/Organisation", headers={"Idempotency-Key": "g"})
    assert "idempotent-replayed" not in second.headers
    assert first.json()["Id"] != second.json()["Id"]


def _ignore_keys(http: httpx.Client, honour: object) -> httpx.Response:
    return http.post("/_sandbox/idempotency", json={"honour_keys": honour})


def test_a_sandbox_told_to_ignore_keys_runs_a_keyed_write_again(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    contact = _create_contact(oauth, tokens, "Twice Ltd", None).json()["Contacts"][0]
    assert _ignore_keys(http, False).json()["honourKeys"] is False
    bill = {
        "Type": "ACCPAY",
        "Contact": {"ContactID": contact["ContactID"]},
        "InvoiceNumber": "TWICE-1",
        "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 10}],
    }
    headers = {"Idempotency-Key": "ignored-1"}
    answers = [
        oauth.api(tokens, "/Invoices", method="PUT", json={"Invoices": [bill]}, headers=headers)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    assert "idempotent-replayed" not in answers[1].headers
    found = oauth.api(tokens, "/Invoices", params={"InvoiceNumbers": "TWICE-1"})
    assert len(found.json()["Invoices"]) == 2


def test_keys_are_honoured_again_when_switched_back_and_after_a_reset(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    assert http.get("/_sandbox/idempotency").json() == {"honourKeys": True, "keys": 0}
    _ignore_keys(http, False)
    assert _ignore_keys(http, True).json()["honourKeys"] is True
    _create_contact(oauth, tokens, "Honoured Ltd", "back-1")
    assert _create_contact(oauth, tokens, "Honoured Ltd", "back-1").headers["idempotent-replayed"]
    _ignore_keys(http, False)
    http.post("/_sandbox/reset").raise_for_status()
    assert http.get("/_sandbox/idempotency").json()["honourKeys"] is True


def test_the_ignore_switch_names_its_field_when_not_a_boolean(http: httpx.Client) -> None:
    answer = _ignore_keys(http, "no")
    assert answer.status_code == 400
    assert answer.json()["field"] == "honour_keys"
