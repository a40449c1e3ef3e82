"""A credit note whose credit Xero paid out as a refund (a payment of the credit note
there) keeps it as `refunded_in_xero`: the credit left here is Xero's, and a refund
deleted in Xero gives the credit back at the next pull.

Each test pulls over the REST API (`POST .../xero/pull`) and compares over
`POST .../sync/reconcile`, against the sandbox over HTTP.
"""

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest

from ledgerlink.bootstrap import Container
from ledgerlink.domain.credit_note import CreditNoteStatus
from ledgerlink.sync.inbound.poll import PaymentsPoll
from tests.integration.api.conftest import Tenant, problem
from tests.integration.conftest import FakeClock
from tests.integration.imports.conftest import (
    admin,
    api,
    app,
    connected,
    container,
    sandbox,
    sandbox_clock,
    sandbox_config,
    settings,
)
from tests.integration.inbound.conftest import xero_write
from tests.integration.inbound.test_credit_notes_elsewhere import (
    Here,
    allocate_in_xero,
    credit_in_xero,
    drift_of,
    public_note,
    pull,
    remaining_in_xero,
    split_in_xero,
    the_note,
)
from tests.integration.sync.conftest import SandboxClients, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["admin", "api", "app", "connected", "container", "sandbox", "sandbox_clock",
           "sandbox_config", "settings"]  # fmt: skip

S = CreditNoteStatus


async def refund_in_xero(sandbox: RunningSandbox, credit_id: str, amount: str) -> str:
    """Pay `amount` of the credit note out of the bank in Xero; the refund's PaymentID."""
    refund = {"CreditNote": {"CreditNoteID": credit_id}, "Account": {"Code": "090"},
              "Date": "2026-03-06", "Amount": amount}  # fmt: skip
    made = await xero_write(sandbox, "PUT", "/Payments", {"Payments": [refund]})
    payment_id: str = made["Payments"][0]["PaymentID"]
    return payment_id


async def delete_in_xero(sandbox: RunningSandbox, payment_id: str) -> None:
    await xero_write(sandbox, "POST", f"/Payments/{payment_id}", {"Status": "DELETED"})


async def status_in_xero(sandbox: RunningSandbox, credit_id: str) -> str:
    (credit,) = (await sandbox_get(sandbox, f"/CreditNotes/{credit_id}"))["CreditNotes"]
    status: str = credit["Status"]
    return status


def used(note: Any) -> tuple[Any, ...]:
    return (note.status, note.amount_allocated, note.allocated_in_xero, note.refunded_in_xero)


@pytest.mark.parametrize("side", ["sales", "purchase"])
async def test_a_refund_paid_out_in_xero_uses_the_credit_here_until_it_is_deleted(
    api: httpx.AsyncClient,
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
    side: str,
) -> None:
    here = Here(container, UUID(connected.company_id), side)
    credit = await credit_in_xero(sandbox, side, "CN-21")  # 46.00
    credit_id = credit["CreditNoteID"]
    here.link_party(credit["Contact"]["ContactID"])
    part = await refund_in_xero(sandbox, credit_id, "10.00")

    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-21")
    assert used(note) == (S.PARTIALLY_ALLOCATED, Decimal(0), Decimal(0), Decimal("10.00"))
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit_id) == Decimal(36)
    shown = await public_note(api, connected, note)
    assert (shown["refunded_in_xero"], shown["remaining_credit"], shown["status"]) == (
        "10.00",
        "36.00",
        "partially_allocated",
    )
    assert await drift_of(api, connected, note) == []

    # The rest paid out too: used up here, PAID in Xero.
    rest = await refund_in_xero(sandbox, credit_id, "36.00")
    await pull(api, connected)
    note = the_note(container, here.company_id, "CN-21")
    assert used(note) == (S.ALLOCATED, Decimal(0), Decimal(0), Decimal("46.00"))
    assert await status_in_xero(sandbox, credit_id) == "PAID"
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit_id) == Decimal(0)
    assert await drift_of(api, connected, note) == []

    # Both refunds deleted in Xero: read again, the credit is back here.
    await delete_in_xero(sandbox, rest)
    await delete_in_xero(sandbox, part)
    await pull(api, connected)
    note = the_note(container, here.company_id, "CN-21")
    assert used(note) == (S.APPROVED, Decimal(0), Decimal(0), Decimal(0))
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit_id) == Decimal(46)
    assert await status_in_xero(sandbox, credit_id) == "AUTHORISED"
    assert await drift_of(api, connected, note) == []


@pytest.mark.parametrize("side", ["sales", "purchase"])
async def test_a_refund_an_allocation_elsewhere_and_one_here_each_count_once(
    api: httpx.AsyncClient,
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
    side: str,
) -> None:
    here = Here(container, UUID(connected.company_id), side)
    split = await split_in_xero(here, sandbox, ("L-21", "X-21", "CN-22"))
    linked_twin, other, linked, credit_id = (
        split.linked_twin,
        split.other,
        split.linked,
        split.credit_id,
    )
    await allocate_in_xero(sandbox, credit_id, linked_twin["InvoiceID"], "20.00")
    await allocate_in_xero(sandbox, credit_id, other["InvoiceID"], "16.00")
    refund = await refund_in_xero(sandbox, credit_id, "10.00")

    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-22")
    assert used(note) == (S.ALLOCATED, Decimal("20.00"), Decimal("16.00"), Decimal("10.00"))
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit_id) == Decimal(0)
    assert here.paid(linked) == Decimal("20.00")
    assert await drift_of(api, connected, note) == []

    await pull(api, connected)  # again: nothing moves

    again = the_note(container, here.company_id, "CN-22")
    assert (again.version, *used(again)) == (note.version, *used(note))
    assert here.paid(linked) == Decimal("20.00")

    # The refund deleted in Xero and its credit allocated to the linked invoice instead,
    # between two pulls: the refund frees the credit the allocation here then uses.
    await delete_in_xero(sandbox, refund)
    await allocate_in_xero(sandbox, credit_id, linked_twin["InvoiceID"], "10.00")
    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-22")
    assert used(note) == (S.ALLOCATED, Decimal("30.00"), Decimal("16.00"), Decimal(0))
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit_id) == Decimal(0)
    assert here.paid(linked) == Decimal("30.00")
    assert await drift_of(api, connected, note) == []


async def test_the_payments_poll_takes_no_refund_of_a_credit_note_for_an_invoice_payment(
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
) -> None:
    """Xero's /Payments names the credit note a refund was paid out of as its Invoice."""
    here = Here(container, UUID(connected.company_id), "sales")
    credit = await credit_in_xero(sandbox, "sales", "CN-23")
    here.link_party(credit["Contact"]["ContactID"])
    payment_id = await refund_in_xero(sandbox, credit["CreditNoteID"], "12.00")
    (read,) = (await sandbox_get(sandbox, f"/Payments/{payment_id}"))["Payments"]
    assert read["Invoice"]["InvoiceID"] == credit["CreditNoteID"]
    poll = PaymentsPoll(container.uow, FakeClock(dt.datetime(2026, 3, 9, tzinfo=dt.UTC)))

    async with SandboxClients(sandbox.base_url)(here.company_id) as client:
        report = await poll.run(here.company_id, client)

    # Not an invoice payment it could not apply (the demo organisation's own are noted).
    credit_id = credit["CreditNoteID"].lower()
    assert [note for note in report.notes or [] if credit_id in note] == []
    with container.uow() as uow:
        assert uow.xero_links.find(DEMO_TENANT_ID.lower(), "payment", payment_id.lower()) is None


async def test_refunded_in_xero_is_read_only_and_documented(
    api: httpx.AsyncClient,
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
) -> None:
    here = Here(container, UUID(connected.company_id), "sales")
    credit = await credit_in_xero(sandbox, "sales", "CN-24")
    here.link_party(credit["Contact"]["ContactID"])
    await refund_in_xero(sandbox, credit["CreditNoteID"], "6.00")
    await pull(api, connected)
    note = the_note(container, here.company_id, "CN-24")
    url = connected.url(f"/credit-notes/{note.id}")

    written = await api.patch(url, json={"refunded_in_xero": "0.00"}, headers=connected.headers)

    assert "refunded_in_xero" in str(problem(written, 422))
    after = the_note(container, here.company_id, "CN-24")
    assert (after.version, after.refunded_in_xero) == (note.version, Decimal("6.00"))
    schemas = (await api.get("/api/v1/openapi.json")).json()["components"]["schemas"]
    documented = schemas["CreditNotePublic"]["properties"]["refunded_in_xero"]
    assert documented["readOnly"] is True and "refunds" in documented["description"]
    assert "refunded_in_xero" not in schemas["CreditNoteUpdate"]["properties"]
    assert "refunded_in_xero" not in schemas["CreditNoteCreate"]["properties"]
