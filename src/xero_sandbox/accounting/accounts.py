"""Account types, their classes, and which accounts a document line may use."""

from typing import Any

ACCOUNT_CLASS_BY_TYPE: dict[str, str] = {
    "BANK": "ASSET",
    "CURRENT": "ASSET",
    "FIXED": "ASSET",
    "INVENTORY": "ASSET",
    "NONCURRENT": "ASSET",
    "PREPAYMENT": "ASSET",
    "CURRLIAB": "LIABILITY",
    "LIABILITY": "LIABILITY",
    "TERMLIAB": "LIABILITY",
    "PAYG": "LIABILITY",
    "EQUITY": "EQUITY",
    "DEPRECIATN": "EXPENSE",
    "DIRECTCOSTS": "EXPENSE",
    "EXPENSE": "EXPENSE",
    "OVERHEADS": "EXPENSE",
    "OTHERINCOME": "REVENUE",
    "REVENUE": "REVENUE",
    "SALES": "REVENUE",
}

# Which `CanApplyTo...` flag of a tax rate governs each account class.
TAX_FLAG_BY_CLASS: dict[str, str] = {
    "ASSET": "CanApplyToAssets",
    "EQUITY": "CanApplyToEquity",
    "EXPENSE": "CanApplyToExpenses",
    "LIABILITY": "CanApplyToLiabilities",
    "REVENUE": "CanApplyToRevenue",
}

# System accounts Xero keeps for itself; only ROUNDING-like adjustments post to them.
LINE_FORBIDDEN_SYSTEM_ACCOUNTS = frozenset(
    {
        "DEBTORS",
        "CREDITORS",
        "GST",
        "GSTONIMPORTS",
        "HISTORICAL",
        "RETAINEDEARNINGS",
        "TRACKINGTRANSFERS",
        "UNPAIDEXPCLM",
        "BANKCURRENCYGAIN",
        "REALISEDCURRENCYGAIN",
        "UNREALISEDCURRENCYGAIN",
        "WAGEPAYABLES",
    }
)


def account_allowed_on_lines(account: dict[str, Any]) -> bool:
    """Whether an invoice, bill, credit note or PO line may post to this account.

    Xero refuses bank accounts and its own control accounts (receivables, payables, GST and
    the like) on document lines: "Account code '...' is not a valid code for this document."
    """
    if account["Type"] == "BANK":
        return False
    return account.get("SystemAccount") not in LINE_FORBIDDEN_SYSTEM_ACCOUNTS
