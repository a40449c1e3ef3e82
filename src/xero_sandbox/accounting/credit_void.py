"""Voiding an overpayment or prepayment, as a person does in Xero's web app.

Xero's API has no status update for `/Overpayments` or `/Prepayments`: they are voided
in the web app only, so the sandbox offers it as a control route (`control.py`). Xero
voids one only while nothing of it is used: its allocations to invoices and its refunds
must be removed first. Neither may be voided when dated in a locked period. A voided one
reads `Status` VOIDED with no `RemainingCredit`, and `UpdatedDateUTC` moves (so it comes
again in an `If-Modified-Since` listing); the bank transaction that made it is voided
with it. No webhook is sent: Xero sends none for either.
"""

from datetime import datetime

from xero_sandbox.accounting.documents import ZERO, check_lock_date
from xero_sandbox.accounting.fields import Problems
from xero_sandbox.accounting.ledger import Ledger, Record
from xero_sandbox.accounting.settlement import OVERPAYMENT, PREPAYMENT, CreditKind

#: The kinds of credit a person can void, by the name of their collection in a URL.
VOIDABLE: dict[str, CreditKind] = {"overpayments": OVERPAYMENT, "prepayments": PREPAYMENT}


class VoidRefused(Exception):
    """Why a credit was not voided: the field at fault, the reason, an HTTP status."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


def void_credit(ledger: Ledger, kind: CreditKind, credit_id: str, now: datetime) -> Record:
    """Void the overpayment or prepayment `credit_id`; returns it as it now stands.

    Raises:
        VoidRefused: it is unknown (404), already voided, still allocated or refunded, or
            dated on or before a lock date (400); nothing is changed then.
    """
    label = kind.table[:-1].lower()
    credit = ledger.tables[kind.table].get(credit_id.strip().lower())
    if credit is None:
        raise VoidRefused(
            kind.id_field,
            f"no {label} {credit_id!r} in {ledger.name}: give its {kind.id_field}",
            404,
        )
    if credit["Status"] == "VOIDED":
        raise VoidRefused(kind.id_field, f"{label} {credit[kind.id_field]} is voided already")
    if credit["Allocations"]:
        raise VoidRefused(
            kind.id_field,
            f"{label} {credit[kind.id_field]} has {len(credit['Allocations'])} allocation(s) "
            "to invoices: remove them first (DELETE .../Allocations/{AllocationID})",
        )
    if credit["Payments"]:
        raise VoidRefused(
            kind.id_field,
            f"{label} {credit[kind.id_field]} has been refunded: delete the refund payment first",
        )
    locked = Problems()
    check_lock_date(ledger, credit["Date"], locked)
    if locked.messages:
        raise VoidRefused("Date", "; ".join(locked.messages))
    credit["Status"] = "VOIDED"
    credit["RemainingCredit"] = ZERO
    credit["UpdatedDateUTC"] = now
    for transaction in ledger.bank_transactions.values():
        if transaction.get(kind.id_field) == credit[kind.id_field]:
            transaction["Status"] = "VOIDED"
            transaction["UpdatedDateUTC"] = now
    return credit
