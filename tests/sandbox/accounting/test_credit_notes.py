"""Credit notes and their allocations: AmountDue falls, AmountCredited rises, both can end PAID."""

from typing import Any

import pytest

from xero_sandbox.accounting import Ledger

from .builders import bill, line
from .conftest import XeroApi


def credit(contact: str = "ABC Furniture", amount: str = "40.00", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Type": "ACCPAYCREDIT",
        "Contact": {"Name": contact},
        "Date": "2026-03-02",
        "LineItems": [line(amount)],
        "Status": "AUTHORISED",
    }
    body.update(extra)
    return body


async def _create(api: XeroApi, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.put(path, {key: [body]})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()[key][0]
    return created


async def test_create_a_credit_note_with_totals_and_event(api: XeroApi, ledger: Ledger) -> None:
    ledger.drain_events()
    note = await _create(api, "/CreditNotes", "CreditNotes", credit())
    assert (note["Total"], note["RemainingCredit"], note["Status"]) == (46, 46, "AUTHORISED")
    assert [(e.category, e.type) for e in ledger.drain_events()] == [("CREDITNOTE", "CREATE")]
    sales_note = await _create(
        api, "/CreditNotes", "CreditNotes",
        credit("Boom FM", Type="ACCRECCREDIT", LineItems=[line(account="200", tax="OUTPUT2")]),
    )  # fmt: skip
    assert sales_note["CreditNoteNumber"].startswith("CN-")


async def test_allocation_reduces_amount_due_and_raises_amount_credited(
    api: XeroApi, ledger: Ledger
) -> None:
    invoice = await _create(api, "/Invoices", "Invoices", bill())  # 115.00
    note = await _create(api, "/CreditNotes", "CreditNotes", credit())  # 46.00
    ledger.drain_events()
    response = await api.put(
        f"/CreditNotes/{note['CreditNoteID']}/Allocations",
        {"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 46,
                          "Date": "2026-03-02"}]},
    )  # fmt: skip
    assert response.status_code == 200
    allocation = response.json()["Allocations"][0]
    assert allocation["Amount"] == 46
    after = (await api.get(f"/Invoices/{invoice['InvoiceID']}")).json()["Invoices"][0]
    assert (after["AmountDue"], after["AmountCredited"], after["AmountPaid"]) == (69, 46, 0)
    assert after["CreditNotes"][0]["AppliedAmount"] == 46
    used = (await api.get(f"/CreditNotes/{note['CreditNoteID']}")).json()["CreditNotes"][0]
    assert (used["RemainingCredit"], used["Status"]) == (0, "PAID")
    kinds = sorted((e.category, e.type) for e in ledger.drain_events())
    assert kinds == [("CREDITNOTE", "UPDATE"), ("INVOICE", "UPDATE")]
    removed = await api.call(
        "DELETE", f"/CreditNotes/{note['CreditNoteID']}/Allocations/{allocation['AllocationID']}"
    )
    assert removed.status_code == 200
    restored = (await api.get(f"/Invoices/{invoice['InvoiceID']}")).json()["Invoices"][0]
    assert (restored["AmountDue"], restored["AmountCredited"]) == (115, 0)


async def test_credit_and_payment_together_settle_the_invoice(api: XeroApi) -> None:
    invoice = await _create(api, "/Invoices", "Invoices", bill())
    note = await _create(api, "/CreditNotes", "CreditNotes", credit())
    await api.put(
        f"/CreditNotes/{note['CreditNoteID']}/Allocations",
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 46},
    )
    await api.put(
        "/Payments",
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "090"}, "Amount": 69},
    )
    final = (await api.get(f"/Invoices/{invoice['InvoiceID']}")).json()["Invoices"][0]
    assert (final["Status"], final["AmountDue"], final["AmountPaid"], final["AmountCredited"]) == (
        "PAID", 0, 69, 46)  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "amount", "fragment"),
    [
        ({}, 47, "is more than the remaining credit (46.00)"),
        ({"invoice_total": "10.00"}, 20, "is more than the amount due on the invoice (11.50)"),
        ({"other_contact": True}, 10, "must be for the same contact"),
        ({"draft_note": True}, 10, "Only an AUTHORISED credit can be allocated"),
        ({"draft_invoice": True}, 10, "Credit can only be allocated to an AUTHORISED invoice"),
    ],
    ids=["over-credit", "over-due", "other-contact", "draft-note", "draft-invoice"],
)
async def test_refused_allocations(
    api: XeroApi, setup: dict[str, Any], amount: int, fragment: str
) -> None:
    invoice = await _create(
        api, "/Invoices", "Invoices",
        bill("Capital Cab Co" if setup.get("other_contact") else "ABC Furniture",
             line(setup.get("invoice_total", "100.00")),
             Status="DRAFT" if setup.get("draft_invoice") else "AUTHORISED"),
    )  # fmt: skip
    note = await _create(
        api, "/CreditNotes", "CreditNotes",
        credit(Status="DRAFT" if setup.get("draft_note") else "AUTHORISED"),
    )  # fmt: skip
    response = await api.put(
        f"/CreditNotes/{note['CreditNoteID']}/Allocations",
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": amount},
    )
    assert response.status_code == 400
    assert fragment in response.text


async def test_refund_payment_on_a_credit_note(api: XeroApi) -> None:
    note = await _create(api, "/CreditNotes", "CreditNotes", credit())
    response = await api.put(
        "/Payments",
        {"CreditNote": {"CreditNoteID": note["CreditNoteID"]}, "Account": {"Code": "090"},
         "Amount": 46},
    )  # fmt: skip
    assert response.json()["Payments"][0]["PaymentType"] == "APCREDITPAYMENT"
    refunded = (await api.get(f"/CreditNotes/{note['CreditNoteID']}")).json()["CreditNotes"][0]
    assert (refunded["Status"], refunded["RemainingCredit"]) == ("PAID", 0)


async def test_a_refund_read_back_names_its_credit_note_as_xero_does(api: XeroApi) -> None:
    note = await _create(api, "/CreditNotes", "CreditNotes", credit(Type="ACCRECCREDIT",
                         Contact={"Name": "Boom FM"},
                         LineItems=[line("40.00", account="200", tax="OUTPUT2")]))  # fmt: skip
    note_id = note["CreditNoteID"]
    made = await api.put(
        "/Payments",
        {"CreditNote": {"CreditNoteID": note_id}, "Account": {"Code": "090"}, "Amount": 10},
    )
    answer = made.json()["Payments"][0]
    assert answer["CreditNote"]["CreditNoteID"] == note_id and "Invoice" not in answer
    payment_id = answer["PaymentID"]
    read = (await api.get(f"/Payments/{payment_id}")).json()["Payments"][0]
    assert "CreditNote" not in read
    assert (read["PaymentType"], read["Invoice"]["Type"], read["Invoice"]["InvoiceID"]) == (
        "ARCREDITPAYMENT", "ACCRECCREDIT", note_id,
    )  # fmt: skip
    assert read["Invoice"]["InvoiceNumber"] == note["CreditNoteNumber"]
    refunded = (await api.get(f"/CreditNotes/{note_id}")).json()["CreditNotes"][0]
    assert (refunded["Status"], refunded["RemainingCredit"]) == ("AUTHORISED", 36)
    assert [p["PaymentID"] for p in refunded["Payments"]] == [payment_id]
    deleted = await api.post(f"/Payments/{payment_id}", {"Status": "DELETED"})
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["Payments"][0]["Invoice"]["InvoiceID"] == note_id
    back = (await api.get(f"/CreditNotes/{note_id}")).json()["CreditNotes"][0]
    assert (back["RemainingCredit"], back["Payments"]) == (46, [])


async def test_credit_note_status_rules_follow_invoices(api: XeroApi) -> None:
    note = await _create(api, "/CreditNotes", "CreditNotes", credit(Status="DRAFT"))
    path = f"/CreditNotes/{note['CreditNoteID']}"
    assert (await api.post(path, {"Status": "AUTHORISED"})).json()["CreditNotes"][0][
        "Status"
    ] == "AUTHORISED"
    refused = await api.post(path, {"Status": "DELETED"})
    assert refused.status_code == 400
    voided = await api.post(path, {"Status": "VOIDED"})
    assert voided.json()["CreditNotes"][0]["Status"] == "VOIDED"


async def test_allocations_in_one_request_share_the_credit(api: XeroApi, ledger: Ledger) -> None:
    first = await _create(api, "/Invoices", "Invoices", bill())
    second = await _create(api, "/Invoices", "Invoices", bill())
    note = await _create(api, "/CreditNotes", "CreditNotes", credit())  # 46.00
    response = await api.put(
        f"/CreditNotes/{note['CreditNoteID']}/Allocations",
        {"Allocations": [{"Invoice": {"InvoiceID": first["InvoiceID"]}, "Amount": 30},
                         {"Invoice": {"InvoiceID": second["InvoiceID"]}, "Amount": 30}]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "is more than the remaining credit (16.00)" in response.text
    assert ledger.credit_notes[note["CreditNoteID"]]["RemainingCredit"] == 46


@pytest.mark.parametrize("type_", ["ACCRECCREDIT", "ACCPAYCREDIT"])
async def test_a_credit_note_takes_no_discount(api: XeroApi, ledger: Ledger, type_: str) -> None:
    before = len(ledger.credit_notes)
    response = await api.put(
        "/CreditNotes",
        {"CreditNotes": [credit("Boom FM", Type=type_, LineItems=[
            line(account="200", tax="OUTPUT2", DiscountRate=10)])]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "DiscountRate can only be used on sales invoices (ACCREC)" in response.text
    assert len(ledger.credit_notes) == before
