"""`ledgerlink import` speaks in its own options, against a connected sandbox."""

import asyncio
from uuid import UUID

import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import Container
from ledgerlink.cli import app
from ledgerlink.config import Settings
from tests.integration.imports.conftest import sandbox, sandbox_config
from tests.integration.imports.test_cli import connected_company, sandbox_clock
from xero_client import Contact

__all__ = ["connected_company", "sandbox", "sandbox_clock", "sandbox_config"]


def _flat(output: str) -> str:
    return " ".join(output.split())


def _contact_in_xero(company: str, name: str) -> str:
    """A new supplier contact made in the company's Xero organisation; its Xero id."""
    container = Container(Settings())

    async def make() -> str:
        with container.uow() as uow:
            found = uow.companies.get_by_name(company)
        assert found is not None
        async with container.xero_gateway.client(found.id) as xero:
            contact = Contact.from_xero({"Name": name, "IsSupplier": True})
            made = await xero.create_contacts([contact])
        assert made[0].id is not None
        return made[0].id

    try:
        return asyncio.run(make())
    finally:
        container.close()


def _supplier_names(company: str) -> list[str]:
    container = Container(Settings())
    try:
        with container.uow() as uow:
            found = uow.companies.get_by_name(company)
            assert found is not None
            company_id: UUID = found.id
            return [s.name for s in uow.suppliers.list(company_id, limit=500)]
    finally:
        container.close()


def test_import_without_picking_names_the_options_not_api_fields(connected_company: str) -> None:
    result = CliRunner().invoke(app, ["import", "suppliers", "--company", connected_company])

    assert result.exit_code == 2
    said = _flat(result.output)
    assert "--all" in said and "--search" in said and "--id" in said
    assert "xero_ids" not in said and '"all"' not in said


def test_import_by_id_picks_that_record(connected_company: str) -> None:
    xero_id = _contact_in_xero(connected_company, "Picked Paper Co")

    result = CliRunner().invoke(
        app, ["import", "suppliers", "--company", connected_company, "--id", xero_id]
    )

    assert result.exit_code == 0, result.output
    assert _supplier_names(connected_company) == ["Picked Paper Co"]


def test_a_search_that_matches_nothing_says_so(connected_company: str) -> None:
    result = CliRunner().invoke(
        app, ["import", "suppliers", "--company", connected_company, "--search", "Zzyzx"]
    )

    assert result.exit_code == 0, result.output
    assert "nothing matched 'Zzyzx' among Xero's suppliers" in _flat(result.output)


@pytest.mark.parametrize("command", [["import"], ["worker"], ["sync"], ["sync", "retry"]])
def test_help_shows_no_phantom_subcommand_and_no_bool_placeholder(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=200)

    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    if command == ["import"]:
        assert "COMMAND [ARGS]" not in result.output
        assert "or all" in _flat(result.output)


def test_worker_and_sync_help_name_every_kind_they_handle() -> None:
    for command in (["worker"], ["sync"]):
        said = _flat(CliRunner().invoke(app, [*command, "--help"], terminal_width=200).output)
        for kind in ("suppliers", "purchase orders", "bills"):
            assert kind in said, (command, kind)
