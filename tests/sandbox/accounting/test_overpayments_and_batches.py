"""Overpayments and prepayments (made as bank transactions) and batch payments."""

from typing import Any

import pytest

from xero_sandbox.accounting import Ledger

from .builders import bill, line, sale
from .conftest import XeroApi


async def _put(api: XeroApi, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.put(path, {key: [body]})
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()[key][0]
    return created


def money_in(type_: str, amount: str, contact: str = "Boom FM", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Type": type_,
        "Contact": {"Name": contact},
        "BankAccount": {"Code": "090"},
        "Date": "2026-03-02",
        "LineItems": [{"Description": "Paid too much", "LineAmount": amount}],
    }
    body.update(extra)
    return body


@pytest.mark.parametrize(
    ("type_", "table", "id_field"),
    [
        ("RECEIVE-OVERPAYMENT", "Overpayments", "OverpaymentID"),
        ("RECEIVE-PREPAYMENT", "Prepayments", "PrepaymentID"),
    ],
    ids=["overpayment", "prepayment"],
)
async def test_credit_from_a_bank_transaction_is_allocated_to_an_invoice(
    api: XeroApi, ledger: Ledger, type_: str, table: str, id_field: str
) -> None:
    extra = {"LineAmountTypes": "NoTax"} if table == "Prepayments" else {}
    transaction = await _put(
        api, "/BankTransactions", "BankTransactions", money_in(type_, "50.00", **extra)
    )
    credit_id = transaction[id_field]
    listed = (await api.get(f"/{table}", params={"IDs": credit_id})).json()[table]
    assert [c[id_field] for c in listed] == [credit_id]
    assert (listed[0]["RemainingCredit"], listed[0]["Status"]) == (50, "AUTHORISED")
    invoice = await _put(api, "/Invoices", "Invoices", sale())  # 115.00
    ledger.drain_events()
    allocated = await api.put(
        f"/{table}/{credit_id}/Allocations",
        {"Allocations": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 50,
                          "Date": "2026-03-02"}]},
    )  # fmt: skip
    assert allocated.status_code == 200, allocated.text
    after = (await api.get(f"/Invoices/{invoice['InvoiceID']}")).json()["Invoices"][0]
    assert (after["AmountDue"], after["AmountCredited"]) == (65, 50)
    assert after[table][0]["AppliedAmount"] == 50
    used = (await api.get(f"/{table}/{credit_id}")).json()[table][0]
    assert (used["RemainingCredit"], used["Status"]) == (0, "PAID")
    assert [(e.category, e.type) for e in ledger.drain_events()] == [("INVOICE", "UPDATE")]


async def test_a_spend_overpayment_cannot_pay_a_sales_invoice(api: XeroApi) -> None:
    transaction = await _put(
        api, "/BankTransactions", "BankTransactions",
        money_in("SPEND-OVERPAYMENT", "20.00", contact="Boom FM"),
    )  # fmt: skip
    invoice = await _put(api, "/Invoices", "Invoices", sale())
    refused = await api.put(
        f"/Overpayments/{transaction['OverpaymentID']}/Allocations",
        {"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 10},
    )
    assert refused.status_code == 400
    assert "can only be allocated to ACCPAY invoices" in refused.text


async def test_bank_transactions_need_a_bank_account(api: XeroApi) -> None:
    response = await api.put(
        "/BankTransactions", money_in("RECEIVE-OVERPAYMENT", "5.00", BankAccount={"Code": "200"})
    )
    assert response.status_code == 400
    assert "is not a bank account" in response.text


async def test_a_plain_spend_money_transaction(api: XeroApi) -> None:
    spent = await _put(
        api, "/BankTransactions", "BankTransactions",
        {"Type": "SPEND", "Contact": {"Name": "Net Connect"}, "BankAccount": {"Code": "090"},
         "LineItems": [line("50.00", account="489")]},
    )  # fmt: skip
    assert (spent["Total"], spent["TotalTax"], spent["Status"]) == (57.5, 7.5, "AUTHORISED")


async def test_batch_payment_pays_several_bills_and_can_be_deleted(
    api: XeroApi, ledger: Ledger
) -> None:
    first = await _put(api, "/Invoices", "Invoices", bill())
    second = await _put(api, "/Invoices", "Invoices", bill("Capital Cab Co"))
    batch = await _put(
        api, "/BatchPayments", "BatchPayments",
        {"Account": {"Code": "090"}, "Date": "2026-03-02", "Reference": "March run",
         "Payments": [{"Invoice": {"InvoiceID": first["InvoiceID"]}, "Amount": 115},
                      {"Invoice": {"InvoiceID": second["InvoiceID"]}, "Amount": 100}]},
    )  # fmt: skip
    assert (batch["Type"], batch["TotalAmount"], batch["Status"]) == ("PAYBATCH", 215, "AUTHORISED")
    statuses = [ledger.invoices[i["InvoiceID"]]["Status"] for i in (first, second)]
    assert statuses == ["PAID", "AUTHORISED"]
    deleted = await api.post(f"/BatchPayments/{batch['BatchPaymentID']}", {"Status": "DELETED"})
    assert deleted.json()["BatchPayments"][0]["Status"] == "DELETED"
    dues = [ledger.invoices[i["InvoiceID"]]["AmountDue"] for i in (first, second)]
    assert dues == [115, 115]


async def test_a_batch_cannot_mix_bills_and_sales_invoices(api: XeroApi, ledger: Ledger) -> None:
    payments_before = len(ledger.payments)
    payable = await _put(api, "/Invoices", "Invoices", bill())
    receivable = await _put(api, "/Invoices", "Invoices", sale())
    response = await api.put(
        "/BatchPayments",
        {"Account": {"Code": "090"},
         "Payments": [{"Invoice": {"InvoiceID": payable["InvoiceID"]}, "Amount": 1},
                      {"Invoice": {"InvoiceID": receivable["InvoiceID"]}, "Amount": 1}]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "only bills (ACCPAY) or only sales invoices (ACCREC)" in response.text
    assert len(ledger.payments) == payments_before


async def test_a_payment_made_in_a_batch_cannot_be_deleted_alone(
    api: XeroApi, ledger: Ledger
) -> None:
    invoice = await _put(api, "/Invoices", "Invoices", bill())
    await _put(
        api, "/BatchPayments", "BatchPayments",
        {"Account": {"Code": "090"},
         "Payments": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 15}]},
    )  # fmt: skip
    (payment_id,) = [p["PaymentID"] for p in ledger.invoices[invoice["InvoiceID"]]["Payments"]]
    refused = await api.post(f"/Payments/{payment_id}", {"Status": "DELETED"})
    assert refused.status_code == 400
    assert "Payments within a batch cannot be deleted." in refused.text


async def test_an_overpayment_can_be_refunded_and_the_refund_deleted(
    api: XeroApi, ledger: Ledger
) -> None:
    transaction = await _put(
        api, "/BankTransactions", "BankTransactions", money_in("RECEIVE-OVERPAYMENT", "40.00")
    )
    overpayment_id = transaction["OverpaymentID"]
    refund = await api.put(
        "/Payments",
        {"Overpayment": {"OverpaymentID": overpayment_id}, "Account": {"Code": "090"},
         "Amount": 40},
    )  # fmt: skip
    assert refund.status_code == 200, refund.text
    assert refund.json()["Payments"][0]["PaymentType"] == "AROVERPAYMENTPAYMENT"
    refunded = ledger.overpayments[overpayment_id]
    assert (refunded["Status"], refunded["RemainingCredit"]) == ("PAID", 0)
    payment_id = refund.json()["Payments"][0]["PaymentID"]
    await api.post(f"/Payments/{payment_id}", {"Status": "DELETED"})
    assert (refunded["Status"], refunded["RemainingCredit"]) == ("AUTHORISED", 40)
    too_much = await api.put(
        "/Payments",
        {"Overpayment": {"OverpaymentID": overpayment_id}, "Account": {"Code": "090"},
         "Amount": 41},
    )  # fmt: skip
    assert "Payment amount exceeds the amount outstanding on this document" in too_much.text
