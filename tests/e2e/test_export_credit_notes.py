"""Credit notes approved here reach the Xero sandbox under their party's contact:
ACCRECCREDIT for a customer, ACCPAYCREDIT for a supplier; voided here, voided there."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.integration.sync.bills import ready, supplier
from tests.integration.sync.harness import ExportSetup, export_setup
from tests.integration.sync.sales import SALES, customer, xero_contacts

__all__ = ["export_setup", "ready"]


def note_body(kind: str, party_id: str, number: str, account: str, tax: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "party_id": party_id,
        "number": number,
        "date": "2026-03-05",
        "currency": "NZD",
        "lines": [{"description": "Damaged on arrival", "quantity": "2", "unit_price": "15.00",
                   "account_code": account, "tax_type": tax}],
    }  # fmt: skip


def approve(setup: ExportSetup, body: dict[str, Any]) -> dict[str, Any]:
    created = setup.post("/credit-notes", body, status=201)
    approved: dict[str, Any] = setup.post(f"/credit-notes/{created['id']}/approve")
    assert approved["status"] == "approved", approved
    return approved


async def xero_note(setup: ExportSetup, number: str) -> dict[str, Any]:
    found = (await setup.xero("/CreditNotes", where=f'CreditNoteNumber=="{number}"'))["CreditNotes"]
    assert len(found) == 1, found
    note: dict[str, Any] = found[0]
    return note


@pytest.mark.parametrize(
    ("side", "xero_type"),
    [("sales", "ACCRECCREDIT"), ("purchase", "ACCPAYCREDIT")],
    ids=["customer", "supplier"],
)
async def test_an_approved_credit_note_arrives_under_its_partys_contact(
    ready: ExportSetup, side: str, xero_type: str
) -> None:
    if side == "sales":
        party, name, account, tax = customer(ready), "Harbour Cafe", SALES, "OUTPUT2"
    else:
        party, name, account, tax = supplier(ready), "Lamp Co", "429", "INPUT2"
    approved = approve(ready, note_body(side, party, "CN-1", account, tax))

    await ready.run_worker()

    note = await xero_note(ready, "CN-1")
    [contact] = await xero_contacts(ready, name)
    assert (note["Type"], note["Status"]) == (xero_type, "AUTHORISED")
    assert note["Contact"]["ContactID"] == contact["ContactID"]
    assert Decimal(str(note["Total"])) == Decimal(approved["total"]) == Decimal("34.50")
    state = ready.get(f"/sync/credit_note/{approved['id']}")
    assert (state["state"], state["total_ours"], state["total_xero"]) == ("sent", "34.50", "34.50")


async def test_a_voided_credit_note_is_voided_in_xero(ready: ExportSetup) -> None:
    approved = approve(ready, note_body("sales", customer(ready), "CN-2", SALES, "OUTPUT2"))
    await ready.run_worker()

    ready.post(f"/credit-notes/{approved['id']}/void")
    await ready.run_worker()

    assert (await xero_note(ready, "CN-2"))["Status"] == "VOIDED"
    assert ready.get(f"/sync/credit_note/{approved['id']}")["xero_status"] == "VOIDED"


async def test_a_credit_note_status_follows_the_settings(ready: ExportSetup) -> None:
    ready.put("/xero/settings", {"credit_note_status": "DRAFT"})
    approve(ready, note_body("sales", customer(ready), "CN-3", SALES, "OUTPUT2"))

    await ready.run_worker()

    assert (await xero_note(ready, "CN-3"))["Status"] == "DRAFT"
