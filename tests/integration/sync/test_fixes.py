"""Xero's known errors get a plain-language fix; unknown ones a general one."""

import pytest

from ledgerlink.xero.outbound.fixes import UNKNOWN_FIX, fix_for, fixes_for


@pytest.mark.parametrize(
    ("message", "fix"),
    [
        ("Account code '455' has been archived, or has been deleted. Each line item must "
         "reference a valid account.", "restore the account in Xero"),
        ("The contact with the specified contact details has been archived. The contact must "
         "be un-archived before creating new invoices or credit notes.",
         "restore the supplier in Xero"),
        ("The document must contain a ContactID or ContactNumber",
         "the supplier has no Xero contact yet"),
        ("The Purchase Order status change is invalid",
         "delete or void the linked bill in Xero first"),
        ("The TaxType code 'INPUT2' cannot be used with account code '200'.",
         "choose a tax rate that Xero allows on this account"),
        ("Organisation is not subscribed to currency EUR", "Settings → Currencies"),
        ("Invoice not of valid status for modification", "remove its payments in Xero first"),
        ("The document date cannot be before the period lock date",
         "date the document after the lock date"),
    ],
    ids=["account-archived", "contact-archived", "no-contact", "po-status", "tax-type",
         "currency", "invoice-status", "lock-date"],
)  # fmt: skip
def test_known_xero_errors_come_with_their_fix(message: str, fix: str) -> None:
    assert fix in fix_for(message)


def test_an_unknown_error_gets_the_general_fix_and_repeats_are_said_once() -> None:
    assert fix_for("Something new went wrong") == UNKNOWN_FIX
    twice = fixes_for(["Organisation is not subscribed to currency EUR"] * 2)
    assert twice.count("Settings → Currencies") == 1
