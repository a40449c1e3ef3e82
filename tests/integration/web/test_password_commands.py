"""`ledgerlink users add ... --password` and `users set-password`: the console's passwords."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ledgerlink.bootstrap import build
from ledgerlink.cli import app
from tests.integration.web.conftest import csrf_of

FIRST = "first password here"
SECOND = "second password here"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'll.db'}")
    monkeypatch.setenv("LEDGERLINK_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner


def signs_in(email: str, password: str) -> bool:
    container = build()
    try:
        with TestClient(container.api()) as browser:
            token = csrf_of(browser.get("/sign-in").text)
            answer = browser.post(
                "/sign-in",
                data={"email": email, "password": password, "csrf_token": token},
                follow_redirects=False,
            )
    finally:
        container.close()
    return answer.status_code == 303


def test_a_user_added_with_a_password_signs_in_with_it(cli: CliRunner) -> None:
    added = cli.invoke(
        app,
        ["users", "add", "ap@acme.test", "--company", "Acme Ltd", "--password"],
        input=f"{FIRST}\n{FIRST}\n",
    )
    assert added.exit_code == 0, added.output
    assert FIRST not in added.output  # never echoed
    assert signs_in("ap@acme.test", FIRST)
    assert not signs_in("ap@acme.test", SECOND)


def test_set_password_replaces_the_old_one(cli: CliRunner) -> None:
    cli.invoke(
        app,
        ["users", "add", "ap@acme.test", "--company", "Acme Ltd", "--password"],
        input=f"{FIRST}\n{FIRST}\n",
    )
    changed = cli.invoke(
        app, ["users", "set-password", "ap@acme.test"], input=f"{SECOND}\n{SECOND}\n"
    )
    assert changed.exit_code == 0, changed.output
    assert signs_in("ap@acme.test", SECOND)
    assert not signs_in("ap@acme.test", FIRST)


def test_a_short_password_or_an_unknown_person_is_refused_by_name(cli: CliRunner) -> None:
    cli.invoke(app, ["users", "add", "ap@acme.test", "--company", "Acme Ltd"])
    short = cli.invoke(app, ["users", "set-password", "ap@acme.test"], input="short\nshort\n")
    assert short.exit_code == 2
    assert "password: use at least 10 characters" in short.output
    assert not signs_in("ap@acme.test", "short")
    unknown = cli.invoke(
        app, ["users", "set-password", "who@acme.test"], input=f"{FIRST}\n{FIRST}\n"
    )
    assert unknown.exit_code == 2
    assert "no user with email" in unknown.output
