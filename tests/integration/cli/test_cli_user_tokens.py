"""`ledgerlink users token|tokens|revoke` and the demo token of `ledgerlink up`."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from ledgerlink.bootstrap import build
from ledgerlink.cli import app
from ledgerlink.cli.server import DEMO_ADMIN, demo_admin_token


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI over a migrated database with ops@acme.test, admin of Acme Ltd."""
    monkeypatch.setenv("LEDGERLINK_DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'll.db'}")
    cli = CliRunner()
    cli.invoke(app, ["db", "upgrade"])
    added = cli.invoke(app, ["users", "add", "ops@acme.test", "--company", "Acme Ltd"])
    assert added.exit_code == 0, added.output
    cli.invoke(app, ["users", "add", "ops@acme.test", "--company", "Globex Corp"])
    return cli


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["users", *args])


def reaches(token: str) -> list[str]:
    """The companies `token` reaches over the API."""
    container = build()
    with TestClient(container.api()) as client:
        answer = client.get("/api/v1/companies", headers={"Authorization": f"Bearer {token}"})
    container.close()
    if answer.status_code == 401:
        return []
    return [company["name"] for company in answer.json()["data"]]


def token_ids(email: str) -> list[str]:
    container = build()
    with container.uow() as uow:
        user = uow.users.get_by_email(email)
        assert user is not None
        ids = [str(token.id) for token in uow.tokens.list(user.id) if token.revoked_at is None]
    container.close()
    return ids


def test_the_operator_mints_a_token_for_all_or_one_company_of_a_person(
    runner: CliRunner,
) -> None:
    every = run(runner, "token", "ops@acme.test", "--name", "laptop")
    assert every.exit_code == 0, every.output
    assert reaches(every.output.strip().splitlines()[-1]) == ["Acme Ltd", "Globex Corp"]
    one = run(runner, "token", "OPS@acme.test", "--company", "Globex Corp")
    assert one.exit_code == 0, one.output
    assert "Globex Corp only" in one.output
    assert reaches(one.output.strip().splitlines()[-1]) == ["Globex Corp"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["token", "nobody@acme.test"], "no user with email 'nobody@acme.test'"),
        (["token", "ops@acme.test", "--company", "Initech"], "not a user of a company"),
        (["tokens", "nobody@acme.test"], "no user with email"),
        (["revoke", "nobody@acme.test", "--all"], "no user with email"),
        (["revoke", "ops@acme.test", "--token", "not-an-id"], "has no token 'not-an-id'"),
        (
            ["revoke", "ops@acme.test", "--token", "00000000-0000-0000-0000-000000000000"],
            "ledgerlink users tokens ops@acme.test",
        ),
        (["revoke", "ops@acme.test"], "--token ID or --all"),
    ],
    ids=[
        "token-unknown-email",
        "token-not-their-company",
        "tokens",
        "revoke",
        "bad-id",
        "unknown-id",
        "neither",
    ],
)
def test_unknown_people_companies_and_tokens_are_refused_clearly(
    runner: CliRunner, args: list[str], says: str
) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())


def test_tokens_are_listed_then_revoked_one_by_id_then_all(runner: CliRunner) -> None:
    minted = run(runner, "token", "ops@acme.test", "--name", "ci", "--company", "Acme Ltd")
    secret = minted.output.strip().splitlines()[-1]
    listed = run(runner, "tokens", "ops@acme.test")
    assert listed.exit_code == 0, listed.output
    assert secret not in listed.output
    assert secret[:11] in listed.output
    assert "Acme Ltd" in listed.output
    assert "3 token(s)" in listed.output
    ci_id = token_ids("ops@acme.test")[-1]
    one = run(runner, "revoke", "ops@acme.test", "--token", ci_id)
    assert "Revoked 1 token(s)" in one.output
    assert reaches(secret) == []
    assert len(token_ids("ops@acme.test")) == 2
    every = run(runner, "revoke", "ops@acme.test", "--all")
    assert "Revoked 2 token(s)" in every.output
    assert token_ids("ops@acme.test") == []


def test_each_ledgerlink_up_replaces_the_last_demo_token(runner: CliRunner) -> None:
    container = build()
    first = demo_admin_token(container)
    second = demo_admin_token(container)
    container.close()
    assert reaches(first) == []
    assert reaches(second) == ["Demo Company"]
    assert len(token_ids(DEMO_ADMIN)) == 1
    # Tokens of the demo admin made by other means are not touched.
    run(runner, "token", DEMO_ADMIN, "--name", "mine")
    container = build()
    demo_admin_token(container)
    container.close()
    assert len(token_ids(DEMO_ADMIN)) == 2


def test_each_command_has_help(runner: CliRunner) -> None:
    for command in ("token", "tokens", "revoke"):
        shown = run(runner, command, "--help")
        assert shown.exit_code == 0
        assert "email address" in shown.output
