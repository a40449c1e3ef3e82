"""`/BankTransactions`: money received or spent through a bank account; the OVERPAYMENT and
PREPAYMENT types also create the credit (`/Overpayments`, `/Prepayments`) they stand for."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from xero_sandbox.accounting.batch import Plan, run_batch
from xero_sandbox.accounting.contacts import choose_contact, contact_reference
from xero_sandbox.accounting.context import BadRequest, ledger_of, now_of
from xero_sandbox.accounting.document_routes import unit_dp
from xero_sandbox.accounting.documents import (
    ZERO,
    check_lock_date,
    currency,
    line_amount_types,
)
from xero_sandbox.accounting.fields import Invalid, Problems, a_date, choice, text
from xero_sandbox.accounting.ids import new_id
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.lines import LineRules, build_lines, totals_of
from xero_sandbox.accounting.listing import filtered_page
from xero_sandbox.accounting.payments import payment_account
from xero_sandbox.accounting.totals import NO_TAX
from xero_sandbox.accounting.wire import bad_request, envelope, not_found

TYPES = (
    "RECEIVE",
    "SPEND",
    "RECEIVE-OVERPAYMENT",
    "SPEND-OVERPAYMENT",
    "RECEIVE-PREPAYMENT",
    "SPEND-PREPAYMENT",
)
# Which credit table and id field each credit-making type fills.
CREDIT_TABLES = {
    "OVERPAYMENT": ("Overpayments", "OverpaymentID"),
    "PREPAYMENT": ("Prepayments", "PrepaymentID"),
}


def plan_bank_transaction(
    ledger: Ledger, now: datetime, element: dict[str, Any], unit_dp: int
) -> Plan:
    problems = Problems()
    if element.get("BankTransactionID"):
        raise Invalid(["Bank transactions cannot be changed through the sandbox once created"])
    type_ = choice(element, "Type", TYPES, problems)
    if element.get("Type") is None:
        problems.add(f"Type is required: use one of {', '.join(TYPES)}")
    credit = type_.split("-", 1)[1] if type_ and "-" in type_ else None
    contact = choose_contact(ledger, element.get("Contact"), problems)
    raw_bank = element.get("BankAccount")
    bank = payment_account(ledger, raw_bank, problems) if raw_bank is not None else None
    if raw_bank is None:
        problems.add('BankAccount is required: give {"BankAccount": {"Code": "090"}}')
    elif bank is not None and bank["Type"] != "BANK":
        problems.add(f"Account code '{bank['Code']}' is not a bank account")
    when = a_date(element, "Date", problems) or now.date()
    check_lock_date(ledger, when, problems)
    amounts_type = line_amount_types(element, problems, None)
    if credit == "OVERPAYMENT":
        amounts_type = NO_TAX  # Xero takes no tax on an overpayment.
    currency_code, currency_rate = currency(ledger, element, problems, None)
    reference = text(element, "Reference", problems, max_length=255) or ""
    kind = "SPEND" if type_ and type_.startswith("SPEND") else "RECEIVE"
    rules = LineRules(kind, amounts_type, unit_dp, account_required=credit is None)
    lines = build_lines(ledger, element.get("LineItems"), rules, problems)
    if not lines:
        problems.add("LineItems is required: a bank transaction needs at least one line")
    totals, _ = totals_of(lines, amounts_type)
    if totals.total <= 0 and lines:
        problems.add("Total must be greater than zero")
    problems.check()
    assert type_ is not None and contact is not None and bank is not None

    def save() -> Record:
        chosen = contact.resolve(ledger, now)
        common: Record = {
            "Contact": contact_reference(chosen),
            "Date": when,
            "LineAmountTypes": amounts_type,
            "LineItems": lines,
            "SubTotal": totals.sub_total,
            "TotalTax": totals.total_tax,
            "Total": totals.total,
            "CurrencyCode": currency_code,
            "CurrencyRate": currency_rate,
            "UpdatedDateUTC": now,
            "HasAttachments": False,
        }
        transaction: Record = {
            "BankTransactionID": new_id(),
            "Type": type_,
            "BankAccount": {"AccountID": bank["AccountID"], "Code": bank["Code"],
                            "Name": bank["Name"]},
            "IsReconciled": False,
            "Reference": reference,
            "Status": "AUTHORISED",
            **common,
        }  # fmt: skip
        if credit is not None:
            table, id_field = CREDIT_TABLES[credit]
            credit_record: Record = {
                id_field: new_id(),
                "Type": type_,
                "Status": "AUTHORISED",
                "RemainingCredit": totals.total,
                "AppliedAmount": ZERO,
                "Allocations": [],
                "Payments": [],
                "Reference": reference,
                **common,
            }
            ledger.add(table, credit_record)
            transaction[id_field] = credit_record[id_field]
        return ledger.add("BankTransactions", transaction)

    return save


def _planner(request: Request) -> Callable[[dict[str, Any]], Plan]:
    ledger, now, dp = ledger_of(request), now_of(request), unit_dp(request)
    return lambda element: plan_bank_transaction(ledger, now, element, dp)


async def list_bank_transactions(request: Request) -> Response:
    try:
        records, extra = filtered_page(
            request, ledger_of(request).bank_transactions.values(), "BankTransactionID"
        )
    except BadRequest as error:
        return bad_request(str(error))
    return envelope("BankTransactions", records, now_of(request), extra)


async def get_bank_transaction(request: Request) -> Response:
    found = ledger_of(request).bank_transactions.get(
        request.path_params["BankTransactionID"].lower()
    )
    return not_found() if found is None else envelope("BankTransactions", [found], now_of(request))


async def create_bank_transactions(request: Request) -> Response:
    return await run_batch(request, "BankTransactions", _planner(request), now_of(request))


def routes() -> list[Route]:
    return [
        Route("/BankTransactions", list_bank_transactions, methods=["GET"]),
        Route("/BankTransactions", create_bank_transactions, methods=["PUT", "POST"]),
        Route("/BankTransactions/{BankTransactionID}", get_bank_transaction, methods=["GET"]),
    ]
