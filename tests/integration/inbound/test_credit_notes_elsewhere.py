"""A credit note allocated in Xero to a bill or invoice that is not here keeps that
allocation as `allocated_in_xero`: the credit left here is Xero's, pull after pull.

Each test pulls over the REST API (`POST .../xero/pull`, the job `ledgerlink sync pull`
runs too) and compares over `POST .../sync/reconcile`, against the sandbox over HTTP.
"""

import asyncio
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from ledgerlink.bootstrap import Container
from ledgerlink.domain.bill import Bill
from ledgerlink.domain.credit_note import CreditNote, CreditNoteStatus
from ledgerlink.domain.parties import Customer, Supplier
from ledgerlink.domain.sales_invoice import SalesInvoice
from tests.integration.api.conftest import Tenant, problem
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
from tests.integration.sync.conftest import line, sandbox_get
from xero_sandbox import DEMO_TENANT_ID, RunningSandbox

__all__ = ["admin", "api", "app", "connected", "container", "sandbox", "sandbox_clock",
           "sandbox_config", "settings"]  # fmt: skip

#: The sales and the purchase side: Xero's types, the account and tax of their lines.
SIDES = {
    "sales": ("ACCREC", "ACCRECCREDIT", "200", "OUTPUT2", "Bright Ltd"),
    "purchase": ("ACCPAY", "ACCPAYCREDIT", "400", "INPUT2", "Lamp Co"),
}


def xero_line(side: str, amount: str = "33.33", quantity: str = "3") -> dict[str, str]:
    _, _, account, tax, _ = SIDES[side]
    return {"Description": "Paper", "Quantity": quantity, "UnitAmount": amount,
            "AccountCode": account, "TaxType": tax}  # fmt: skip


async def invoice_in_xero(sandbox: RunningSandbox, side: str, number: str) -> dict[str, Any]:
    """An authorised invoice (or bill) in Xero of 114.99, for the side's contact."""
    kind, _, _, _, contact = SIDES[side]
    body = {"Type": kind, "Contact": {"Name": contact}, "Date": "2026-03-01",
            "DueDate": "2026-03-31", "Status": "AUTHORISED", "InvoiceNumber": number,
            "LineItems": [xero_line(side)]}  # fmt: skip
    made: dict[str, Any] = (await xero_write(sandbox, "PUT", "/Invoices", {"Invoices": [body]}))[
        "Invoices"
    ][0]
    return made


async def credit_in_xero(sandbox: RunningSandbox, side: str, number: str) -> dict[str, Any]:
    """An authorised credit note in Xero of 46.00 (40.00 and tax) for the side's contact."""
    _, kind, _, _, contact = SIDES[side]
    body = {"Type": kind, "Contact": {"Name": contact}, "Date": "2026-03-04",
            "Status": "AUTHORISED", "CreditNoteNumber": number,
            "LineItems": [xero_line(side, "40.00", "1")]}  # fmt: skip
    made: dict[str, Any] = (
        await xero_write(sandbox, "PUT", "/CreditNotes", {"CreditNotes": [body]})
    )["CreditNotes"][0]
    assert Decimal(str(made["Total"])) == Decimal("46.00")
    return made


async def allocate_in_xero(
    sandbox: RunningSandbox, credit_id: str, invoice_id: str, amount: str
) -> str:
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": "2026-03-05"}
    placed = await xero_write(
        sandbox, "PUT", f"/CreditNotes/{credit_id}/Allocations", {"Allocations": [allocation]}
    )
    allocation_id: str = placed["Allocations"][0]["AllocationID"]
    return allocation_id


@dataclass
class Split:
    """Two Xero invoices of the side's contact, the first linked here, the second made in
    Xero only, and a credit note of 46.00 made in Xero to share between them."""

    linked_twin: dict[str, Any]
    other: dict[str, Any]
    linked: SalesInvoice | Bill
    credit_id: str


async def split_in_xero(
    here: "Here", sandbox: RunningSandbox, numbers: tuple[str, str, str]
) -> Split:
    """`numbers`: the linked invoice's, the other invoice's and the credit note's."""
    linked_number, other_number, credit_number = numbers
    linked_twin = await invoice_in_xero(sandbox, here.side, linked_number)
    other = await invoice_in_xero(sandbox, here.side, other_number)  # made in Xero, not here
    here.link_party(linked_twin["Contact"]["ContactID"])
    linked = here.link_document(linked_twin)
    credit = await credit_in_xero(sandbox, here.side, credit_number)
    return Split(linked_twin, other, linked, credit["CreditNoteID"])


class Here:
    """The side's customer or supplier here, linked to its Xero contact, and documents
    linked to their Xero twins as an export or an import leaves them."""

    def __init__(self, container: Container, company_id: UUID, side: str) -> None:
        self.container, self.company_id, self.side = container, company_id, side
        name = SIDES[side][4]
        self.party: Customer | Supplier = (
            Customer(company_id=company_id, name=name)
            if side == "sales"
            else Supplier(company_id=company_id, name=name)
        )

    def link_party(self, contact_id: str) -> None:
        with self.container.uow() as uow:
            if isinstance(self.party, Customer):
                uow.customers.add(self.party)
            else:
                uow.suppliers.add(self.party)
            self.party.pull_events()
            uow.xero_links.upsert(self.company_id, self.side_kind, self.party.id,
                                  tenant_id=DEMO_TENANT_ID, xero_id=contact_id)  # fmt: skip
            uow.commit()

    @property
    def side_kind(self) -> str:
        return "customer" if self.side == "sales" else "supplier"

    def link_document(self, made: dict[str, Any]) -> SalesInvoice | Bill:
        """The document here of the Xero invoice or bill `made` (114.99), linked to it."""
        account, tax = SIDES[self.side][2:4]
        document: SalesInvoice | Bill
        if self.side == "sales":
            document = SalesInvoice(company_id=self.company_id, customer_id=self.party.id,
                                    currency="NZD", number=made["InvoiceNumber"],
                                    date=dt.date(2026, 3, 1), due_date=dt.date(2026, 3, 31),
                                    lines=[line(account_code=account, tax_type=tax)])  # fmt: skip
            document.issue()
        else:
            document = Bill(company_id=self.company_id, supplier_id=self.party.id,
                            currency="NZD", invoice_number=made["InvoiceNumber"],
                            date=dt.date(2026, 3, 1), due_date=dt.date(2026, 3, 31),
                            lines=[line(account_code=account, tax_type=tax)])  # fmt: skip
            document.submit()
            document.approve()
        assert document.total == Decimal(str(made["Total"]))
        with self.container.uow() as uow:
            if isinstance(document, SalesInvoice):
                uow.sales_invoices.add(document)
            else:
                uow.bills.add(document)
            document.pull_events()
            uow.xero_links.upsert(self.company_id, document.KIND, document.id,
                                  tenant_id=DEMO_TENANT_ID, xero_id=made["InvoiceID"],
                                  synced_version=document.version)  # fmt: skip
            uow.commit()
        return document

    def paid(self, document: SalesInvoice | Bill) -> Decimal:
        with self.container.uow() as uow:
            found = (
                uow.sales_invoices.get(self.company_id, document.id)
                if isinstance(document, SalesInvoice)
                else uow.bills.get(self.company_id, document.id)
            )
        assert found is not None
        return found.amount_paid


def the_note(container: Container, company_id: UUID, number: str) -> CreditNote:
    with container.uow() as uow:
        (note,) = [n for n in uow.credit_notes.list(company_id) if n.number == number]
    return note


async def pull(api: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    """Run a pull job over the API to its end."""
    started = await api.post(tenant.url("/xero/pull"), headers=tenant.headers)
    assert started.status_code == 202, started.text
    job: dict[str, Any] = started.json()
    for _ in range(400):
        job = (await api.get(job["url"], headers=tenant.headers)).json()
        if job["state"] in ("done", "failed"):
            break
        await asyncio.sleep(0.05)
    assert job["state"] == "done", job
    return job


async def drift_of(api: httpx.AsyncClient, tenant: Tenant, note: CreditNote) -> list[Any]:
    """What `POST .../sync/reconcile` finds of the credit note."""
    answer = await api.post(tenant.url("/sync/reconcile"), headers=tenant.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["last_run"]["state"] == "done"
    return [d for d in answer.json()["data"] if d["document_id"] == str(note.id)]


async def remaining_in_xero(sandbox: RunningSandbox, credit_id: str) -> Decimal:
    (credit,) = (await sandbox_get(sandbox, f"/CreditNotes/{credit_id}"))["CreditNotes"]
    return Decimal(str(credit["RemainingCredit"]))


async def public_note(api: httpx.AsyncClient, tenant: Tenant, note: CreditNote) -> Any:
    answer = await api.get(tenant.url(f"/credit-notes/{note.id}"), headers=tenant.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("side", ["sales", "purchase"])
async def test_an_allocation_in_xero_to_an_invoice_not_here_uses_the_credit_here(
    api: httpx.AsyncClient,
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
    side: str,
) -> None:
    here = Here(container, UUID(connected.company_id), side)
    elsewhere = await invoice_in_xero(sandbox, side, "X-1")  # made in Xero, not here
    here.link_party(elsewhere["Contact"]["ContactID"])
    credit = await credit_in_xero(sandbox, side, "CN-7")
    allocation_id = await allocate_in_xero(
        sandbox, credit["CreditNoteID"], elsewhere["InvoiceID"], "30.00"
    )

    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-7")
    assert (note.status, note.amount_allocated, note.allocated_in_xero) == (
        CreditNoteStatus.PARTIALLY_ALLOCATED,
        Decimal("0.00"),
        Decimal("30.00"),
    )
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit["CreditNoteID"])
    assert note.remaining_credit == Decimal("16.00")
    shown = await public_note(api, connected, note)
    assert (shown["allocated_in_xero"], shown["remaining_credit"], shown["status"]) == (
        "30.00",
        "16.00",
        "partially_allocated",
    )
    assert await drift_of(api, connected, note) == []

    # The allocation deleted in Xero: read again, the credit is back here.
    await xero_write(
        sandbox,
        "DELETE",
        f"/CreditNotes/{credit['CreditNoteID']}/Allocations/{allocation_id}",
        None,
    )
    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-7")
    assert (note.status, note.allocated_in_xero, note.remaining_credit) == (
        CreditNoteStatus.APPROVED,
        Decimal("0.00"),
        Decimal("46.00"),
    )
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit["CreditNoteID"])
    assert await drift_of(api, connected, note) == []

    # Allocated there again, then taken back and voided in Xero between two pulls: voided.
    allocation_id = await allocate_in_xero(
        sandbox, credit["CreditNoteID"], elsewhere["InvoiceID"], "46.00"
    )
    await pull(api, connected)
    assert the_note(container, here.company_id, "CN-7").status is CreditNoteStatus.ALLOCATED
    await xero_write(
        sandbox,
        "DELETE",
        f"/CreditNotes/{credit['CreditNoteID']}/Allocations/{allocation_id}",
        None,
    )
    await xero_write(
        sandbox,
        "POST",
        f"/CreditNotes/{credit['CreditNoteID']}",
        {"CreditNotes": [{"Status": "VOIDED"}]},
    )
    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-7")
    assert (note.status, note.allocated_in_xero) == (CreditNoteStatus.VOIDED, Decimal("0.00"))
    assert await drift_of(api, connected, note) == []


@pytest.mark.parametrize("side", ["sales", "purchase"])
async def test_a_credit_note_split_over_a_linked_and_an_unlinked_invoice_counts_each_once(
    api: httpx.AsyncClient,
    connected: Tenant,
    container: Container,
    sandbox: RunningSandbox,
    side: str,
) -> None:
    here = Here(container, UUID(connected.company_id), side)
    split = await split_in_xero(here, sandbox, ("L-1", "X-2", "CN-8"))
    linked_twin, other, linked, credit_id = (
        split.linked_twin,
        split.other,
        split.linked,
        split.credit_id,
    )
    await allocate_in_xero(sandbox, credit_id, linked_twin["InvoiceID"], "20.00")
    await allocate_in_xero(sandbox, credit_id, other["InvoiceID"], "26.00")

    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-8")
    assert (note.status, note.amount_allocated, note.allocated_in_xero) == (
        CreditNoteStatus.ALLOCATED,
        Decimal("20.00"),
        Decimal("26.00"),
    )
    assert note.remaining_credit == await remaining_in_xero(sandbox, credit_id) == Decimal(0)
    assert here.paid(linked) == Decimal("20.00")
    assert await drift_of(api, connected, note) == []

    await pull(api, connected)  # again: nothing moves

    again = the_note(container, here.company_id, "CN-8")
    assert (again.version, again.amount_allocated, again.allocated_in_xero) == (
        note.version,
        Decimal("20.00"),
        Decimal("26.00"),
    )
    assert here.paid(linked) == Decimal("20.00")

    # The other invoice linked here later: its allocation is settled here and leaves
    # what Xero allocated elsewhere; nothing is counted twice.
    later = here.link_document(other)
    await pull(api, connected)

    note = the_note(container, here.company_id, "CN-8")
    assert (note.status, note.amount_allocated, note.allocated_in_xero) == (
        CreditNoteStatus.ALLOCATED,
        Decimal("46.00"),
        Decimal("0.00"),
    )
    assert (here.paid(linked), here.paid(later)) == (Decimal("20.00"), Decimal("26.00"))
    assert await drift_of(api, connected, note) == []


async def test_credit_used_in_xero_cannot_be_set_or_freed_here(
    api: httpx.AsyncClient, connected: Tenant, container: Container, sandbox: RunningSandbox
) -> None:
    """What Xero allocated elsewhere is read only, and an allocated credit note is no longer
    voided or edited here: each refusal names its field, and nothing is written."""
    here = Here(container, UUID(connected.company_id), "sales")
    elsewhere = await invoice_in_xero(sandbox, "sales", "X-3")
    here.link_party(elsewhere["Contact"]["ContactID"])
    credit = await credit_in_xero(sandbox, "sales", "CN-9")
    await allocate_in_xero(sandbox, credit["CreditNoteID"], elsewhere["InvoiceID"], "46.00")
    await pull(api, connected)
    note = the_note(container, here.company_id, "CN-9")
    assert (note.status, note.remaining_credit) == (CreditNoteStatus.ALLOCATED, Decimal(0))
    url = connected.url(f"/credit-notes/{note.id}")

    written = await api.patch(url, json={"allocated_in_xero": "0.00"}, headers=connected.headers)
    body = problem(written, 422)
    assert "allocated_in_xero" in str(body)
    voided = await api.post(f"{url}/void", headers=connected.headers)
    assert voided.status_code == 409, voided.text
    assert "status" in voided.text and "allocated" in voided.text
    edited = await api.patch(url, json={"reference": "More"}, headers=connected.headers)
    assert edited.status_code == 409, edited.text

    schemas = (await api.get("/api/v1/openapi.json")).json()["components"]["schemas"]
    documented = schemas["CreditNotePublic"]["properties"]["allocated_in_xero"]
    assert documented["readOnly"] is True and "not in ledgerlink" in documented["description"]
    assert "allocated_in_xero" not in schemas["CreditNoteUpdate"]["properties"]
    assert "allocated_in_xero" not in schemas["CreditNoteCreate"]["properties"]

    after = the_note(container, here.company_id, "CN-9")
    assert (after.version, after.status, after.allocated_in_xero, after.reference) == (
        note.version,
        CreditNoteStatus.ALLOCATED,
        Decimal("46.00"),
        note.reference,
    )


async def test_the_demo_organisations_credit_note_allocated_in_xero_shows_no_drift(
    api: httpx.AsyncClient, app: FastAPI, connected: Tenant, container: Container
) -> None:
    """The demo seed's CN-0001 of Marine Systems (102.35), allocated whole in Xero to an
    invoice made there: pulled once its customer is imported, nothing of it is left here."""
    started = await api.post(
        connected.url("/xero/imports"),
        json={"kind": "customers", "all": True},
        headers=connected.headers,
    )
    assert started.status_code == 202, started.text
    await asyncio.gather(*getattr(app.state, "import_tasks", set()))

    await pull(api, connected)

    note = the_note(container, UUID(connected.company_id), "CN-0001")
    assert (note.total, note.status, note.amount_allocated, note.allocated_in_xero) == (
        Decimal("102.35"),
        CreditNoteStatus.ALLOCATED,
        Decimal("0.00"),
        Decimal("102.35"),
    )
    assert note.remaining_credit == 0
    assert await drift_of(api, connected, note) == []
    shown = await public_note(api, connected, note)
    assert (shown["allocated_in_xero"], shown["remaining_credit"]) == ("102.35", "0.00")
