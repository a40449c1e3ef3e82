"""`ledgerlink sync reconcile` compares now and prints the drift; `sync status` shows it."""

import asyncio
from uuid import UUID

from typer.testing import CliRunner

from ledgerlink.bootstrap import Container
from ledgerlink.cli import app as cli
from ledgerlink.store.records import Role
from ledgerlink.sync.connect import XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from tests.integration.api.conftest import make_tenant
from tests.integration.connect.conftest import connect as connect_company
from tests.integration.imports.conftest import sandbox, sandbox_clock, sandbox_config
from tests.integration.inbound.test_pull import environment, linked_bill
from xero_sandbox import RunningSandbox

__all__ = ["environment", "sandbox", "sandbox_clock", "sandbox_config"]


def test_ledgerlink_sync_reconcile_lists_the_drift_and_sync_status_shows_it(
    environment: Container, sandbox: RunningSandbox
) -> None:
    admin = make_tenant(environment, "Acme Ltd", "admin@acme.test", Role.ADMIN)
    company_id = UUID(admin.company_id)
    with environment.uow() as uow:
        user = uow.users.get_by_email("admin@acme.test")
    assert user is not None
    connector = XeroConnector(XeroGateway(environment.session_factory, environment.settings))
    asyncio.run(connect_company(connector, company_id, user.id))
    never = CliRunner().invoke(cli, ["sync", "status", "--company", "Acme Ltd"])
    assert "Compared with Xero: not yet (next at" in never.output, never.output
    asyncio.run(linked_bill(environment, company_id, sandbox))  # 50.00 of it paid in Xero

    result = CliRunner().invoke(cli, ["sync", "reconcile", "--company", "Acme Ltd"])

    assert result.exit_code == 0, result.output
    assert "1 document(s) compared, 1 differ" in result.output
    assert "bill SUP-9: amount_due here 114.99, Xero 64.99" in result.output
    assert "ledgerlink sync pull" in result.output
    status = CliRunner().invoke(cli, ["sync", "status", "--company", "Acme Ltd"])
    assert status.exit_code == 0, status.output
    assert "bill SUP-9: amount_due here 114.99, Xero 64.99" in status.output
    unknown = CliRunner().invoke(cli, ["sync", "reconcile", "--company", "Nobody"])
    assert unknown.exit_code == 2 and "no company named 'Nobody'" in unknown.output
