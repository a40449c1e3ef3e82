"""Plain-language fixes for the errors Xero answers with (the troubleshooting table).

``fix_for(message)`` finds the first known pattern in Xero's message and says what a
person does about it; unknown messages get a general fix that says where to look.
"""

from __future__ import annotations

import re

UNKNOWN_FIX = (
    "Xero refused the document for the reason above: correct it here (or in Xero) and "
    "retry; if the message is unclear, open the document in Xero to see what it expects"
)

# (pattern in Xero's message, case-insensitive) → what to do
KNOWN_FIXES: tuple[tuple[str, str], ...] = (
    (
        r"Account code '?([^' ]*)'? has been archived, or has been deleted",
        "choose an active account on the line (or set a default account), or restore the "
        "account in Xero under Settings → Chart of accounts, then retry",
    ),
    (
        r"is not a valid code for this document",
        "choose an account from the chart of accounts imported from Xero, then retry",
    ),
    (
        r"contact .*has been archived",
        "restore the supplier in Xero (Contacts → Archived → Restore) or choose another "
        "supplier, then retry",
    ),
    (
        r"must contain a ContactID or ContactNumber|Contact is required",
        "the supplier has no Xero contact yet: retry (the contact is created first), or "
        "import the supplier from Xero so the two are linked",
    ),
    (
        r"Purchase Order status change is invalid",
        "the order has moved on in Xero (billed, or a bill is linked to it): delete or void "
        "the linked bill in Xero first, then retry",
    ),
    (
        r"TaxType code '?([^' ]*)'? cannot be used with account code",
        "choose a tax rate that Xero allows on this account, or another account, then retry",
    ),
    (
        r"TaxType code .* does not exist or cannot be used",
        "choose a tax rate imported from Xero (or import the tax rates again), then retry",
    ),
    (
        r"Organisation is not subscribed to currency",
        "add the currency in Xero under Settings → Currencies, or use one the organisation "
        "has, then retry",
    ),
    (
        r"Invoice not of valid status for modification",
        "the bill is paid, voided or deleted in Xero and can no longer change: remove its "
        "payments in Xero first (or make the change there), then retry",
    ),
    (
        r"cannot be edited as it has a payment or credit note allocated",
        "the bill has payments or credit in Xero: remove them in Xero first, then retry",
    ),
    (
        r"lock date",
        "date the document after the lock date, or ask your accountant to move the lock "
        "date in Xero (Settings → Advanced → Financial settings), then retry",
    ),
    (
        r"DueDate is required",
        "give the bill a due date, then retry",
    ),
    (
        r"already assigned to another contact",
        "another Xero contact has this name: link the supplier to it by importing it from "
        "Xero, or rename the supplier here",
    ),
    (
        r"Purchase Order Number must be unique",
        "another purchase order in Xero has this number: give this order a new number",
    ),
    (
        r"maximum of 5 contact persons",
        "Xero keeps 5 contact persons besides the primary person: the others stay here only; retry",
    ),
    (
        r"is not a bank account and does not have payments enabled",
        "choose a bank account for the payment, or in Xero edit the account (Accounting → "
        "Chart of accounts) and tick 'Enable payments to this account', then retry",
    ),
    (
        r"Payments can only be made against Authorised documents",
        "the invoice is not approved in Xero yet (draft or awaiting approval): approve it "
        "there, or set invoices to arrive as AUTHORISED, then retry",
    ),
    (
        r"Payment amount exceeds the amount outstanding",
        "the invoice owes less in Xero than this payment: check payments or credit "
        "recorded in Xero, then lower the amount (the rest can stay as store credit)",
    ),
    (
        r"COGSAccountCode is required",
        "give the item a purchase account (its cost of goods sold account), or stop "
        "tracking it as inventory, then retry",
    ),
    (
        r"Total must not be negative",
        "Xero takes no invoice below 0: a negative invoice goes to Xero as a credit note; "
        "correct the lines or let it go as a credit note, then retry",
    ),
    (
        r"Quantity must not be less than zero",
        "Xero takes no quantity below 0: enter the line with a negative price instead, then retry",
    ),
)

_COMPILED = tuple((re.compile(p, re.IGNORECASE), fix) for p, fix in KNOWN_FIXES)


def fix_for(message: str) -> str:
    """What a person should do about Xero's ``message``."""
    for pattern, fix in _COMPILED:
        if pattern.search(message):
            return fix
    return UNKNOWN_FIX


def fixes_for(messages: tuple[str, ...] | list[str]) -> str:
    """The fixes of several messages, each once, joined for the sync log."""
    seen: list[str] = []
    for message in messages:
        fix = fix_for(message)
        if fix not in seen:
            seen.append(fix)
    return "; ".join(seen) if seen else UNKNOWN_FIX
