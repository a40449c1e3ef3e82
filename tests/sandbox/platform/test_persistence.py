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
from xero_sandbox.persistence import DataFileError

from ..conftest import START, OAuthApp


def test_state_survives_a_restart(tmp_path: Path) -> None:
    data = tmp_path / "sandbox.json"
    config = SandboxConfig(data=data)
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
