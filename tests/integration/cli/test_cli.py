"""The `ledgerlink` command, run as a terminal user would run it."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ledgerlink.bootstrap import build
from ledgerlink.cli import app


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'var' / 'ledgerlink.db'}"
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", url)
    return url


def test_db_upgrade_migrates_then_reports_up_to_date(database: str) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "migrated from empty" in first.output
    again = runner.invoke(app, ["db", "upgrade"])
    assert "up to date" in again.output


def test_users_add_prints_a_token_that_reaches_the_api(database: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(
        app, ["users", "add", "ops@acme.test", "--company", "Acme Ltd", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    assert "Created company Acme Ltd" in result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("ll_")
    container = build()
    with TestClient(container.api()) as client:
        companies = client.get("/api/v1/companies", headers={"Authorization": f"Bearer {token}"})
    container.close()
    assert companies.json()["data"][0] == {
        **companies.json()["data"][0],
        "name": "Acme Ltd",
        "role": "admin",
    }


def test_users_add_refuses_a_bad_email_by_name(database: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["users", "add", "nope", "--company", "Acme Ltd"])
    assert result.exit_code == 2
    assert "email" in result.output
