"""Payments: full, partial, several, refused, deleted; the invoice's balance follows."""

from typing import Any

import pytest

from xero_sandbox.accounting import Ledger

from .builders import bill, line, sale
from .conftest import XeroApi


async def _invoice(api: XeroApi, body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = (await api.put("/Invoices", body)).json()["Invoices"][0]
    return created


def payment(invoice_id: str, amount: Any, **extra: Any) -> dict[str, Any]:
    body = {"Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "090"},
            "Date": "2026-03-02", "Amount": amount}  # fmt: skip
    body.update(extra)
    return body


async def test_partial_then_full_payment_marks_the_bill_paid(api: XeroApi, ledger: Ledger) -> None:
    created = await _invoice(api, bill("ABC Furniture", line("100.00")))  # total 115.00
    ledger.drain_events()
    first = await api.put("/Payments", {"Payments": [payment(created["InvoiceID"], 40)]})
    assert first.status_code == 200
    paid = first.json()["Payments"][0]
    assert (paid["PaymentType"], paid["Status"], paid["Amount"]) == (
        "ACCPAYPAYMENT",
        "AUTHORISED",
        40,
    )
    after_first = (await api.get(f"/Invoices/{created['InvoiceID']}")).json()["Invoices"][0]
    assert (after_first["AmountPaid"], after_first["AmountDue"], after_first["Status"]) == (
        40, 75, "AUTHORISED")  # fmt: skip
    await api.post("/Payments", payment(created["InvoiceID"], "75.00"))
    final = (await api.get(f"/Invoices/{created['InvoiceID']}")).json()["Invoices"][0]
    assert (final["AmountPaid"], final["AmountDue"], final["Status"]) == (115, 0, "PAID")
    assert final["FullyPaidOnDate"] == "/Date(1772409600000+0000)/"
    assert [p["Amount"] for p in final["Payments"]] == [40, 75]
    events = ledger.drain_events()
    assert [(e.category, e.type) for e in events] == [("INVOICE", "UPDATE")] * 2


async def test_one_payment_batch_over_several_invoices(api: XeroApi) -> None:
    one = await _invoice(api, sale())
    two = await _invoice(api, sale("Bayside Club"))
    response = await api.put(
        "/Payments", {"Payments": [payment(one["InvoiceID"], 115), payment(two["InvoiceID"], 15)]}
    )
    assert [p["PaymentType"] for p in response.json()["Payments"]] == ["ACCRECPAYMENT"] * 2
    statuses = [
        (await api.get(f"/Invoices/{i['InvoiceID']}")).json()["Invoices"][0]["Status"]
        for i in (one, two)
    ]
    assert statuses == ["PAID", "AUTHORISED"]


async def test_deleting_a_payment_restores_what_is_due(api: XeroApi) -> None:
    created = await _invoice(api, bill())
    paid = (await api.put("/Payments", payment(created["InvoiceID"], 115))).json()["Payments"][0]
    deleted = await api.post(f"/Payments/{paid['PaymentID']}", {"Status": "DELETED"})
    assert deleted.json()["Payments"][0]["Status"] == "DELETED"
    invoice = (await api.get(f"/Invoices/{created['InvoiceID']}")).json()["Invoices"][0]
    assert (invoice["Status"], invoice["AmountDue"], invoice["AmountPaid"]) == (
        "AUTHORISED",
        115,
        0,
    )
    assert "FullyPaidOnDate" not in invoice and invoice["Payments"] == []
    again = await api.post(f"/Payments/{paid['PaymentID']}", {"Status": "DELETED"})
    assert again.status_code == 400


async def test_a_paid_invoice_cannot_be_voided_until_its_payment_is_deleted(api: XeroApi) -> None:
    created = await _invoice(api, bill())
    paid = (await api.put("/Payments", payment(created["InvoiceID"], 10))).json()["Payments"][0]
    refused = await api.post(f"/Invoices/{created['InvoiceID']}", {"Status": "VOIDED"})
    assert refused.status_code == 400
    assert "has a payment or credit note allocated to it" in refused.text
    await api.post("/Payments", {"PaymentID": paid["PaymentID"], "Status": "DELETED"})
    voided = await api.post(f"/Invoices/{created['InvoiceID']}", {"Status": "VOIDED"})
    assert voided.json()["Invoices"][0]["Status"] == "VOIDED"


@pytest.mark.parametrize(
    ("status", "amount", "extra", "message"),
    [
        ("DRAFT", 10, {}, "Payments can only be made against Authorised documents"),
        ("AUTHORISED", "115.01", {},
         "Payment amount exceeds the amount outstanding on this document"),
        ("AUTHORISED", 0, {}, "Payment amounts must be positive amounts"),
        ("AUTHORISED", -5, {}, "Payment amounts must be positive amounts"),
        ("AUTHORISED", 10, {"Account": {"Code": "400"}},
         "Account code '400' is not a bank account and does not have payments enabled; pay "
         "through a bank account such as 090"),
        ("AUTHORISED", 10, {"Account": {"Code": "999"}}, "Account could not be found"),
    ],
    ids=["draft", "more-than-due", "zero", "negative", "not-a-bank-account", "unknown-account"],
)  # fmt: skip
async def test_refused_payments(
    api: XeroApi, status: str, amount: Any, extra: dict[str, Any], message: str
) -> None:
    created = await _invoice(api, bill(Status=status))
    response = await api.put("/Payments", payment(created["InvoiceID"], amount, **extra))
    assert response.status_code == 400
    messages = [m["Message"] for m in response.json()["Elements"][0]["ValidationErrors"]]
    assert message in messages


async def test_payment_for_an_unknown_invoice(api: XeroApi) -> None:
    response = await api.put("/Payments", payment("00000000-0000-0000-0000-000000000009", 10))
    assert "Invoice could not be found" in response.text


async def test_payments_list_with_where_and_paging(api: XeroApi) -> None:
    created = await _invoice(api, bill())
    for amount in (10, 20, 30):
        await api.put("/Payments", payment(created["InvoiceID"], amount))
    mine = f'Invoice.InvoiceID==Guid("{created["InvoiceID"]}")'
    big = await api.get(
        "/Payments", params={"where": f"{mine} AND Amount >= 20", "order": "Amount DESC"}
    )
    assert [p["Amount"] for p in big.json()["Payments"]] == [30, 20]
    page = await api.get("/Payments", params={"where": mine, "page": 1, "pageSize": 2})
    assert page.json()["pagination"]["itemCount"] == 3


async def test_a_zero_invoice_is_paid_as_soon_as_it_is_approved(api: XeroApi) -> None:
    draft = await _invoice(api, sale("Boom FM", line("0.00", account="200", tax="OUTPUT2"),
                                     Status="DRAFT"))  # fmt: skip
    assert draft["Status"] == "DRAFT"
    approved = await api.post(f"/Invoices/{draft['InvoiceID']}", {"Status": "AUTHORISED"})
    invoice = approved.json()["Invoices"][0]
    assert (invoice["Status"], invoice["Total"], invoice["AmountDue"]) == ("PAID", 0, 0)


async def test_a_negative_invoice_is_refused(api: XeroApi) -> None:
    response = await api.put("/Invoices", sale("Boom FM", line("-5.00", account="200",
                                                               tax="OUTPUT2")))  # fmt: skip
    assert response.status_code == 400
    assert "Total must not be negative: raise a credit note instead" in response.text


async def test_paying_a_paid_invoice_gives_both_xero_messages(api: XeroApi) -> None:
    created = await _invoice(api, bill())
    await api.put("/Payments", payment(created["InvoiceID"], 115))
    again = await api.put("/Payments", payment(created["InvoiceID"], 10))
    messages = [m["Message"] for m in again.json()["Elements"][0]["ValidationErrors"]]
    assert messages == [
        "Payments can only be made against Authorised documents",
        "Payment amount exceeds the amount outstanding on this document",
    ]


async def test_two_payments_in_one_request_cannot_overpay_together(
    api: XeroApi, ledger: Ledger
) -> None:
    created = await _invoice(api, bill())  # 115.00
    both = {"Payments": [payment(created["InvoiceID"], 100), payment(created["InvoiceID"], 100)]}
    refused = await api.put("/Payments", both)
    assert refused.status_code == 400
    assert "Payment amount exceeds the amount outstanding on this document" in refused.text
    assert ledger.invoices[created["InvoiceID"]]["AmountPaid"] == 0
    one_by_one = await api.put("/Payments", both, params={"summarizeErrors": "false"})
    results = [p["StatusAttributeString"] for p in one_by_one.json()["Payments"]]
    assert results == ["OK", "ERROR"]
    assert ledger.invoices[created["InvoiceID"]]["AmountDue"] == 15
