"""Text from Xero that cannot be kept here (NUL characters, lone surrogates) skips its
record with where and why; the rest of the import goes on and nothing of it is stored."""

from uuid import UUID

import pytest

from ledgerlink.sync.imports import ImportKind, ImportRunner
from ledgerlink.sync.imports.records import identity, translate
from ledgerlink.xero.inbound import SkipRecord
from tests.integration.conftest import UowFactory
from tests.integration.imports.conftest import run_import
from xero_client import Contact, XeroClient


async def test_a_contact_named_with_a_nul_is_skipped_with_the_reason_and_the_rest_comes_in(
    runner: ImportRunner, uow_factory: UowFactory, company_id: UUID, demo: XeroClient
) -> None:
    await demo.create_contacts(
        [
            Contact(name="Nul\x00 Paper Ltd", is_supplier=True),
            Contact(name="Plain Paper Ltd", is_supplier=True),
        ]
    )

    job = await run_import(runner, company_id, "suppliers", search="Paper Ltd")

    assert (job.state, job.created, job.skipped) == ("done", 1, 1)
    assert job.skips[0]["name"] == "Nul\ufffd Paper Ltd"
    assert "Name: may not contain a NUL character" in job.skips[0]["reason"]
    with uow_factory() as uow:
        names = [s.name for s in uow.suppliers.list(company_id, limit=100)]
    assert "Plain Paper Ltd" in names
    assert not [name for name in names if "Nul" in name]


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ({"ContactID": "c1", "Name": "\ud800", "IsSupplier": True}, "Name"),
        ({"ContactID": "c1", "Name": "Acme", "Addresses": [{"City": "Auck\x00land"}]},
         "Addresses[0].City"),
    ],
    ids=["surrogate-name", "nul-in-address"],
)  # fmt: skip
def test_a_record_with_unstorable_text_is_skipped_naming_where(
    raw: dict[str, object], where: str
) -> None:
    with pytest.raises(SkipRecord) as skipped:
        translate(ImportKind.SUPPLIERS, raw)
    assert f"{where}: " in skipped.value.reason
    assert "fix it in Xero" in skipped.value.reason
    _, name = identity(ImportKind.SUPPLIERS, raw)
    assert name is not None and name.encode("utf-8") and "\x00" not in name
