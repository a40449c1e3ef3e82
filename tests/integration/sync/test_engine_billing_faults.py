"""Items, credit notes and sales invoices exactly once in Xero when their batch meets a 500
after the save, a 429, or an answer dropped after the save (with Idempotency-Keys ignored,
so that only the lookup stands between the save and a duplicate: items by code, credit
notes and sales invoices by contact, date, number and total)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from ledgerlink.domain import Line
from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind
from ledgerlink.domain.parties import Customer
from tests.integration.conftest import FakeClock
from tests.integration.sync.conftest import (
    SandboxClients,
    UowFactory,
    sandbox_control,
    sandbox_get,
    worker,
)
from tests.integration.sync.faults import puts_to, sent_count, until_every_put_ran
from tests.integration.sync.test_engine_exactly_once import bills_in_xero
from tests.integration.sync.test_engine_sales_faults import issued_invoices, numbers_of
from xero_sandbox import RunningSandbox

RECORDS = 3


def new_items(uow_factory: UowFactory, company_id: UUID, prefix: str) -> list[str]:
    """``RECORDS`` new items, coded ``prefix-n``; returns their codes."""
    items = [
        Item.create(company_id=company_id, code=f"{prefix}-{n}", name=f"Widget {prefix} {n}",
                    sales_price=Decimal("9.50"), sales_account_code="200")
        for n in range(RECORDS)
    ]  # fmt: skip
    with uow_factory() as uow:
        for item in items:
            uow.items.add(item)
        uow.commit()
    return [item.code for item in items]


def approved_credit_notes(uow_factory: UowFactory, company_id: UUID, prefix: str) -> list[str]:
    """A customer and ``RECORDS`` approved credit notes to it, numbered ``prefix-n``."""
    customer = Customer.create(company_id=company_id, name=f"{prefix} Returns Ltd")
    notes = []
    for n in range(RECORDS):
        note = CreditNote(
            company_id=company_id,
            kind=CreditNoteKind.SALES,
            party_id=customer.id,
            number=f"{prefix}-{n}",
            currency="NZD",
            date=dt.date(2026, 3, 1),
            lines=[Line(description="Returned", quantity=Decimal(n + 1),
                        unit_price=Decimal("12.40"), account_code="200", tax_type="OUTPUT2",
                        tax_rate=Decimal(15))],
        )  # fmt: skip
        note.approve()
        notes.append(note)
    with uow_factory() as uow:
        uow.customers.add(customer)
        for note in notes:
            uow.credit_notes.add(note)
        uow.commit()
    return [note.number or "" for note in notes]


def issued_invoice_numbers(uow_factory: UowFactory, company_id: UUID, prefix: str) -> list[str]:
    return numbers_of(issued_invoices(uow_factory, company_id, prefix))


async def items_in_xero(sandbox: RunningSandbox, codes: list[str]) -> Counter[str]:
    held = (await sandbox_get(sandbox, "/Items"))["Items"]
    return Counter(i["Code"] for i in held if i["Code"] in codes)


async def credit_notes_in_xero(sandbox: RunningSandbox, numbers: list[str]) -> Counter[str]:
    held = (await sandbox_get(sandbox, "/CreditNotes"))["CreditNotes"]
    return Counter(
        n["CreditNoteNumber"]
        for n in held
        if n["CreditNoteNumber"] in numbers and n["Status"] not in ("DELETED", "VOIDED")
    )


Make = Callable[[UowFactory, UUID, str], list[str]]
Held = Callable[[RunningSandbox, list[str]], Any]
BATCHES: dict[str, tuple[str, Make, Held, str]] = {
    "items": ("item", new_items, items_in_xero, "*/Items*"),
    "credit-notes": ("credit_note", approved_credit_notes, credit_notes_in_xero, "*/CreditNotes*"),
    "sales-invoices": ("sales_invoice", issued_invoice_numbers, bills_in_xero, "*/Invoices*"),
}


@dataclass(frozen=True)
class Batch:
    """One batch of ``RECORDS`` new records of ``kind``, created under ``path``."""

    name: str
    kind: str
    keys: list[str]
    held: Held
    path: str


@pytest.fixture(params=list(BATCHES))
def batch(request: pytest.FixtureRequest, uow_factory: UowFactory, company_id: UUID) -> Batch:
    kind, make, held, path = BATCHES[request.param]
    return Batch(request.param, kind, make(uow_factory, company_id, "F"), held, path)


async def assert_each_once(
    batch: Batch,
    sandbox: RunningSandbox,
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
) -> None:
    """Each record of the batch is in Xero once and linked here."""
    assert await batch.held(sandbox, batch.keys) == Counter(batch.keys)
    assert sent_count(uow_factory, company_id, clock, batch.kind) == RECORDS


async def test_a_batch_saved_before_a_500_is_found_by_lookup_not_created_twice(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    clients: SandboxClients,
    batch: Batch,
) -> None:
    fault = {"kind": "error_after_commit", "status": 500, "method": "PUT", "path": batch.path}
    await sandbox_control(sandbox, "POST", "/faults", fault)

    await worker(uow_factory, clients, clock, f"{batch.name}-500").drain()

    await assert_each_once(batch, sandbox, uow_factory, company_id, clock)


async def test_a_dropped_answer_with_keys_ignored_is_found_by_lookup_not_resent(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    impatient: SandboxClients,
    batch: Batch,
) -> None:
    await sandbox_control(sandbox, "POST", "/idempotency", {"honour_keys": False})
    await sandbox_control(sandbox, "POST", "/faults", {"kind": "drop", "method": "PUT",
                                                       "path": batch.path})  # fmt: skip
    export = worker(uow_factory, impatient, clock, f"{batch.name}-drop")

    await export.run_pass()  # the create lands; its answer is lost
    assert await batch.held(sandbox, batch.keys) == Counter(batch.keys)
    clock.advance(60)
    await export.drain()
    await until_every_put_ran(sandbox, impatient, batch.path.strip("*"))

    await assert_each_once(batch, sandbox, uow_factory, company_id, clock)
    assert await puts_to(sandbox, batch.path.strip("*")) == 1


async def test_a_429_on_the_batch_waits_then_sends_each_once(
    uow_factory: UowFactory,
    company_id: UUID,
    clock: FakeClock,
    sandbox: RunningSandbox,
    clients: SandboxClients,
    batch: Batch,
) -> None:
    fault = {"kind": "error", "status": 429, "retry_after": 1, "method": "PUT", "path": batch.path}
    await sandbox_control(sandbox, "POST", "/faults", fault)
    export = worker(uow_factory, clients, clock, f"{batch.name}-429")

    await export.run_pass()
    clock.advance(60)
    await export.drain()

    stats = await sandbox_control(sandbox, "GET", "/stats")
    assert "429" in stats["byStatus"]
    await assert_each_once(batch, sandbox, uow_factory, company_id, clock)
