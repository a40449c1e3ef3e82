"""`ledgerlink import` run as a terminal user would, against a connected sandbox."""

import asyncio
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import Container
from ledgerlink.cli import app
from ledgerlink.config import Settings
from ledgerlink.store.migrate import upgrade
from ledgerlink.store.records import Role
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from tests.integration.api.conftest import make_tenant
from tests.integration.connect.conftest import REDIRECT_URI, SECRET_KEY
from tests.integration.connect.conftest import connect as connect_company
from xero_sandbox import RunningSandbox, SandboxClock


@pytest.fixture
def sandbox_clock() -> SandboxClock:
    """The command runs on the machine's clock, so the sandbox follows it too."""
    return SandboxClock()


@pytest.fixture
def connected_company(
    sandbox: RunningSandbox, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    environment = {
        "LEDGERLINK_DATABASE_URL": database_url,
        "LEDGERLINK_SECRET_KEY": SECRET_KEY,
        "LEDGERLINK_VAR_DIR": str(tmp_path / "var"),
        "LEDGERLINK_XERO_LOGIN_URL": sandbox.base_url,
        "LEDGERLINK_XERO_IDENTITY_URL": sandbox.base_url,
        "LEDGERLINK_XERO_API_URL": sandbox.base_url,
        "LEDGERLINK_XERO_REDIRECT_URI": REDIRECT_URI,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    upgrade(database_url)
    container = Container(Settings())
    try:
        admin = make_tenant(container, "Acme Ltd", "admin@acme.test", Role.ADMIN)
        with container.uow() as uow:
            user = uow.users.get_by_email("admin@acme.test")
        assert user is not None
        connector = XeroConnector(XeroGateway(container.session_factory, container.settings))
        asyncio.run(connect_company(connector, UUID(admin.company_id), user.id))
    finally:
        container.close()
    return "Acme Ltd"


def test_import_all_kinds_prints_progress_and_a_summary(connected_company: str) -> None:
    result = CliRunner().invoke(app, ["import", "all", "--company", connected_company])

    assert result.exit_code == 0, result.output
    assert "Imported from Xero" in result.output
    for kind in ("accounts", "tax-rates", "tracking-categories", "items", "suppliers"):
        assert kind in result.output
    text = " ".join(result.output.split())
    assert "skipped account Business Bank Account: account type BANK cannot be used" in text
    assert "skipped item" not in text


def test_import_suppliers_by_search_then_again_changes_nothing(connected_company: str) -> None:
    runner = CliRunner()
    first = runner.invoke(
        app, ["import", "suppliers", "--company", connected_company, "--search", "Power"]
    )
    again = runner.invoke(
        app, ["import", "suppliers", "--company", connected_company, "--search", "Power"]
    )

    refreshed = runner.invoke(
        app, ["import", "suppliers", "--company", connected_company, "--refresh"]
    )

    assert first.exit_code == 0, first.output
    assert refreshed.exit_code == 0, refreshed.output
    assert "│ suppliers │ done" in refreshed.output
    row = next(line for line in again.output.splitlines() if line.startswith("│ suppliers"))
    assert row.split()[1:14:2] == ["suppliers", "done", "0", "0", "1", "0", "1"], again.output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["import", "widgets", "--company", "Acme Ltd"], "kind: use one of"),
        (["import", "suppliers", "--company", "Acme Ltd"], "--all for every one in Xero"),
        (["import", "accounts", "--company", "Nobody Inc"], "no company named 'Nobody Inc'"),
    ],
    ids=["unknown-kind", "nothing-picked", "unknown-company"],
)
def test_bad_input_names_the_field_and_the_fix(
    connected_company: str, arguments: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, arguments)

    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
