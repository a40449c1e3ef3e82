"""Signed webhook delivery with retries, and the intent-to-receive probe."""

import json
from itertools import count
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from tests.xero_specs import OPENAPI_DIR
from xero_sandbox import DEMO_TENANT_ID, SandboxClock

from ..conftest import Connector, Launcher, OAuthApp, Tokens
from .webhook_receiver import SANDBOX_WEBHOOK_KEY, Delivery, receiver, signs_correctly

KEY = SANDBOX_WEBHOOK_KEY
SPEC = OPENAPI_DIR / "xero-webhooks.yaml"


def _event_schema() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC.read_text())
    schema: dict[str, Any] = spec["components"]["schemas"]["WebhookEvent"]
    return schema


def _create_contact(oauth: OAuthApp, tokens: Tokens, name: str) -> str:
    response = oauth.api(tokens, "/Contacts", method="PUT", json={"Contacts": [{"Name": name}]})
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["Contacts"][0]["ContactID"]
    return contact_id


def test_events_are_posted_signed_in_xeros_shape(connect_to: Connector) -> None:
    with receiver(signs_correctly(KEY)) as hook:
        sandbox, oauth, tokens = connect_to(webhook_url=hook.url)
        contact_id = _create_contact(oauth, tokens, "Hooked Ltd")
        (delivery,) = hook.wait_for(1)
    assert signs_correctly(KEY)(delivery) == 200
    payload = json.loads(delivery.body)
    if SPEC.exists():
        jsonschema.validate(payload, _event_schema())
    (event,) = payload["events"]
    assert event == {
        "resourceUrl": f"{sandbox.base_url}/api.xro/2.0/Contacts/{contact_id}",
        "resourceId": contact_id,
        "eventDateUtc": "2026-03-02T09:30:00.000",
        "eventType": "CREATE",
        "eventCategory": "CONTACT",
        "tenantId": DEMO_TENANT_ID,
        "tenantType": "ORGANISATION",
    }
    assert payload["firstEventSequence"] == payload["lastEventSequence"] == 1
    assert len(payload["entropy"]) == 20


def test_updates_follow_creates_with_rising_sequences(connect_to: Connector) -> None:
    with receiver(signs_correctly(KEY)) as hook:
        _, oauth, tokens = connect_to(webhook_url=hook.url)
        contact_id = _create_contact(oauth, tokens, "Changing Ltd")
        hook.wait_for(1)
        update = {"Contacts": [{"ContactID": contact_id, "EmailAddress": "ap@changing.example"}]}
        assert oauth.api(tokens, "/Contacts", method="POST", json=update).status_code == 200
        deliveries = hook.wait_for(2)
    events = [e for d in deliveries for e in json.loads(d.body)["events"]]
    assert [(e["eventType"], e["resourceId"]) for e in events] == [
        ("CREATE", contact_id),
        ("UPDATE", contact_id),
    ]
    assert json.loads(deliveries[1].body)["firstEventSequence"] == 2


def test_failed_deliveries_are_retried_with_backoff_until_a_200(
    connect_to: Connector, clock: SandboxClock
) -> None:
    statuses = count()

    def flaky(_: Delivery) -> int:
        return 200 if next(statuses) >= 2 else 500

    with receiver(flaky) as hook:
        sandbox, oauth, tokens = connect_to(webhook_url=hook.url)
        _create_contact(oauth, tokens, "Retried Ltd")
        deliveries = hook.wait_for(3)
        status = httpx.get(sandbox.base_url + "/_sandbox/webhooks").json()
    assert len({d.body for d in deliveries}) == 1  # the same batch, byte for byte
    assert len({d.signature for d in deliveries}) == 1
    assert clock.slept == [1.0, 2.0]
    assert status["backoffs"] == [1.0, 2.0]
    assert status["deliveredBatches"] == 1
    assert status["pending"] == 0
    assert status["lastStatus"] == 200


def test_no_webhook_url_means_no_posts_and_no_queue(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    _create_contact(oauth, tokens, "Quiet Ltd")
    status = http.get("/_sandbox/webhooks").json()
    assert status["url"] is None
    assert status["pending"] == 0
    assert status["lastSequence"] == 0


@pytest.mark.parametrize(
    ("answer", "verdict", "statuses"),
    [
        (signs_correctly(KEY), "OK", (200, 401)),
        (lambda _: 200, "FAILED", (200, 200)),
        (signs_correctly("another-key"), "FAILED", (401, 401)),
    ],
    ids=["checks-signatures", "accepts-everything", "wrong-key"],
)
def test_intent_to_receive(
    launch: Launcher, answer: Any, verdict: str, statuses: tuple[int, int]
) -> None:
    with receiver(answer) as hook:
        sandbox = launch(webhook_url=hook.url)
        result = httpx.post(sandbox.base_url + "/_sandbox/webhooks/intent-to-receive", timeout=10)
        deliveries = hook.wait_for(2)
    assert result.status_code == 200
    body = result.json()
    assert body["status"] == verdict
    assert (body["correctlySignedStatus"], body["incorrectlySignedStatus"]) == statuses
    for delivery in deliveries:
        assert json.loads(delivery.body)["events"] == []


def test_intent_to_receive_can_target_another_url(http: httpx.Client) -> None:
    with receiver(signs_correctly(KEY)) as hook:
        result = http.post("/_sandbox/webhooks/intent-to-receive", json={"url": hook.url})
    assert result.json()["status"] == "OK"


def test_intent_to_receive_without_a_url_says_how(http: httpx.Client) -> None:
    result = http.post("/_sandbox/webhooks/intent-to-receive")
    assert result.status_code == 400
    assert result.json()["field"] == "url"


def test_invoices_and_payments_raise_invoice_events(connect_to: Connector) -> None:
    with receiver(signs_correctly(KEY)) as hook:
        sandbox, oauth, tokens = connect_to(webhook_url=hook.url)
        contact_id = _create_contact(oauth, tokens, "Billed Customer Ltd")
        invoice = {
            "Type": "ACCREC",
            "Contact": {"ContactID": contact_id},
            "Date": "2026-03-02",
            "DueDate": "2026-03-20",
            "Status": "AUTHORISED",
            "LineItems": [
                {"Description": "Work", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200"}
            ],
        }
        created = oauth.api(tokens, "/Invoices", method="PUT", json={"Invoices": [invoice]})
        assert created.status_code == 200, created.text
        invoice_id = created.json()["Invoices"][0]["InvoiceID"]
        payment = {
            "Invoice": {"InvoiceID": invoice_id},
            "Account": {"Code": "090"},
            "Amount": 10,
            "Date": "2026-03-02",
        }
        paid = oauth.api(tokens, "/Payments", method="PUT", json={"Payments": [payment]})
        assert paid.status_code == 200, paid.text
        events = hook.wait_for_events(3)
    invoice_events = [
        (e["eventType"], e["resourceUrl"]) for e in events if e["eventCategory"] == "INVOICE"
    ]
    url = f"{sandbox.base_url}/api.xro/2.0/Invoices/{invoice_id}"
    assert invoice_events == [("CREATE", url), ("UPDATE", url)]


def test_the_receiver_can_be_set_while_running(
    http: httpx.Client, oauth: OAuthApp, tokens: Tokens
) -> None:
    _create_contact(oauth, tokens, "Before Hooks Ltd")  # no receiver yet: not queued
    with receiver(signs_correctly("another-key")) as hook:
        configured = http.post("/_sandbox/webhooks", json={"url": hook.url, "key": "another-key"})
        assert configured.status_code == 200
        assert configured.json()["url"] == hook.url
        contact_id = _create_contact(oauth, tokens, "After Hooks Ltd")
        events = hook.wait_for_events(1)
    assert [e["resourceId"] for e in events] == [contact_id]
    stopped = http.post("/_sandbox/webhooks", json={"url": None})
    assert stopped.json()["url"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [({"url": "ftp://x"}, "url"), ({"url": "http://127.0.0.1:1/x", "key": ""}, "key")],
    ids=["bad-url", "empty-key"],
)
def test_bad_webhook_settings_name_the_field(
    http: httpx.Client, body: dict[str, object], field: str
) -> None:
    response = http.post("/_sandbox/webhooks", json=body)
    assert response.status_code == 400
    assert response.json()["field"] == field
