"""Two suppliers whose names differ only in letter case share one Xero contact name: the
second one's documents fail with a fix, and the rest of the pass goes on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID, uuid4

import pytest

from ledgerlink.domain.parties import Supplier
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.tables.parties import suppliers as suppliers_table
from ledgerlink.sync.engine import Worker
from ledgerlink.sync.engine.overview import sync_states
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.snapshot import load_snapshot
from ledgerlink.sync.export.state import Env, Pass, PassState
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    add_supplier,
    approved_bill,
    sandbox_get,
)
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


async def numbers_in_xero(sandbox: RunningSandbox, *numbers: str) -> list[str]:
    found = (await sandbox_get(sandbox, "/Invoices", InvoiceNumbers=",".join(numbers)))["Invoices"]
    return sorted(invoice["InvoiceNumber"] for invoice in found)


def add_twin_stored_earlier(uow_factory: UowFactory, company_id: UUID, name: str) -> Supplier:
    """A supplier named like another but for letter case, as releases that did not refuse
    such names stored them (the API refuses them now)."""
    supplier = add_supplier(uow_factory, company_id, f"placeholder {uuid4()}")
    with uow_factory() as uow:
        uow.session.execute(
            suppliers_table.update().where(suppliers_table.c.id == supplier.id).values(name=name)
        )
        uow.commit()
    supplier.name = name
    return supplier


def waiting_rows(uow_factory: UowFactory, company_id: UUID) -> list[tuple[str, str, str]]:
    with uow_factory() as uow:
        rows = uow.session.execute(
            outbox.select().where(
                outbox.c.company_id == company_id,
                outbox.c.reaches_xero.is_(True),
                outbox.c.state.in_(("pending", "claimed")),
            )
        ).mappings()
        return [(row["kind"], row["document_id"], row["event_type"]) for row in rows]


async def test_a_supplier_named_like_another_in_another_case_fails_its_bill_alone(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = add_supplier(uow_factory, company_id, "Twin Case Supplies Ltd")
    second = add_twin_stored_earlier(uow_factory, company_id, "TWIN CASE SUPPLIES LTD")
    other = add_supplier(uow_factory, company_id, "Unrelated Timber Ltd")
    approved_bill(uow_factory, company_id, first, "TWIN-1")
    twin = approved_bill(uow_factory, company_id, second, "TWIN-2")
    approved_bill(uow_factory, company_id, other, "OTHER-1")

    with caplog.at_level(logging.ERROR):
        report = await make_worker().run_pass()

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert report.rows >= 3
    assert await numbers_in_xero(sandbox, "TWIN-1", "TWIN-2", "OTHER-1") == ["OTHER-1", "TWIN-1"]
    with uow_factory() as uow:
        failed = sync_states(uow, clock, company_id, state="failed")
        pending = sync_states(uow, clock, company_id, state="pending")
    assert [(s.kind, s.document_id) for s in failed if s.kind == "bill"] == [("bill", twin.id)]
    (bill_state,) = [s for s in failed if s.kind == "bill"]
    assert bill_state.fix is not None
    assert "TWIN CASE SUPPLIES LTD" in bill_state.fix
    assert "Twin Case Supplies Ltd" in bill_state.fix
    assert "rename one or merge them" in bill_state.fix
    assert pending == []
    assert waiting_rows(uow_factory, company_id) == []


async def test_a_twin_supplier_after_the_first_was_linked_fails_without_stopping_the_pass(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = add_supplier(uow_factory, company_id, "Early Twin Ltd")
    approved_bill(uow_factory, company_id, first, "EARLY-1")
    await make_worker().drain()
    second = add_twin_stored_earlier(uow_factory, company_id, "early twin LTD")
    other = add_supplier(uow_factory, company_id, "Bystander Ltd")
    late = approved_bill(uow_factory, company_id, second, "EARLY-2")
    approved_bill(uow_factory, company_id, other, "BYSTANDER-1")

    with caplog.at_level(logging.ERROR):
        await make_worker().run_pass()

    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert await numbers_in_xero(sandbox, "EARLY-2", "BYSTANDER-1") == ["BYSTANDER-1"]
    with uow_factory() as uow:
        failed = sync_states(uow, clock, company_id, state="failed", kind="bill")
        pending = sync_states(uow, clock, company_id, state="pending")
    assert [s.document_id for s in failed] == [late.id]
    assert "rename one or merge them" in (failed[0].fix or "")
    assert pending == []
    assert waiting_rows(uow_factory, company_id) == []


async def test_linking_a_second_record_to_a_linked_xero_id_fails_that_record_alone(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    clients: SandboxClients,
) -> None:
    holder = add_supplier(uow_factory, company_id, "Holder Ltd")
    second = add_supplier(uow_factory, company_id, "Second Ltd")
    bystander = add_supplier(uow_factory, company_id, "Bystander Ltd")
    taken, free = str(uuid4()), str(uuid4())
    with uow_factory() as uow:
        uow.xero_links.upsert(
            company_id, "supplier", holder.id, tenant_id=DEMO_TENANT_ID, xero_id=taken
        )
        uow.commit()
    async with clients(company_id) as client:
        with uow_factory() as uow:
            snapshot = load_snapshot(
                uow, clock, company_id, {"supplier": [second.id, bystander.id]}
            )
        export = Pass(Env(uow_factory, client, company_id, clock), PassState.of(snapshot))
        results = export.results()

        def linked_to(supplier: Supplier, xero_id: str) -> Outcome:
            return results.sent(
                export.snap.state("supplier", supplier.id),
                version=supplier.version,
                action="create",
                summary=f"supplier {supplier.name}",
                xero_id=xero_id,
                xero_status="ACTIVE",
                number=None,
                total_ours=None,
                total_xero=None,
                row_ids=(),
            )

        written = export.record([linked_to(second, taken), linked_to(bystander, free)])

    assert [o.state.state for o in written] == ["failed", "sent"]
    with uow_factory() as uow:
        assert uow.xero_links.get(company_id, "supplier", second.id) is None
        bystanders = uow.xero_links.get(company_id, "supplier", bystander.id)
        failed = sync_states(uow, clock, company_id, state="failed", kind="supplier")
    assert bystanders is not None and bystanders.xero_id == free
    assert [s.document_id for s in failed] == [second.id]
    assert "rename one or merge them" in (failed[0].fix or "")
