"""Attachments through the platform: scopes, `Idempotency-Key`, faults, `--data`, the org view."""

from pathlib import Path

import httpx
import pytest

from xero_sandbox import DEMO_TENANT_ID, SandboxClock, SandboxConfig, serve_in_thread

from ..conftest import START, OAuthApp, Tokens, pkce_pair

SCAN = b"%PDF-1.4 delivery docket\n" + bytes(range(200))


def _bill(oauth: OAuthApp, tokens: Tokens) -> str:
    body = {
        "Invoices": [
            {
                "Type": "ACCPAY",
                "Contact": {"Name": "ABC Furniture"},
                "Date": "2026-03-01",
                "DueDate": "2026-03-31",
                "InvoiceNumber": "ATT-1",
                "LineItems": [{"Description": "Desk", "Quantity": 1, "UnitAmount": "100.00",
                               "AccountCode": "300", "TaxType": "INPUT2"}],
            }
        ]
    }  # fmt: skip
    created = oauth.api(tokens, "/Invoices", method="PUT", json=body)
    assert created.status_code == 200, created.text
    invoice_id: str = created.json()["Invoices"][0]["InvoiceID"]
    return invoice_id


def _upload(
    oauth: OAuthApp, tokens: Tokens | str, invoice_id: str, name: str, key: str | None = None
) -> httpx.Response:
    headers = {"content-type": "application/pdf"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return oauth.api(
        tokens,
        f"/Invoices/{invoice_id}/Attachments/{name}",
        method="PUT",
        content=SCAN,
        headers=headers,
    )


def _listed(oauth: OAuthApp, tokens: Tokens, invoice_id: str) -> list[str]:
    answer = oauth.api(tokens, f"/Invoices/{invoice_id}/Attachments")
    return [a["FileName"] for a in answer.json()["Attachments"]]


def test_attachments_need_the_attachments_scope(oauth: OAuthApp, tokens: Tokens) -> None:
    invoice_id = _bill(oauth, tokens)
    verifier, challenge = pkce_pair()
    scope = "offline_access accounting.transactions accounting.attachments.read"
    code = oauth.code(oauth.authorize_params(challenge, scope=scope))
    read_only = oauth.exchange(code, verifier).json()["access_token"]
    assert _upload(oauth, read_only, invoice_id, "a.pdf").status_code == 401
    assert _upload(oauth, tokens, invoice_id, "a.pdf").status_code == 200
    listed = oauth.api(read_only, f"/Invoices/{invoice_id}/Attachments")
    assert listed.status_code == 200
    # History & Notes go with the record's own scope, not the attachments one.
    note = {"HistoryRecords": [{"Details": "Checked"}]}
    assert oauth.api(tokens, f"/Invoices/{invoice_id}/History", "PUT", json=note).is_success


def test_an_upload_replayed_under_its_key_is_stored_once(oauth: OAuthApp, tokens: Tokens) -> None:
    invoice_id = _bill(oauth, tokens)
    first = _upload(oauth, tokens, invoice_id, "docket.pdf", key="hash-1")
    again = _upload(oauth, tokens, invoice_id, "docket.pdf", key="hash-1")
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["Attachments"] == first.json()["Attachments"]
    assert _listed(oauth, tokens, invoice_id) == ["docket.pdf"]


def test_a_dropped_upload_is_stored_and_listed(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    invoice_id = _bill(oauth, tokens)
    armed = http.post("/_sandbox/faults", json={"kind": "drop", "method": "PUT",
                                               "path": "*/Attachments/*"})  # fmt: skip
    assert armed.status_code == 201, armed.text
    with pytest.raises(httpx.RemoteProtocolError):
        _upload(oauth, tokens, invoice_id, "dropped.pdf", key="drop-1")
    assert _listed(oauth, tokens, invoice_id) == ["dropped.pdf"]
    (demo,) = http.get("/_sandbox/stats").json()["organisations"]
    uploads = [c for c in demo["calls"] if c["method"] == "PUT" and "Attachments" in c["path"]]
    assert [c["path"].rsplit("/", 1)[-1] for c in uploads] == ["dropped.pdf"]


def test_files_and_notes_survive_a_restart_and_show_in_the_org_view(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    config = SandboxConfig(data=data)
    with (
        serve_in_thread(config, SandboxClock.manual(START)) as first,
        httpx.Client(base_url=first.base_url) as http,
    ):
        oauth = OAuthApp(http)
        tokens = oauth.connect()
        invoice_id = _bill(oauth, tokens)
        assert _upload(oauth, tokens, invoice_id, "kept.pdf").status_code == 200
        note = {"HistoryRecords": [{"Details": "Paid by card"}]}
        oauth.api(tokens, f"/Invoices/{invoice_id}/History", "PUT", json=note).raise_for_status()
    with (
        serve_in_thread(config, SandboxClock.manual(START)) as second,
        httpx.Client(base_url=second.base_url) as http,
    ):
        oauth = OAuthApp(http)
        path = f"/Invoices/{invoice_id}/Attachments/kept.pdf"
        assert oauth.api(tokens, path).content == SCAN
        history = oauth.api(tokens, f"/Invoices/{invoice_id}/History").json()["HistoryRecords"]
        assert [h["Details"] for h in history if h["Changes"] == "Note"] == ["Paid by card"]
        page = http.get(f"/_sandbox/orgs/{DEMO_TENANT_ID}").text
        assert "Invoices ATT-1" in page and "kept.pdf" in page and "Paid by card" in page
