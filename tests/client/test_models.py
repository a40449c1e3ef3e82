from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from xero_client import (
    Account,
    AccountType,
    BatchPayment,
    Contact,
    CreditNote,
    Invoice,
    InvoiceStatus,
    Item,
    LineItem,
    LineItemTracking,
    Organisation,
    Payment,
    PurchaseOrder,
    TaxRate,
    TrackingCategory,
    XeroModel,
    load_json,
)
from xero_client._models import xero_key

INVOICE = b"""{
  "Type": "ACCPAY", "InvoiceID": "9a2c0f2e-0000-4000-8000-000000000001",
  "InvoiceNumber": "BILL-7", "Status": "AUTHORISED",
  "Contact": {"ContactID": "c0ffee00-0000-4000-8000-000000000001", "Name": "Acme",
              "ContactStatus": "ACTIVE", "HasValidationErrors": false},
  "Date": "/Date(1551139200000+0000)/", "DateString": "2019-02-26T00:00:00",
  "DueDate": "/Date(1553731200000)/", "LineAmountTypes": "Exclusive",
  "LineItems": [{"Description": "Widgets", "Quantity": 3.0000, "UnitAmount": 19.99,
                 "TaxAmount": 8.99, "LineAmount": 59.97, "AccountCode": "300",
                 "Tracking": [{"Name": "Region", "Option": "North",
                               "TrackingCategoryID": "t-1"}]}],
  "SubTotal": 59.97, "TotalTax": 8.99, "Total": 68.96, "AmountDue": 68.96,
  "CurrencyCode": "NZD", "UpdatedDateUTC": "/Date(1551213567813+0000)/",
  "Payments": [{"PaymentID": "p-1", "Amount": 10, "Date": "/Date(1551139200000+0000)/"}],
  "BrandNewXeroField": {"Nested": [1, 2]}
}"""


def test_invoice_is_read_with_exact_amounts_dates_and_nested_parts() -> None:
    invoice = Invoice.from_xero(load_json(INVOICE))
    assert invoice.invoice_id == "9a2c0f2e-0000-4000-8000-000000000001"
    assert invoice.status == InvoiceStatus.AUTHORISED
    assert invoice.total == Decimal("68.96")
    assert invoice.date == date(2019, 2, 26)
    assert invoice.due_date == date(2019, 3, 28)
    assert invoice.updated_date_utc == datetime(2019, 2, 26, 20, 39, 27, 813000, tzinfo=UTC)
    assert invoice.contact is not None and invoice.contact.name == "Acme"
    (line,) = invoice.line_items
    assert line.unit_amount == Decimal("19.99")
    assert line.quantity == Decimal("3.0000")
    assert line.tracking == (
        LineItemTracking(name="Region", option="North", tracking_category_id="t-1"),
    )
    assert invoice.payments[0].amount == Decimal("10")
    assert isinstance(invoice.payments[0].amount, Decimal)


def test_unknown_fields_are_kept_and_written_back() -> None:
    invoice = Invoice.from_xero(load_json(INVOICE))
    assert invoice.extra["BrandNewXeroField"] == {"Nested": [1, 2]}
    assert invoice.extra["DateString"] == "2019-02-26T00:00:00"
    written = invoice.to_xero()
    assert written["BrandNewXeroField"] == {"Nested": [1, 2]}
    assert written["Date"] == "2019-02-26"
    assert written["LineItems"][0]["Tracking"][0]["Option"] == "North"
    assert Invoice.from_xero(written) == invoice


@pytest.mark.parametrize(
    ("model", "data", "attr", "expected"),
    [
        (Invoice, {"Status": "ARCHIVED_BY_ROBOT"}, "status", "ARCHIVED_BY_ROBOT"),
        (Account, {"Type": "CRYPTOASSET"}, "type", "CRYPTOASSET"),
        (Account, {"Class": "ASSET"}, "account_class", "ASSET"),
        (Contact, {"ContactStatus": "SUSPENDED"}, "contact_status", "SUSPENDED"),
        (TaxRate, {"ReportTaxType": "NEWTAX"}, "report_tax_type", "NEWTAX"),
        (Payment, {"PaymentType": "FUTUREPAYMENT"}, "payment_type", "FUTUREPAYMENT"),
        (Organisation, {"Edition": "PLATINUM"}, "edition", "PLATINUM"),
    ],
    ids=[
        "invoice-status",
        "account-type",
        "account-class",
        "contact-status",
        "report-tax-type",
        "payment-type",
        "edition",
    ],
)
def test_enum_values_the_spec_does_not_list_are_kept_as_strings(
    model: type[XeroModel], data: dict[str, Any], attr: str, expected: str
) -> None:
    assert getattr(model.from_xero(data), attr) == expected


def test_known_enum_values_compare_equal_to_their_names() -> None:
    account = Account.from_xero({"Type": "EXPENSE"})
    assert account.type == AccountType.EXPENSE


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("invoice_id", "InvoiceID"),
        ("updated_date_utc", "UpdatedDateUTC"),
        ("line_amount_types", "LineAmountTypes"),
        ("address_line1", "AddressLine1"),
        ("url", "Url"),
    ],
    ids=["id", "utc", "plain", "digit", "url"],
)
def test_field_names_map_to_xero_keys(name: str, key: str) -> None:
    assert xero_key(name) == key


def test_values_of_the_wrong_shape_stay_untouched_in_extra() -> None:
    contact = Contact.from_xero({"Discount": "a lot", "IsSupplier": "maybe", "Name": "Z"})
    assert contact.discount is None and contact.is_supplier is None
    assert contact.to_xero() == {"Discount": "a lot", "IsSupplier": "maybe", "Name": "Z"}


@pytest.mark.parametrize(
    "model",
    [
        Organisation,
        Account,
        TaxRate,
        TrackingCategory,
        Contact,
        Item,
        PurchaseOrder,
        Invoice,
        CreditNote,
        Payment,
        BatchPayment,
    ],
    ids=lambda m: m.__name__,
)
def test_every_model_reads_an_empty_object(model: type[XeroModel]) -> None:
    assert model.from_xero({}).to_xero() == {}


def test_models_build_requests_with_decimal_amounts() -> None:
    order = PurchaseOrder(
        contact=Contact(contact_id="c-1"),
        date=date(2026, 1, 5),
        line_items=(
            LineItem(description="Paper", quantity=Decimal("2"), unit_amount=Decimal("4.995")),
        ),
        delivery_instructions="Back door",
    )
    assert order.to_xero() == {
        "Contact": {"ContactID": "c-1"},
        "Date": "2026-01-05",
        "LineItems": [
            {"Description": "Paper", "Quantity": Decimal("2"), "UnitAmount": Decimal("4.995")}
        ],
        "DeliveryInstructions": "Back door",
    }


def test_item_cogs_account_uses_xeros_spelling() -> None:
    item = Item.from_xero(
        {"Code": "W1", "PurchaseDetails": {"COGSAccountCode": "310", "UnitPrice": 2.5}}
    )
    assert item.purchase_details is not None
    assert item.purchase_details.cogs_account_code == "310"
    assert item.purchase_details.unit_price == Decimal("2.5")
    assert item.to_xero()["PurchaseDetails"]["COGSAccountCode"] == "310"
