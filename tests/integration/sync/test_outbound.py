"""Lines and contacts as Xero reads them: defaults fill what a line lacks."""

from decimal import Decimal
from uuid import uuid4

import pytest

from ledgerlink.domain.lines import Line, TrackingRef
from ledgerlink.domain.parties import Address, Supplier
from ledgerlink.xero.outbound.contacts import contact_of
from ledgerlink.xero.outbound.lines import LineDefaults, line_item

DEFAULTS = LineDefaults(account_code="429", tax_type="INPUT2", item_accounts={"TONER": "300"})


@pytest.mark.parametrize(
    ("line", "account", "tax"),
    [
        (Line(description="a", account_code="400", tax_type="NONE"), "400", "NONE"),
        (Line(description="b", item_code="TONER"), "300", "INPUT2"),
        (Line(description="c", item_code="PAPER"), "429", "INPUT2"),
        (Line(description="d"), "429", "INPUT2"),
    ],
    ids=["own-account-and-tax", "item-purchase-account", "unknown-item-default", "default"],
)
def test_a_line_takes_its_account_then_its_items_then_the_default(
    line: Line, account: str, tax: str
) -> None:
    item = line_item(line, DEFAULTS)
    assert (item.account_code, item.tax_type) == (account, tax)


def test_a_line_keeps_exact_amounts_and_tracking_by_name() -> None:
    line = Line(
        description="Toner",
        quantity=Decimal("2.5"),
        unit_price=Decimal("58.1250"),
        account_code="300",
        tracking=[TrackingRef("Region", "North")],
    )
    xero = line_item(line, LineDefaults()).to_xero()
    assert xero["Quantity"] == Decimal("2.5")
    assert xero["UnitAmount"] == Decimal("58.1250")
    assert xero["Tracking"] == [{"Name": "Region", "Option": "North"}]


def test_a_supplier_becomes_a_supplier_contact_with_its_address_and_phone() -> None:
    supplier = Supplier(
        company_id=uuid4(),
        name="Paper Co",
        email="orders@paper.test",
        phone="09 555 0101",
        address=Address(line1="1 Quay St", city="Auckland"),
        currency="NZD",
    )
    xero = contact_of(supplier).to_xero()
    assert xero["Name"] == "Paper Co"
    assert xero["IsSupplier"] is True
    assert xero["EmailAddress"] == "orders@paper.test"
    assert xero["Phones"] == [{"PhoneType": "DEFAULT", "PhoneNumber": "09 555 0101"}]
    assert xero["Addresses"][0]["AddressLine1"] == "1 Quay St"
    assert "ContactID" not in xero
