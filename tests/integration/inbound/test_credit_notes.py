"""Credit notes made, allocated or voided in Xero (CREDITNOTE events) follow here."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.credit_note import CreditNote, CreditNoteKind, CreditNoteStatus
from ledgerlink.sync.engine import Worker
from tests.integration.conftest import FakeClock, UowFactory
from tests.integration.inbound.conftest import (
    bill_in_xero,
    outbox_rows,
    reread,
    store_events,
    stored,
    xero_write,
)
from tests.integration.sync.conftest import sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox


async def credit_in_xero(sandbox: RunningSandbox, contact_id: str, **extra: Any) -> str:
    body = {"Type": "ACCPAYCREDIT", "Contact": {"ContactID": contact_id}, "Date": "2026-03-04",
            "Status": "AUTHORISED", "CreditNoteNumber": "SUP-CN-7",
            "LineItems": [{"Description": "Returned lamp", "Quantity": "1",
                           "UnitAmount": "20.00", "AccountCode": "400", "TaxType": "INPUT2"}],
            **extra}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/CreditNotes", {"CreditNotes": [body]})
    credit_id: str = made["CreditNotes"][0]["CreditNoteID"]
    return credit_id


async def contact_of(sandbox: RunningSandbox, invoice_id: str) -> str:
    (invoice,) = (await sandbox_get(sandbox, f"/Invoices/{invoice_id}"))["Invoices"]
    contact_id: str = invoice["Contact"]["ContactID"]
    return contact_id


async def allocated_in_xero(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
) -> tuple[Bill, str, dict[str, Any]]:
    """A bill in Xero, a supplier credit note made there, and 15.00 of it allocated to the
    bill there: the bill, the credit note's Xero id and Xero's answer to the allocation."""
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    credit_id = await credit_in_xero(sandbox, await contact_of(sandbox, invoice_id))
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": "15.00", "Date": "2026-03-05"}
    placed = await xero_write(
        sandbox, "PUT", f"/CreditNotes/{credit_id}/Allocations", {"Allocations": [allocation]}
    )
    return bill, credit_id, placed


def notes_here(uow_factory: UowFactory, company_id: UUID) -> list[CreditNote]:
    with uow_factory() as uow:
        return uow.credit_notes.list(company_id)


async def test_a_credit_note_made_in_xero_is_made_here_and_nothing_goes_back(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    credit_id = await credit_in_xero(sandbox, await contact_of(sandbox, invoice_id))
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    (note,) = notes_here(uow_factory, company_id)
    assert (note.kind, note.party_id, note.number, note.status, note.total) == (
        CreditNoteKind.PURCHASE,
        bill.supplier_id,
        "SUP-CN-7",
        CreditNoteStatus.APPROVED,
        Decimal("23.00"),
    )
    assert outbox_rows(uow_factory) == before
    with uow_factory() as uow:
        assert [(e["category"], e["note"]) for e in stored(uow)] == [("CREDITNOTE", None)]
    clock.advance(1)
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    await make_worker().run_pass()  # the same credit note again: still one
    assert len(notes_here(uow_factory, company_id)) == 1


async def test_a_credit_note_allocated_in_xero_pays_the_bill_and_uses_the_credit_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, credit_id, _ = await allocated_in_xero(uow_factory, company_id, make_worker, sandbox)
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.PARTIALLY_PAID, Decimal("15.00"))
    (note,) = notes_here(uow_factory, company_id)
    assert (note.status, note.amount_allocated) == (
        CreditNoteStatus.PARTIALLY_ALLOCATED,
        Decimal("15.00"),
    )
    assert outbox_rows(uow_factory) == before


async def test_a_credit_note_voided_in_xero_is_voided_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    _, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    credit_id = await credit_in_xero(sandbox, await contact_of(sandbox, invoice_id))
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    await make_worker().run_pass()
    body = {"CreditNotes": [{"CreditNoteID": credit_id, "Status": "VOIDED"}]}
    await xero_write(sandbox, "POST", f"/CreditNotes/{credit_id}", body)
    clock.advance(1)
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    assert [n.status for n in notes_here(uow_factory, company_id)] == [CreditNoteStatus.VOIDED]
    assert outbox_rows(uow_factory) == before


async def test_a_credit_note_for_a_contact_not_here_is_noted_and_not_made(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    await bill_in_xero(uow_factory, company_id, make_worker)
    contacts = (await sandbox_get(sandbox, "/Contacts", where='Name=="Boom FM"'))["Contacts"]
    credit_id = await credit_in_xero(sandbox, contacts[0]["ContactID"])
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")

    await make_worker().run_pass()

    assert notes_here(uow_factory, company_id) == []


async def test_an_allocation_taken_off_in_xero_gives_the_credit_back_here(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    bill, credit_id, placed = await allocated_in_xero(uow_factory, company_id, make_worker, sandbox)
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    await make_worker().run_pass()
    assert reread(uow_factory, bill).amount_paid == Decimal("15.00")
    before = outbox_rows(uow_factory)

    allocation_id = placed["Allocations"][0]["AllocationID"]
    await xero_write(
        sandbox, "DELETE", f"/CreditNotes/{credit_id}/Allocations/{allocation_id}", None
    )
    clock.advance(1)
    store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
    await make_worker().run_pass()

    found = reread(uow_factory, bill)
    assert (found.status, found.amount_paid) == (BillStatus.APPROVED, Decimal("0.00"))
    (note,) = notes_here(uow_factory, company_id)
    assert (note.status, note.amount_allocated) == (CreditNoteStatus.APPROVED, Decimal("0.00"))
    assert outbox_rows(uow_factory) == before


async def test_a_credit_note_sent_from_here_for_a_refund_or_store_credit_is_not_made_again(
    uow_factory: UowFactory,
    company_id: UUID,
    make_worker: Callable[..., Worker],
    sandbox: RunningSandbox,
    clock: FakeClock,
) -> None:
    """Refunds and store credit reach Xero as credit notes linked under their own kinds;
    Xero's CREDITNOTE events for them make no credit note here."""
    _, invoice_id = await bill_in_xero(uow_factory, company_id, make_worker)
    contact_id = await contact_of(sandbox, invoice_id)
    for kind, number in (("refund", "RF-1"), ("store_credit", "SC-1")):
        credit_id = await credit_in_xero(sandbox, contact_id, CreditNoteNumber=number)
        with uow_factory() as uow:
            uow.xero_links.upsert(company_id, kind, uuid4(), tenant_id=DEMO_TENANT_ID,
                                  xero_id=credit_id)  # fmt: skip
            uow.commit()
        store_events(uow_factory, clock, credit_id, category="CREDITNOTE")
        clock.advance(1)
    before = outbox_rows(uow_factory)

    await make_worker().run_pass()

    assert notes_here(uow_factory, company_id) == []
    assert outbox_rows(uow_factory) == before
