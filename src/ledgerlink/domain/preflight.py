"""Checks before a document is sent: does it still fit the company's Xero data?

Accounts get archived, tax rates restricted, contacts archived and periods
locked in Xero after a document was written here. ``check_before_sending``
finds every such problem at once from the imported reference data, in Xero's
own wording (so the sync log reads the same whether we or Xero caught it),
each with the field at fault and how to fix it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ledgerlink.domain.catalogue import Account, TaxRate
from ledgerlink.domain.document import Document
from ledgerlink.domain.errors import InvalidDocument
from ledgerlink.domain.parties import Party

# Xero refuses bank accounts on document lines.
LINE_FORBIDDEN_ACCOUNT_TYPES = frozenset({"BANK"})


class ReferenceProblem(InvalidDocument):
    """A document does not fit the company's Xero data; ``fix`` says what to do."""

    def __init__(self, field: str, message: str, fix: str) -> None:
        super().__init__(field, message)
        self.fix = fix


@dataclass(frozen=True, kw_only=True)
class ReferenceData:
    """What was imported from one Xero organisation.

    ``currencies`` None means "not imported": the currency is then not checked.
    """

    accounts: Mapping[str, Account] = field(default_factory=dict)
    tax_rates: Mapping[str, TaxRate] = field(default_factory=dict)
    currencies: frozenset[str] | None = None
    period_lock_date: dt.date | None = None
    end_of_year_lock_date: dt.date | None = None

    def checks(self, problem: ReferenceProblem) -> bool:
        """False for an account or tax rate problem while none of them is imported."""
        if problem.field.endswith("account_code"):
            return bool(self.accounts)
        return not problem.field.endswith("tax_type") or bool(self.tax_rates)


def check_before_sending(
    document: Document, reference: ReferenceData, *, party: Party | None = None
) -> tuple[ReferenceProblem, ...]:
    """Every way ``document`` (and its ``party``) would be refused by Xero for stale data.

    Returns:
        The problems found, in document order; empty when the document can go.
    """
    problems: list[ReferenceProblem] = []
    problems.extend(_check_party(document, party))
    problems.extend(_check_currency(document, reference))
    problems.extend(_check_lock_dates(document, reference))
    line_count = len(document.lines)
    for index, line in enumerate(document.all_lines()):
        shipping = index >= line_count
        account_field = "shipping_account_code" if shipping else f"lines[{index}].account_code"
        tax_field = "shipping_tax_type" if shipping else f"lines[{index}].tax_type"
        account = None
        if line.account_code is not None:
            account, problem = _check_account(line.account_code, account_field, reference)
            if problem is not None:
                problems.append(problem)
        if line.tax_type is not None:
            problem = _check_tax(line.tax_type, account, tax_field, reference)
            if problem is not None:
                problems.append(problem)
    return tuple(problems)


def check_imported(
    document: Document, reference: ReferenceData, *, party: Party | None = None
) -> tuple[ReferenceProblem, ...]:
    """``check_before_sending``, leaving accounts and tax rates unchecked while none of
    them is imported (an empty ``reference.accounts`` or ``reference.tax_rates``)."""
    return tuple(
        problem
        for problem in check_before_sending(document, reference, party=party)
        if reference.checks(problem)
    )


def _party_field(document: Document) -> str:
    for name in ("supplier_id", "customer_id", "party_id"):
        if hasattr(document, name):
            return name
    return "party_id"


def _check_party(document: Document, party: Party | None) -> list[ReferenceProblem]:
    if party is None or party.active:
        return []
    return [
        ReferenceProblem(
            _party_field(document),
            "The contact with the specified contact details has been archived. The contact "
            "must be un-archived before creating new invoices or credit notes.",
            f"restore {party.name} in Xero, or choose another {party.LABEL}",
        )
    ]


def _check_currency(document: Document, reference: ReferenceData) -> list[ReferenceProblem]:
    if reference.currencies is None or document.currency in reference.currencies:
        return []
    enabled = ", ".join(sorted(reference.currencies)) or "none"
    return [
        ReferenceProblem(
            "currency",
            f"Organisation is not subscribed to currency {document.currency}",
            f"add {document.currency} in Xero's currency settings, or use one of: {enabled}",
        )
    ]


def _check_lock_dates(document: Document, reference: ReferenceData) -> list[ReferenceProblem]:
    date = getattr(document, "date", None)
    if not isinstance(date, dt.date):
        return []
    year_end, period = reference.end_of_year_lock_date, reference.period_lock_date
    if year_end is not None and date <= year_end:
        message = "The document date cannot be before the end of the financial year lock date"
        locked = year_end
    elif period is not None and date <= period:
        message = "The document date cannot be before the period lock date"
        locked = period
    else:
        return []
    return [
        ReferenceProblem(
            "date",
            message,
            f"date the document after {locked.isoformat()}, or move the lock date in Xero",
        )
    ]


def _check_account(
    code: str, field_name: str, reference: ReferenceData
) -> tuple[Account | None, ReferenceProblem | None]:
    account = reference.accounts.get(code)
    if account is None:
        return None, ReferenceProblem(
            field_name,
            f"Account code '{code}' is not a valid code for this document.",
            "choose an account imported from Xero, or import the chart of accounts again",
        )
    if not account.active:
        return account, ReferenceProblem(
            field_name,
            f"Account code '{code}' has been archived, or has been deleted. Each line item "
            "must reference a valid account.",
            f"choose an active account, or restore {code} {account.name} in Xero",
        )
    if account.type in LINE_FORBIDDEN_ACCOUNT_TYPES:
        return account, ReferenceProblem(
            field_name,
            f"Account code '{code}' is not a valid code for this document.",
            f"{code} is a {account.type.lower()} account; choose an expense or revenue account",
        )
    return account, None


def _check_tax(
    tax_type: str, account: Account | None, field_name: str, reference: ReferenceData
) -> ReferenceProblem | None:
    rate = reference.tax_rates.get(tax_type)
    if rate is None or rate.status != "ACTIVE":
        return ReferenceProblem(
            field_name,
            f"The TaxType code {tax_type} does not exist or cannot be used for this type of "
            "transaction.",
            "choose a tax rate imported from Xero, or import the tax rates again",
        )
    if account is not None and not rate.can_apply_to(account.account_class):
        return ReferenceProblem(
            field_name,
            f"The TaxType code '{tax_type}' cannot be used with account code '{account.code}'.",
            f"choose a tax rate for {account.account_class.lower()} accounts, or another account",
        )
    return None
