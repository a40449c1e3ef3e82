"""`/Accounts`: the chart of accounts (GET with where/order, PUT to create, POST to update)."""

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.accounts import ACCOUNT_CLASS_BY_TYPE
from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.fields import Problems, boolean, choice, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.listing import filter_common
from xero_sandbox.accounting.wire import (
    bad_request,
    envelope,
    not_found,
    to_wire,
    validation_exception,
)

ACCOUNT_TYPES = tuple(ACCOUNT_CLASS_BY_TYPE)
BANK_ACCOUNT_TYPES = ("BANK", "CREDITCARD", "PAYPAL")
EDITABLE_STATUSES = ("ACTIVE", "ARCHIVED")


def _check_unique(
    ledger: Ledger, problems: Problems, code: str | None, name: str | None, except_id: str | None
) -> None:
    for account in ledger.accounts.values():
        if account["AccountID"] == except_id or account["Status"] == "DELETED":
            continue
        if code is not None and account["Code"].lower() == code.lower():
            problems.add("Please enter a unique Code.")
        if name is not None and account["Name"].lower() == name.lower():
            problems.add("Please enter a unique Name.")


def _check_tax_type(ledger: Ledger, problems: Problems, tax_type: str | None) -> None:
    if tax_type is not None and tax_type not in ledger.tax_rates:
        problems.add(
            f"The TaxType code {tax_type} does not exist or cannot be used for this type of "
            "transaction."
        )


def plan_create(ledger: Ledger, now: datetime, element: dict[str, Any]) -> Plan:
    """Validate a new account; the plan adds it."""
    problems = Problems()
    code = text(element, "Code", problems, max_length=10)
    name = text(element, "Name", problems, max_length=150)
    type_ = choice(element, "Type", ACCOUNT_TYPES, problems)
    if not code:
        problems.add("Code is required: give the account a code of up to 10 characters")
    if not name:
        problems.add("Name is required: give the account a name of up to 150 characters")
    if element.get("Type") is None:
        problems.add(f"Type is required: use one of {', '.join(ACCOUNT_TYPES)}")
    _check_unique(ledger, problems, code, name, None)
    tax_type = text(element, "TaxType", problems)
    _check_tax_type(ledger, problems, tax_type)
    bank_number = text(element, "BankAccountNumber", problems)
    bank_type = choice(element, "BankAccountType", BANK_ACCOUNT_TYPES, problems)
    if type_ == "BANK" and not bank_number:
        problems.add("Please enter a valid Bank Account Number.")
    currency = text(element, "CurrencyCode", problems) or ledger.base_currency
    if type_ == "BANK" and currency not in {c["Code"] for c in ledger.currencies}:
        problems.add(f"Organisation is not subscribed to currency {currency}")
    enable_payments = boolean(element, "EnablePaymentsToAccount", problems)
    show_in_claims = boolean(element, "ShowInExpenseClaims", problems)
    problems.check()
    assert code is not None and name is not None and type_ is not None

    def create() -> Record:
        record: Record = {
            "AccountID": new_id(),
            "Code": code,
            "Name": name,
            "Status": "ACTIVE",
            "Type": type_,
            "TaxType": tax_type or "NONE",
            "Description": text(element, "Description", Problems()) or "",
            "Class": ACCOUNT_CLASS_BY_TYPE[type_],
            "EnablePaymentsToAccount": bool(enable_payments) or type_ == "BANK",
            "ShowInExpenseClaims": bool(show_in_claims),
            "ReportingCode": "",
            "ReportingCodeName": "",
            "HasAttachments": False,
            "UpdatedDateUTC": now,
            "AddToWatchlist": False,
        }
        if type_ == "BANK":
            record.update(
                BankAccountNumber=bank_number,
                BankAccountType=bank_type or "BANK",
                CurrencyCode=currency,
            )
        return ledger.add("Accounts", record)

    return create


def plan_update(ledger: Ledger, now: datetime, account: Record, element: dict[str, Any]) -> Plan:
    """Validate changes to an account; the plan applies them."""
    problems = Problems()
    code = text(element, "Code", problems, max_length=10)
    name = text(element, "Name", problems, max_length=150)
    _check_unique(ledger, problems, code, name, account["AccountID"])
    tax_type = text(element, "TaxType", problems)
    _check_tax_type(ledger, problems, tax_type)
    status = choice(element, "Status", EDITABLE_STATUSES, problems)
    if status == "ARCHIVED" and account.get("SystemAccount"):
        problems.add(
            f"Account code '{account['Code']}' is a system account and cannot be archived."
        )
    description = text(element, "Description", problems)
    enable_payments = boolean(element, "EnablePaymentsToAccount", problems)
    problems.check()

    def update() -> Record:
        changes = {
            "Code": code,
            "Name": name,
            "TaxType": tax_type,
            "Status": status,
            "Description": description,
            "EnablePaymentsToAccount": enable_payments,
        }
        account.update({key: value for key, value in changes.items() if value is not None})
        account["UpdatedDateUTC"] = now
        return account

    return update


async def list_accounts(request: Request) -> Response:
    ledger = ledger_of(request)
    try:
        records = filter_common(request, ledger.accounts.values(), "AccountID")
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("Accounts", records, now_of(request))


async def get_account(request: Request) -> Response:
    ledger = ledger_of(request)
    account = ledger.accounts.get(request.path_params["AccountID"].lower())
    if account is None:
        return not_found()
    return envelope("Accounts", [account], now_of(request))


async def create_account(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    return await run_batch(request, "Accounts", lambda e: plan_create(ledger, now, e), now)


async def update_account(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    account = ledger.accounts.get(request.path_params["AccountID"].lower())
    if account is None:
        await request.body()
        return not_found()
    return await run_batch(request, "Accounts", lambda e: plan_update(ledger, now, account, e), now)


def _in_use(ledger: Ledger, account: Record) -> bool:
    code, account_id = account["Code"], account["AccountID"]
    for table in ("Invoices", "CreditNotes", "PurchaseOrders", "BankTransactions"):
        for document in ledger.tables[table].values():
            if any(line.get("AccountCode") == code for line in document.get("LineItems", ())):
                return True
    for payment in ledger.payments.values():
        if payment["Account"]["AccountID"] == account_id:
            return True
    return False


async def delete_account(request: Request) -> Response:
    ledger, now = ledger_of(request), now_of(request)
    account = ledger.accounts.get(request.path_params["AccountID"].lower())
    if account is None:
        return not_found()
    if account.get("SystemAccount"):
        message = f"Account code '{account['Code']}' is a system account and cannot be deleted."
    elif _in_use(ledger, account):
        message = (
            f"Account code '{account['Code']}' has transactions and cannot be deleted; "
            "archive it instead"
        )
    else:
        del ledger.accounts[account["AccountID"]]
        return envelope("Accounts", [{**account, "Status": "DELETED", "UpdatedDateUTC": now}], now)
    return validation_exception([{**to_wire(account), "ValidationErrors": [{"Message": message}]}])


def routes() -> list[Route]:
    return [
        Route("/Accounts", list_accounts, methods=["GET"]),
        Route("/Accounts", create_account, methods=["PUT"]),
        Route("/Accounts/{AccountID}", get_account, methods=["GET"]),
        Route("/Accounts/{AccountID}", update_account, methods=["POST"]),
        Route("/Accounts/{AccountID}", delete_account, methods=["DELETE"]),
    ]
