"""The chart of accounts: listing, filtering, creating, archiving."""

import pytest

from xero_sandbox.accounting import Ledger

from .builders import bill, line
from .conftest import XeroApi

SPEC_ACCOUNT_TYPES = {
    "BANK", "CURRENT", "CURRLIAB", "DEPRECIATN", "DIRECTCOSTS", "EQUITY", "EXPENSE", "FIXED",
    "INVENTORY", "LIABILITY", "NONCURRENT", "OTHERINCOME", "OVERHEADS", "PREPAYMENT", "REVENUE",
    "SALES", "TERMLIAB", "PAYG",
}  # fmt: skip


async def test_demo_chart_has_every_account_type_archived_ones_and_a_rounding_account(
    api: XeroApi,
) -> None:
    accounts = (await api.get("/Accounts")).json()["Accounts"]
    assert {a["Type"] for a in accounts} == SPEC_ACCOUNT_TYPES
    assert {a["Code"] for a in accounts if a["Status"] == "ARCHIVED"} == {"265", "455"}
    assert [a["Code"] for a in accounts if a.get("SystemAccount") == "ROUNDING"] == ["860"]
    banks = [a for a in accounts if a["Type"] == "BANK"]
    assert len(banks) >= 3 and all(a["BankAccountNumber"] for a in banks)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ('Type=="BANK"', ["090", "091", "092", "093"]),
        ('Status=="ARCHIVED"', ["265", "455"]),
        ('Type=="REVENUE" AND Status=="ACTIVE"', ["260"]),
        ('Code=="090" OR Code=="200"', ["090", "200"]),
        ('Name.StartsWith("Travel")', ["493", "494"]),
        ('Name.Contains("Currency")', ["498", "499"]),
        ('Name.ToLower()=="rent"', ["469"]),
        ('Class=="EQUITY" && Code!="960"', ["970", "980"]),
        ('(Type=="SALES" OR Type=="OTHERINCOME") AND NOT Code=="270"', ["200"]),
    ],
    ids=["equals", "archived", "and", "or", "starts-with", "contains", "to-lower", "symbols",
         "parentheses-not"],
)  # fmt: skip
async def test_where_filters_accounts(api: XeroApi, where: str, expected: list[str]) -> None:
    response = await api.get("/Accounts", params={"where": where})
    assert sorted(a["Code"] for a in response.json()["Accounts"]) == expected


async def test_where_by_guid_and_order_descending(api: XeroApi, ledger: Ledger) -> None:
    rent = ledger.account_by_code("469")
    assert rent is not None
    response = await api.get(
        "/Accounts", params={"where": f'AccountID==Guid("{rent["AccountID"].upper()}")'}
    )
    assert [a["Code"] for a in response.json()["Accounts"]] == ["469"]
    ordered = await api.get("/Accounts", params={"where": 'Type=="BANK"', "order": "Code DESC"})
    assert [a["Code"] for a in ordered.json()["Accounts"]] == ["093", "092", "091", "090"]


async def test_a_malformed_where_is_a_400_naming_the_problem(api: XeroApi) -> None:
    response = await api.get("/Accounts", params={"where": 'Type=="BANK" AND'})
    assert response.status_code == 400
    assert "where" in response.json()["Message"]


async def test_get_one_account_and_404_for_an_unknown_id(api: XeroApi, ledger: Ledger) -> None:
    sales = ledger.account_by_code("200")
    assert sales is not None
    found = await api.get(f"/Accounts/{sales['AccountID']}")
    assert found.json()["Accounts"][0]["Name"] == "Sales"
    missing = await api.get("/Accounts/00000000-0000-0000-0000-000000000001")
    assert missing.status_code == 404
    assert missing.text == "The resource you're looking for cannot be found"


async def test_create_an_account_then_archive_it(api: XeroApi) -> None:
    created = await api.put(
        "/Accounts", {"Code": "466", "Name": "Software", "Type": "OVERHEADS", "TaxType": "INPUT2"}
    )
    assert created.status_code == 200
    account = created.json()["Accounts"][0]
    assert (account["Class"], account["Status"]) == ("EXPENSE", "ACTIVE")
    archived = await api.post(f"/Accounts/{account['AccountID']}", {"Status": "ARCHIVED"})
    assert archived.json()["Accounts"][0]["Status"] == "ARCHIVED"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"Code": "200", "Name": "Sales Two", "Type": "SALES"}, "Please enter a unique Code."),
        ({"Code": "201", "Name": "sales", "Type": "SALES"}, "Please enter a unique Name."),
        ({"Code": "095", "Name": "New Bank", "Type": "BANK"},
         "Please enter a valid Bank Account Number."),
        ({"Code": "202", "Name": "Bad", "Type": "SALES", "TaxType": "NOPE"},
         "The TaxType code NOPE does not exist or cannot be used for this type of transaction."),
    ],
    ids=["duplicate-code", "duplicate-name", "bank-without-number", "unknown-tax-type"],
)  # fmt: skip
async def test_invalid_accounts_are_refused_with_xero_messages(
    api: XeroApi, body: dict[str, str], message: str
) -> None:
    response = await api.put("/Accounts", body)
    assert response.status_code == 400
    error = response.json()
    assert error["Type"] == "ValidationException"
    assert message in [m["Message"] for m in error["Elements"][0]["ValidationErrors"]]


async def test_system_accounts_cannot_be_archived(api: XeroApi, ledger: Ledger) -> None:
    debtors = ledger.account_by_code("610")
    assert debtors is not None
    response = await api.post(f"/Accounts/{debtors['AccountID']}", {"Status": "ARCHIVED"})
    assert response.status_code == 400
    assert debtors["Status"] == "ACTIVE"


async def test_delete_an_unused_account_but_not_a_used_or_system_one(
    api: XeroApi, ledger: Ledger
) -> None:
    created = await api.put("/Accounts", {"Code": "467", "Name": "Spare", "Type": "OVERHEADS"})
    spare = created.json()["Accounts"][0]
    deleted = await api.call("DELETE", f"/Accounts/{spare['AccountID']}")
    assert deleted.json()["Accounts"][0]["Status"] == "DELETED"
    assert ledger.account_by_code("467") is None
    rent = ledger.account_by_code("469")
    assert rent is not None
    await api.put("/Invoices", bill("ABC Furniture", line(account="469")))
    used = await api.call("DELETE", f"/Accounts/{rent['AccountID']}")
    assert used.status_code == 400 and "has transactions" in used.text
    rounding = ledger.account_by_code("860")
    assert rounding is not None
    system = await api.call("DELETE", f"/Accounts/{rounding['AccountID']}")
    assert system.status_code == 400 and "system account" in system.text
