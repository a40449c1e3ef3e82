"""`POST /_sandbox/tenants/{tenant}/{overpayments|prepayments}/{id}/void`: what a person
does in Xero's web app, seen through the Accounting API as Xero shows it."""

from typing import Any

import httpx
import pytest

from tests.sandbox.accounting.spec import validate_against_spec
from xero_sandbox import DEMO_TENANT_ID, SandboxClock
from xero_sandbox.cli import build_parser

from ..conftest import OAuthApp, Tokens

KINDS = [
    ("RECEIVE-OVERPAYMENT", "Overpayments", "OverpaymentID"),
    ("SPEND-PREPAYMENT", "Prepayments", "PrepaymentID"),
]


def void_path(table: str, credit_id: str, tenant: str = DEMO_TENANT_ID) -> str:
    return f"/_sandbox/tenants/{tenant}/{table.lower()}/{credit_id}/void"


def read(oauth: OAuthApp, tokens: Tokens, path: str, **kwargs: Any) -> dict[str, Any]:
    response = oauth.api(tokens, path, **kwargs)
    assert response.status_code == 200, response.text
    validate_against_spec(response)
    body: dict[str, Any] = response.json()
    return body


def make_credit(oauth: OAuthApp, tokens: Tokens, type_: str, amount: str = "50.00") -> str:
    """A bank transaction that leaves an overpayment or prepayment: its id."""
    contact = "Boom FM" if type_.startswith("RECEIVE") else "ABC Furniture"
    body = {"Type": type_, "Contact": {"Name": contact}, "BankAccount": {"Code": "090"},
            "Date": "2026-03-02", "LineAmountTypes": "NoTax",
            "LineItems": [{"Description": "Paid ahead", "LineAmount": amount}]}  # fmt: skip
    made = oauth.api(tokens, "/BankTransactions", method="PUT", json={"BankTransactions": [body]})
    assert made.status_code == 200, made.text
    field = "PrepaymentID" if type_.endswith("PREPAYMENT") else "OverpaymentID"
    credit_id: str = made.json()["BankTransactions"][0][field]
    return credit_id


def make_invoice(oauth: OAuthApp, tokens: Tokens, type_: str) -> str:
    contact = "Boom FM" if type_ == "ACCREC" else "ABC Furniture"
    account = "200" if type_ == "ACCREC" else "400"
    body = {"Type": type_, "Contact": {"Name": contact}, "Date": "2026-03-02",
            "DueDate": "2026-03-30", "Status": "AUTHORISED", "LineAmountTypes": "NoTax",
            "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 100,
                           "AccountCode": account}]}  # fmt: skip
    made = oauth.api(tokens, "/Invoices", method="PUT", json={"Invoices": [body]})
    assert made.status_code == 200, made.text
    invoice_id: str = made.json()["Invoices"][0]["InvoiceID"]
    return invoice_id


@pytest.mark.parametrize(("type_", "table", "id_field"), KINDS, ids=["overpayment", "prepayment"])
def test_a_voided_credit_reads_voided_by_id_in_lists_since_a_time_and_in_filters(
    oauth: OAuthApp,
    tokens: Tokens,
    http: httpx.Client,
    clock: SandboxClock,
    type_: str,
    table: str,
    id_field: str,
) -> None:
    credit_id = make_credit(oauth, tokens, type_)
    kept_id = make_credit(oauth, tokens, type_, "20.00")
    made = read(oauth, tokens, f"/{table}/{credit_id}")[table][0]
    clock.advance(120)  # (well within the access token's 30 minutes)
    since = {"If-Modified-Since": clock.now().replace(tzinfo=None).isoformat()}
    assert read(oauth, tokens, f"/{table}", headers=since)[table] == []
    clock.advance(60)

    voided = http.post(void_path(table, credit_id.upper()))

    assert voided.status_code == 200, voided.text
    (answered,) = voided.json()[table]
    assert (answered[id_field], answered["Status"], answered["RemainingCredit"]) == (
        credit_id, "VOIDED", 0,
    )  # fmt: skip
    (found,) = read(oauth, tokens, f"/{table}/{credit_id}")[table]
    assert (found["Status"], found["RemainingCredit"], found["Total"]) == ("VOIDED", 0, 50)
    assert found["UpdatedDateUTC"] != made["UpdatedDateUTC"]
    assert found["UpdatedDateUTC"] == answered["UpdatedDateUTC"]
    changed = read(oauth, tokens, f"/{table}", headers=since)[table]
    assert [c[id_field] for c in changed] == [credit_id]  # a later listing sees it again
    where = read(oauth, tokens, f"/{table}", params={"where": 'Status=="VOIDED"'})[table]
    assert [c[id_field] for c in where] == [credit_id]
    standing = read(oauth, tokens, f"/{table}", params={"where": 'Status=="AUTHORISED"'})
    assert credit_id not in {c[id_field] for c in standing[table]}
    assert kept_id in {c[id_field] for c in standing[table]}
    by_id = read(oauth, tokens, f"/{table}", params={"where": f'{id_field}==Guid("{credit_id}")'})
    assert [c["Status"] for c in by_id[table]] == ["VOIDED"]
    (other,) = read(oauth, tokens, f"/{table}/{kept_id}")[table]
    assert (other["Status"], other["RemainingCredit"]) == ("AUTHORISED", 20)
    transactions = read(oauth, tokens, "/BankTransactions", params={"where": f'Type=="{type_}"'})[
        "BankTransactions"
    ]
    statuses = {t[id_field]: t["Status"] for t in transactions}
    assert (statuses[credit_id], statuses[kept_id]) == ("VOIDED", "AUTHORISED")
    # A voided credit cannot be allocated.
    invoice_id = make_invoice(oauth, tokens, "ACCREC" if type_.startswith("RECEIVE") else "ACCPAY")
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": 10, "Date": "2026-03-03"}
    refused = oauth.api(tokens, f"/{table}/{credit_id}/Allocations", method="PUT",
                        json={"Allocations": [allocation]})  # fmt: skip
    assert refused.status_code == 400
    assert "this one is VOIDED" in refused.text


@pytest.mark.parametrize(("type_", "table", "id_field"), KINDS, ids=["overpayment", "prepayment"])
def test_an_allocated_credit_is_voided_only_once_its_allocations_are_removed(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client, type_: str, table: str, id_field: str
) -> None:
    credit_id = make_credit(oauth, tokens, type_)
    invoice_id = make_invoice(oauth, tokens, "ACCREC" if type_.startswith("RECEIVE") else "ACCPAY")
    allocation = {"Invoice": {"InvoiceID": invoice_id}, "Amount": 50, "Date": "2026-03-03"}
    placed = oauth.api(tokens, f"/{table}/{credit_id}/Allocations", method="PUT",
                       json={"Allocations": [allocation]})  # fmt: skip
    assert placed.status_code == 200, placed.text
    before = read(oauth, tokens, f"/{table}/{credit_id}")[table][0]
    assert before["Status"] == "PAID"

    refused = http.post(void_path(table, credit_id))

    assert refused.status_code == 400
    assert refused.json()["field"] == id_field
    assert "1 allocation(s) to invoices: remove them first" in refused.json()["error"]
    assert read(oauth, tokens, f"/{table}/{credit_id}")[table][0] == before  # nothing changed
    allocation_id = placed.json()["Allocations"][0]["AllocationID"]
    removed = oauth.api(
        tokens, f"/{table}/{credit_id}/Allocations/{allocation_id}", method="DELETE"
    )
    assert removed.status_code == 200, removed.text

    assert http.post(void_path(table, credit_id)).status_code == 200

    (after,) = read(oauth, tokens, f"/{table}/{credit_id}")[table]
    assert (after["Status"], after["RemainingCredit"], after["Allocations"]) == ("VOIDED", 0, [])
    invoice = read(oauth, tokens, f"/Invoices/{invoice_id}")["Invoices"][0]
    assert (invoice["AmountDue"], invoice["Status"]) == (100, "AUTHORISED")
    again = http.post(void_path(table, credit_id))
    assert again.status_code == 400
    assert again.json()["error"].endswith("is voided already")


def test_a_refunded_overpayment_is_voided_only_once_the_refund_is_deleted(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    credit_id = make_credit(oauth, tokens, "RECEIVE-OVERPAYMENT", "40.00")
    refund = oauth.api(tokens, "/Payments", method="PUT", json={
        "Overpayment": {"OverpaymentID": credit_id}, "Account": {"Code": "090"}, "Amount": 15,
    })  # fmt: skip
    assert refund.status_code == 200, refund.text

    refused = http.post(void_path("Overpayments", credit_id))

    assert refused.status_code == 400
    assert "has been refunded: delete the refund payment first" in refused.json()["error"]
    payment_id = refund.json()["Payments"][0]["PaymentID"]
    oauth.api(tokens, f"/Payments/{payment_id}", method="POST", json={"Status": "DELETED"})
    assert http.post(void_path("Overpayments", credit_id)).status_code == 200


def test_voiding_refuses_unknown_ids_and_organisations_and_locked_periods(
    oauth: OAuthApp, tokens: Tokens, http: httpx.Client
) -> None:
    credit_id = make_credit(oauth, tokens, "SPEND-OVERPAYMENT")
    unknown = http.post(void_path("Overpayments", "00000000-0000-0000-0000-000000000001"))
    assert unknown.status_code == 404
    assert unknown.json()["field"] == "OverpaymentID"
    assert "no overpayment '00000000-0000-0000-0000-000000000001'" in unknown.json()["error"]
    # An overpayment's id is no prepayment's.
    assert http.post(void_path("Prepayments", credit_id)).status_code == 404
    elsewhere = http.post(void_path("Overpayments", credit_id, tenant="no-such-organisation"))
    assert (elsewhere.status_code, elsewhere.json()["field"]) == (404, "tenant")
    lock = f"/_sandbox/tenants/{DEMO_TENANT_ID}/lock-dates"
    http.post(lock, json={"period_lock_date": "2026-03-02"}).raise_for_status()

    locked = http.post(void_path("Overpayments", credit_id))

    assert (locked.status_code, locked.json()["field"]) == (400, "Date")
    assert "period lock date" in locked.json()["error"]
    (still,) = read(oauth, tokens, f"/Overpayments/{credit_id}")["Overpayments"]
    assert (still["Status"], still["RemainingCredit"]) == ("AUTHORISED", 50)
    http.post(lock, json={}).raise_for_status()
    assert http.post(void_path("Overpayments", credit_id)).status_code == 200


def test_the_help_lists_the_void_routes() -> None:
    help_text = build_parser().format_help()
    assert "/_sandbox/tenants/{id}/overpayments/{OverpaymentID}/void" in help_text
    assert "/_sandbox/tenants/{id}/prepayments/{PrepaymentID}/void" in help_text
