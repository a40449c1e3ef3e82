"""Records as Xero sends them, turned into what is kept here (pure, no I/O)."""

from decimal import Decimal
from typing import Any

import pytest

import xero_client as xc
from ledgerlink.domain.catalogue import AccountClass, ReferenceStatus
from ledgerlink.sync.imports import ImportKind
from ledgerlink.sync.imports.records import OVER_LIMIT, translate, within_active_limit
from ledgerlink.xero.inbound import SkipRecord, contact_from_xero, tax_rate_from_xero

ACCOUNT_ID = "5040915e-8ce7-4177-8d08-fde416232f18"


@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        (ImportKind.ACCOUNTS, {"AccountID": ACCOUNT_ID, "Name": "Bank", "Type": "BANK"},
         "account type BANK cannot be used on purchase or sales documents"),
        (ImportKind.ACCOUNTS, {"AccountID": ACCOUNT_ID, "Name": "Costs", "Type": "EXPENSE",
                               "Class": "EXPENSE"}, "Xero sent no account code"),
        (ImportKind.ACCOUNTS, {"AccountID": ACCOUNT_ID, "Code": "400", "Name": "Costs",
                               "Type": "EXPENSE", "Class": "EXPENSE", "Status": "PENDING"},
         "status PENDING is not one of ACTIVE, ARCHIVED, DELETED"),
        (ImportKind.TAX_RATES, {"Name": "GST", "TaxType": "INPUT2",
                                "TaxComponents": [{"Name": "GST", "Rate": "-1"}]},
         "components.rate: may not be negative, got -1"),
        (ImportKind.SUPPLIERS, {"ContactID": ACCOUNT_ID, "Name": "A", "DefaultCurrency": "usd"},
         "currency: use a three-letter upper-case ISO 4217 code such as 'USD', got 'usd'"),
        (ImportKind.SUPPLIERS, {"ContactID": ACCOUNT_ID}, "Xero sent no contact name"),
        (ImportKind.ITEMS, {"ItemID": ACCOUNT_ID, "Code": "X" * 31, "Name": "Long",
                            "IsPurchased": True}, "code: "),
        (ImportKind.ITEMS, ["not", "a", "record"], "Xero sent list where a record was expected"),
    ],
    ids=["bank-account", "no-code", "unknown-status", "negative-tax", "lower-case-currency",
         "no-name", "item-code-too-long", "not-an-object"],
)  # fmt: skip
def test_records_we_cannot_keep_are_skipped_with_a_reason(
    kind: ImportKind, raw: Any, reason: str
) -> None:
    with pytest.raises(SkipRecord) as skipped:
        translate(kind, raw)
    assert skipped.value.reason.startswith(reason)


def test_a_compound_tax_without_an_effective_rate_is_computed_from_its_components() -> None:
    rate = tax_rate_from_xero(
        xc.TaxRate.from_xero(
            {
                "Name": "GST + QST",
                "TaxType": "TAX001",
                "Status": "ACTIVE",
                "CanApplyToRevenue": True,
                "TaxComponents": [
                    {"Name": "GST", "Rate": Decimal("5.0000"), "IsCompound": False},
                    {"Name": "QST", "Rate": Decimal("9.9750"), "IsCompound": True},
                ],
            }
        )
    )
    assert rate.rate == Decimal("15.47375")
    assert rate.applies_to == frozenset({AccountClass.REVENUE})
    assert rate.status is ReferenceStatus.ACTIVE


def test_a_contact_keeps_its_postal_address_and_default_phone_first() -> None:
    contact = contact_from_xero(
        xc.Contact.from_xero(
            {
                "ContactID": ACCOUNT_ID.upper(),
                "Name": "Pacific Freight",
                "ContactStatus": "ARCHIVED",
                "Addresses": [
                    {"AddressType": "STREET", "AddressLine1": "1 Wharf Rd"},
                    {"AddressType": "POBOX", "AddressLine1": "PO Box 9", "City": "Napier"},
                    {"AddressType": "DELIVERY"},
                ],
                "Phones": [
                    {"PhoneType": "MOBILE", "PhoneNumber": "021 555"},
                    {"PhoneType": "DEFAULT", "PhoneAreaCode": "6", "PhoneNumber": "835 0000"},
                ],
            }
        )
    )
    assert contact.xero_id == ACCOUNT_ID
    assert contact.fields["address"].line1 == "PO Box 9"
    assert contact.fields["phone"] == "6 835 0000"
    assert contact.fields["active"] is False
    assert len(contact.details["addresses"]) == 2
    assert contact.fits("supplier") and contact.fits("customer")


def test_more_than_two_active_tracking_categories_are_refused_past_the_second() -> None:
    answer = [
        {"Name": "Region", "Status": "ACTIVE"},
        {"Name": "Old", "Status": "ARCHIVED"},
        {"Name": "Department", "Status": "ACTIVE"},
        {"Name": "Project", "Status": "ACTIVE"},
    ]
    kept, over = within_active_limit(answer)
    assert [c["Name"] for c in kept] == ["Region", "Old", "Department"]
    assert [c["Name"] for c in over] == ["Project"]
    assert OVER_LIMIT.startswith("Xero allows at most 2 active tracking categories")
