"""`--data FILE`: organisations, tokens and connections survive a restart."""

import json
from pathlib import Path

import httpx
import pytest

from xero_sandbox import (
    DEMO_TENANT_ID,
    EMPTY_TENANT_ID,
    SandboxClock,
    SandboxConfig,
    create_app,
    serve_in_thread,
)
from xero_sandbox.persistence import DataFileError, save

from ..conftest import START, OAuthApp
from .webhook_receiver import SANDBOX_WEBHOOK_KEY as KEY
from .webhook_receiver import receiver, signs_correctly


def test_state_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    config = SandboxConfig(data=data, multi_organisation_consent=True)
    with (
        serve_in_thread(config, SandboxClock.manual(START)) as first,
        httpx.Client(base_url=first.base_url) as http,
    ):
        oauth = OAuthApp(http)
        tokens = oauth.connect()
        created = oauth.api(
            tokens, "/Contacts", method="PUT", json={"Contacts": [{"Name": "Kept Ltd"}]}
        )
        contact_id = created.json()["Contacts"][0]["ContactID"]
        http.post(
            f"/_sandbox/tenants/{EMPTY_TENANT_ID}/lock-dates",
            json={"period_lock_date": "2026-01-31"},
        ).raise_for_status()
    assert json.loads(data.read_text())["version"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["sandbox.json"]  # no temporary files left

    with (
        serve_in_thread(config, SandboxClock.manual(START)) as second,
        httpx.Client(base_url=second.base_url) as http,
    ):
        oauth = OAuthApp(http)
        assert oauth.api(tokens, f"/Contacts/{contact_id}").json()["Contacts"][0]["Name"] == (
            "Kept Ltd"
        )
        connections = http.get(
            "/connections", headers={"authorization": f"Bearer {tokens.access_token}"}
        ).json()
        assert {c["tenantId"] for c in connections} == {DEMO_TENANT_ID, EMPTY_TENANT_ID}
        refreshed = oauth.refresh(str(tokens.refresh_token))
        assert refreshed.status_code == 200
        tenants = {t["tenantId"]: t for t in http.get("/_sandbox/tenants").json()}
        assert tenants[EMPTY_TENANT_ID]["lockDate"] == "2026-01-31"


def test_tokens_are_not_stored_in_the_clear(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    with (
        serve_in_thread(SandboxConfig(data=data), SandboxClock.manual(START)) as running,
        httpx.Client(base_url=running.base_url) as http,
    ):
        tokens = OAuthApp(http).connect()
    text = data.read_text()
    assert tokens.access_token not in text
    assert str(tokens.refresh_token) not in text


def test_changes_are_saved_while_running(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    with (
        serve_in_thread(SandboxConfig(data=data), SandboxClock.manual(START)) as running,
        httpx.Client(base_url=running.base_url) as http,
    ):
        http.post("/_sandbox/tenants", json={"name": "Saved Soon Ltd"}).raise_for_status()
        # The first change after a quiet spell is written at once; each round trip gives the
        # saver's thread time to finish.
        for _ in range(500):
            if "Saved Soon Ltd" in data.read_text():
                break
            http.get("/_sandbox/clock").raise_for_status()
        assert "Saved Soon Ltd" in data.read_text()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [("not json", "not a sandbox data file"), ('{"version": 99}', "unknown format version")],
    ids=["garbage", "future-version"],
)
def test_an_unreadable_data_file_says_what_to_do(
    tmp_path: Path, content: str, fragment: str
) -> None:
    data = tmp_path / "sandbox.json"
    data.write_text(content)
    with pytest.raises(DataFileError, match=fragment) as raised:
        create_app(SandboxConfig(data=data))
    assert str(data) in str(raised.value)
    assert "delete it or pass another path" in str(raised.value)


def test_webhook_sequences_keep_rising_across_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    with receiver(signs_correctly(KEY)) as hook:
        config = SandboxConfig(data=data, webhook_url=hook.url)
        for run, name in enumerate(["Before Restart Ltd", "After Restart Ltd"], start=1):
            with (
                serve_in_thread(config, SandboxClock.manual(START)) as running,
                httpx.Client(base_url=running.base_url) as http,
            ):
                oauth = OAuthApp(http)
                tokens = oauth.connect()
                body = {"Contacts": [{"Name": name}]}
                oauth.api(tokens, "/Contacts", method="PUT", json=body).raise_for_status()
                hook.wait_for_events(run)
    sequences = [json.loads(d.body)["firstEventSequence"] for d in hook.deliveries]
    assert sequences == [1, 2]


async def test_undelivered_events_are_kept_in_the_data_file(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    config = SandboxConfig(data=data, webhook_url="http://127.0.0.1:9/nobody-listens")
    app = create_app(config, SandboxClock.manual(START))  # not served: nothing is delivered
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as http:
        token = await http.post(
            "/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        )
        headers = {"authorization": f"Bearer {token.json()['access_token']}"}
        for name in ("Queued One Ltd", "Queued Two Ltd"):
            body = {"Contacts": [{"Name": name}]}
            created = await http.put("/api.xro/2.0/Contacts", json=body, headers=headers)
            assert created.status_code == 200
    save(data, app.state.sandbox.snapshot())
    restored = create_app(config, SandboxClock.manual(START)).state.sandbox.webhooks.status()
    assert (restored["pending"], restored["lastSequence"]) == (2, 2)
