"""`ledgerlink export KIND --all --company NAME` run as a terminal user would, against a
connected sandbox."""

from uuid import UUID

import pytest
from typer.testing import CliRunner

from ledgerlink.bootstrap import Container
from ledgerlink.cli import app
from ledgerlink.config import Settings
from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.parties import Customer
from tests.integration.imports.conftest import sandbox, sandbox_config
from tests.integration.imports.test_cli import connected_company, sandbox_clock

__all__ = ["connected_company", "sandbox", "sandbox_clock", "sandbox_config"]


def _add(company: str, *records: Customer | Item) -> None:
    container = Container(Settings())
    try:
        with container.uow() as uow:
            found = uow.companies.get_by_name(company)
            assert found is not None
            company_id: UUID = found.id
            for record in records:
                if isinstance(record, Customer):
                    uow.customers.add(Customer.create(company_id=company_id, name=record.name))
                else:
                    uow.items.add(Item.create(company_id=company_id, code=record.code,
                                              name=record.name))  # fmt: skip
            uow.commit()
    finally:
        container.close()


def _flat(output: str) -> str:
    return " ".join(output.split())


@pytest.mark.parametrize("backend", ["sqlite"])
def test_export_customers_then_products_prints_progress_and_a_summary(
    connected_company: str,
) -> None:
    nobody = UUID(int=0)
    _add(
        connected_company,
        Customer(company_id=nobody, name="MARINE SYSTEMS"),
        Customer(company_id=nobody, name="Harbour Cafe"),
        Item(company_id=nobody, code="INSTALL", name="Installation"),
        Item(company_id=nobody, code="MUG", name="Mug"),
    )

    customers = CliRunner().invoke(
        app, ["export", "customers", "--all", "--company", connected_company]
    )
    products = CliRunner().invoke(
        app, ["export", "products", "--all", "--company", connected_company]
    )

    assert customers.exit_code == 0, customers.output
    assert "Exported to Xero" in customers.output
    row = next(line for line in customers.output.splitlines() if line.startswith("│ customers"))
    # kind, state, done, linked, created, already, failed
    assert row.split()[1:14:2] == ["customers", "done", "2", "1", "1", "0", "0"], row
    assert "2 customers: 1 linked to what Xero had, 1 created" in _flat(customers.output)
    assert products.exit_code == 0, products.output
    row = next(line for line in products.output.splitlines() if line.startswith("│ products"))
    assert row.split()[1:14:2] == ["products", "done", "2", "1", "1", "0", "0"], row


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["export", "customers", "--company", "Acme Ltd"], "--all: say --all"),
        (["export", "widgets", "--all", "--company", "Acme Ltd"], "kind: use one of"),
        (["export", "customers", "--all", "--company", "Nobody Inc"], "no company named"),
    ],
    ids=["without-all", "unknown-kind", "unknown-company"],
)
@pytest.mark.parametrize("backend", ["sqlite"])
def test_bad_input_names_the_option_and_the_fix(
    connected_company: str, arguments: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, arguments)

    assert result.exit_code == 2
    assert message in _flat(result.output)
