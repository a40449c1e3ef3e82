"""The billing half as Xero JSON: customers, items, sales invoices, credit notes, refunds,
store credit, allocations, payments, batch payments and overpayments.

Each builder's output is checked against the request schema of Xero's OpenAPI spec.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from ledgerlink.domain import (
    Allocation,
    ContactPerson,
    CreditNote,
    CreditNoteKind,
    Customer,
    InvalidDocument,
    InvalidValue,
    Item,
    Line,
    Payment,
    Refund,
    SalesInvoice,
    StoreCredit,
)
from ledgerlink.xero.outbound.checks import check_payment_account
from ledgerlink.xero.outbound.contacts import MAX_CONTACT_PERSONS, customer_json
from ledgerlink.xero.outbound.items import item_json, item_unitdp
from ledgerlink.xero.outbound.lines import LineDefaults, unitdp_for
from ledgerlink.xero.outbound.payments import (
    PaymentAccount,
    batch_payment_json,
    overpayment_json,
    payment_elements,
    payment_json,
    store_credit_payment_json,
)
from ledgerlink.xero.outbound.sales import (
    allocation_json,
    credit_note_json,
    customer_credit_json,
    sales_invoice_json,
)
from tests.sandbox.accounting.spec import validate_request_against_spec
from xero_client import Account, Invoice, XeroModel

COMPANY = UUID("00000000-0000-4000-8000-000000000001")
CUSTOMER = UUID("00000000-0000-4000-8000-0000000000c1")
MARCH_2 = dt.date(2026, 3, 2)
CONTACT_ID = "5b96e86b-418e-48e8-8949-308c14aec278"
DEFAULTS = LineDefaults(account_code="200", tax_type="OUTPUT2")


def sale_line(**overrides: Any) -> Line:
    fields: dict[str, Any] = {
        "description": "Consulting",
        "quantity": Decimal(3),
        "unit_price": Decimal("12.3456"),
        "account_code": "200",
        "tax_type": "OUTPUT2",
        "tax_rate": Decimal(15),
        "discount_rate": Decimal("12.5"),
        "tracking": (("Region", "North"),),
        "item_code": "CONSULT",
    }
    fields.update(overrides)
    return Line(**fields)


def invoice(*lines: Line, **overrides: Any) -> SalesInvoice:
    fields: dict[str, Any] = {
        "company_id": COMPANY,
        "customer_id": CUSTOMER,
        "number": "INV-0042",
        "reference": "Job 7",
        "date": MARCH_2,
        "due_date": dt.date(2026, 3, 31),
        "currency": "NZD",
        "lines": lines or (sale_line(),),
    }
    fields.update(overrides)
    return SalesInvoice(**fields)


def schema_ok(path: str, collection: str, model: XeroModel, **params: Any) -> dict[str, Any]:
    body = model.to_xero()
    validate_request_against_spec("PUT", path, {collection: [body]}, **params)
    return body


# -- customers -----------------------------------------------------------------------


def people(count: int) -> list[ContactPerson]:
    return [
        ContactPerson(first_name=f"Person{n}", last_name="Doe", email=f"p{n}@example.com")
        for n in range(count)
    ]


def test_a_customer_is_a_contact_with_is_customer_and_its_people() -> None:
    customer = Customer(
        company_id=COMPANY, name="Boom FM", email="accounts@boom.fm", contact_number="C-7"
    )
    built = customer_json(customer, people=people(3))
    body = schema_ok("/Contacts", "Contacts", built.contact)
    assert body["IsCustomer"] is True
    assert body["ContactStatus"] == "ACTIVE"
    assert (body["FirstName"], body["LastName"], body["EmailAddress"]) == (
        "Person0",
        "Doe",
        "accounts@boom.fm",
    )
    assert [p["FirstName"] for p in body["ContactPersons"]] == ["Person1", "Person2"]
    assert built.left_out == () and built.note is None


def test_xero_keeps_five_contact_persons_besides_the_primary_and_the_rest_are_named() -> None:
    customer = Customer(company_id=COMPANY, name="Boom FM")
    everyone = people(MAX_CONTACT_PERSONS + 3)
    built = customer_json(customer, people=everyone)
    assert len(built.contact.contact_persons) == MAX_CONTACT_PERSONS
    assert built.left_out == tuple(everyone[MAX_CONTACT_PERSONS + 1 :])
    assert built.note is not None and "Person6 Doe, Person7 Doe" in built.note
    assert built.contact.email_address == "p0@example.com"  # the primary's, none on the customer


def test_an_inactive_customer_is_archived_in_xero() -> None:
    customer = Customer(company_id=COMPANY, name="Boom FM", active=False)
    built = customer_json(customer, contact_id=CONTACT_ID)
    body = schema_ok("/Contacts", "Contacts", built.contact)
    assert (body["ContactStatus"], body["ContactID"]) == ("ARCHIVED", CONTACT_ID)


# -- items ---------------------------------------------------------------------------


def test_an_item_carries_its_sales_and_purchase_details() -> None:
    item = Item(
        company_id=COMPANY, code="PAPER", name="Paper", description="A4 paper",
        purchase_description="A4 paper, bought", purchase_price=Decimal("3.1234"),
        purchase_account_code="300", purchase_tax_type="INPUT2", sales_price=Decimal("5.00"),
        sales_account_code="200", sales_tax_type="OUTPUT2",
    )  # fmt: skip
    body = schema_ok("/Items", "Items", item_json(item), unitdp=4)
    assert body["SalesDetails"] == {"UnitPrice": Decimal("5.00"), "AccountCode": "200",
                                    "TaxType": "OUTPUT2"}  # fmt: skip
    assert body["PurchaseDetails"] == {"UnitPrice": Decimal("3.1234"), "AccountCode": "300",
                                       "TaxType": "INPUT2"}  # fmt: skip
    assert (body["IsSold"], body["IsPurchased"]) == (True, True)
    assert "IsTrackedAsInventory" not in body
    assert item_unitdp(item) == 4


def test_a_tracked_item_puts_its_purchase_account_as_cost_of_goods_sold() -> None:
    item = Item(
        company_id=COMPANY, code="WIDGET", name="Widget", purchase_price=Decimal(2),
        purchase_account_code="310", sales_price=Decimal(4), sales_account_code="200",
        is_tracked_as_inventory=True, inventory_asset_account_code="630",
    )  # fmt: skip
    body = schema_ok("/Items", "Items", item_json(item, xero_id=str(uuid4())))
    assert body["PurchaseDetails"] == {"UnitPrice": Decimal(2), "COGSAccountCode": "310"}
    assert (body["IsTrackedAsInventory"], body["InventoryAssetAccountCode"]) == (True, "630")
    assert item_unitdp(item) is None


# -- sales invoices and credit notes -------------------------------------------------


@pytest.mark.parametrize("status", ["DRAFT", "SUBMITTED", "AUTHORISED"])
def test_a_sales_invoice_is_accrec_in_its_arrival_status(status: str) -> None:
    document = invoice(line_amount_type="Inclusive")
    built = sales_invoice_json(document, contact_id=CONTACT_ID, status=status, defaults=DEFAULTS)
    body = schema_ok("/Invoices", "Invoices", built, unitdp=4)
    assert (body["Type"], body["Status"], body["LineAmountTypes"]) == ("ACCREC", status,
                                                                       "Inclusive")  # fmt: skip
    assert (body["InvoiceNumber"], body["Reference"], body["DueDate"]) == (
        "INV-0042", "Job 7", "2026-03-31",
    )  # fmt: skip
    (line,) = body["LineItems"]
    assert line["DiscountRate"] == Decimal("12.5")
    assert line["UnitAmount"] == Decimal("12.3456")
    assert line["Tracking"] == [{"Name": "Region", "Option": "North"}]
    assert unitdp_for(document.lines) == 4
    assert unitdp_for([sale_line(unit_price=Decimal("12.30"))]) is None


def test_a_line_without_an_account_takes_its_items_sales_account() -> None:
    defaults = LineDefaults(account_code="200", item_accounts={"CONSULT": "260"})
    built = sales_invoice_json(
        invoice(sale_line(account_code=None)), contact_id=CONTACT_ID, status="DRAFT",
        defaults=defaults,
    )  # fmt: skip
    assert built.line_items[0].account_code == "260"


def test_a_negative_invoice_is_refused_as_an_invoice_and_becomes_a_credit_note() -> None:
    document = invoice(
        sale_line(quantity=Decimal(-2), unit_price=Decimal("10.005"), discount_rate=None),
        sale_line(quantity=Decimal(1), unit_price=Decimal("3.3333"), discount_rate=None),
    )
    assert document.is_negative
    with pytest.raises(InvalidDocument, match="credit note"):
        sales_invoice_json(document, contact_id=CONTACT_ID, status="DRAFT", defaults=DEFAULTS)
    note = credit_note_json(document, contact_id=CONTACT_ID, status="AUTHORISED",
                            defaults=DEFAULTS)  # fmt: skip
    body = schema_ok("/CreditNotes", "CreditNotes", note, unitdp=4)
    assert body["Type"] == "ACCRECCREDIT"
    # Xero takes no quantity below 0: the line that turns negative goes by its unit price.
    assert [(line["Quantity"], line["UnitAmount"]) for line in body["LineItems"]] == [
        (Decimal(2), Decimal("10.005")), (Decimal(1), Decimal("-3.3333")),
    ]  # fmt: skip
    with pytest.raises(InvalidDocument, match="only a negative invoice"):
        credit_note_json(invoice(), contact_id=CONTACT_ID, status="DRAFT", defaults=DEFAULTS)


@pytest.mark.parametrize(("kind", "xero_type"), [("sales", "ACCRECCREDIT"),
                                                 ("purchase", "ACCPAYCREDIT")])  # fmt: skip
def test_a_credit_note_keeps_its_side(kind: str, xero_type: str) -> None:
    note = CreditNote(
        company_id=COMPANY, kind=CreditNoteKind(kind), party_id=CUSTOMER, date=MARCH_2,
        currency="NZD", number="CN-1", lines=(sale_line(discount_rate=None),),
    )  # fmt: skip
    built = credit_note_json(note, contact_id=CONTACT_ID, status="AUTHORISED", defaults=DEFAULTS)
    body = schema_ok("/CreditNotes", "CreditNotes", built, unitdp=4)
    assert (body["Type"], body["CreditNoteNumber"]) == (xero_type, "CN-1")


def test_a_refund_and_store_credit_are_one_line_credit_notes_for_their_amount() -> None:
    refund = Refund(
        company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2, amount=Decimal("23.45"),
        currency="NZD", reason="Returned toner",
    )  # fmt: skip
    built = customer_credit_json(
        refund, contact_id=CONTACT_ID, account_code="200", status="AUTHORISED",
        tax_type="OUTPUT2",
    )  # fmt: skip
    body = schema_ok("/CreditNotes", "CreditNotes", built)
    assert (body["Type"], body["LineAmountTypes"]) == ("ACCRECCREDIT", "Inclusive")
    assert body["LineItems"] == [{"Description": "Returned toner", "Quantity": Decimal(1),
                                  "UnitAmount": Decimal("23.45"), "AccountCode": "200",
                                  "TaxType": "OUTPUT2"}]  # fmt: skip
    credit = StoreCredit(
        company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2, amount=Decimal(10),
        currency="NZD",
    )  # fmt: skip
    store = customer_credit_json(credit, contact_id=CONTACT_ID, account_code="820",
                                 status="AUTHORISED")  # fmt: skip
    assert store.line_amount_types == "NoTax"
    assert store.line_items[0].description == "Store credit"


def test_an_allocation_names_the_invoice_amount_and_date() -> None:
    built = allocation_json(Decimal("5.00"), invoice_id=CONTACT_ID, date=MARCH_2)
    body = built.to_xero()
    validate_request_against_spec("PUT", f"/CreditNotes/{uuid4()}/Allocations",
                                  {"Allocations": [body]})  # fmt: skip
    assert body == {"Invoice": {"InvoiceID": CONTACT_ID}, "Amount": Decimal("5.00"),
                    "Date": "2026-03-02"}  # fmt: skip
    with pytest.raises(InvalidDocument):
        allocation_json(Decimal(0), invoice_id=CONTACT_ID, date=MARCH_2)


# -- payments ------------------------------------------------------------------------

FIRST, SECOND = uuid4(), uuid4()
XERO_IDS = {FIRST: "11111111-1111-4111-8111-111111111111",
            SECOND: "22222222-2222-4222-8222-222222222222"}  # fmt: skip


def split_payment(amount: str = "150.00") -> Payment:
    return Payment(
        company_id=COMPANY, date=MARCH_2, amount=Decimal(amount), currency="NZD",
        bank_account_code="090", reference="Deposit 12", party_id=CUSTOMER,
        allocations=(Allocation(document_id=FIRST, amount=Decimal("100.00")),
                     Allocation(document_id=SECOND, amount=Decimal("30.00"))),
    )  # fmt: skip


def test_a_payment_element_pays_an_invoice_or_a_credit_note_through_an_account() -> None:
    by_code = payment_json(
        amount=Decimal("12.50"), date=MARCH_2, account=PaymentAccount(code="090"),
        invoice_id=XERO_IDS[FIRST], reference="Cheque 4",
    )  # fmt: skip
    body = schema_ok("/Payments", "Payments", by_code)
    assert body == {"Invoice": {"InvoiceID": XERO_IDS[FIRST]}, "Account": {"Code": "090"},
                    "Date": "2026-03-02", "Amount": Decimal("12.50"),
                    "Reference": "Cheque 4"}  # fmt: skip
    account_id = str(uuid4())
    refund = payment_json(
        amount=Decimal(5), date=MARCH_2, account=PaymentAccount(account_id=account_id),
        credit_note_id=XERO_IDS[SECOND],
    )  # fmt: skip
    body = schema_ok("/Payments", "Payments", refund)
    assert (body["CreditNote"], body["Account"]) == ({"CreditNoteID": XERO_IDS[SECOND]},
                                                     {"AccountID": account_id})  # fmt: skip
    with pytest.raises(InvalidDocument):
        payment_json(amount=Decimal(1), date=MARCH_2, account=PaymentAccount(code="090"))
    with pytest.raises(InvalidValue):
        PaymentAccount(code="090", account_id=account_id)


def test_a_split_payment_is_one_element_per_invoice_or_one_batch() -> None:
    payment = split_payment()
    elements = payment_elements(payment, XERO_IDS)
    assert [(e.invoice.invoice_id if e.invoice else None, e.amount) for e in elements] == [
        (XERO_IDS[FIRST], Decimal("100.00")), (XERO_IDS[SECOND], Decimal("30.00")),
    ]  # fmt: skip
    for element in elements:
        schema_ok("/Payments", "Payments", element)
    batch = batch_payment_json(payment, XERO_IDS)
    body = schema_ok("/BatchPayments", "BatchPayments", batch)
    assert (body["Account"], body["Reference"], len(body["Payments"])) == (
        {"Code": "090"}, "Deposit 12", 2,
    )  # fmt: skip
    with pytest.raises(InvalidDocument, match="not in Xero yet"):
        payment_elements(payment, {FIRST: XERO_IDS[FIRST]})


def test_the_rest_of_an_overpayment_is_a_receive_overpayment_bank_transaction() -> None:
    payment = split_payment("150.00")
    built = overpayment_json(payment, contact_id=CONTACT_ID)
    assert built is not None
    body = schema_ok("/BankTransactions", "BankTransactions", built)
    assert (body["Type"], body["BankAccount"]) == ("RECEIVE-OVERPAYMENT", {"Code": "090"})
    assert body["LineItems"] == [{"Description": "Overpayment", "LineAmount": Decimal("20.00")}]
    assert overpayment_json(split_payment("130.00"), contact_id=CONTACT_ID) is None


ACCOUNTS = [
    Account(code="090", type="BANK", status="ACTIVE"),
    Account(code="610", type="CURRENT", status="ACTIVE", enable_payments_to_account=True),
    Account(code="200", type="REVENUE", status="ACTIVE"),
    Account(code="091", type="BANK", status="ARCHIVED"),
]


@pytest.mark.parametrize(("code", "problem"), [
    ("090", None), ("610", None),
    ("200", "Account code '200' is not a bank account and does not have payments enabled"),
    ("091", "Account code '091' could not be found"),
    ("999", "Account code '999' could not be found"),
])  # fmt: skip
def test_a_payment_account_must_be_a_bank_account_or_have_payments_enabled(
    code: str, problem: str | None
) -> None:
    problems = check_payment_account(PaymentAccount(code=code), ACCOUNTS)
    if problem is None:
        assert problems == ()
        return
    (found,) = problems
    assert found.field == "bank_account_code"
    assert problem in found.message
    assert "retry" in found.fix


def test_store_credit_from_an_overpayment_is_paid_but_hand_made_credit_is_allocated() -> None:
    left = split_payment("150.00").store_credit(CUSTOMER)
    assert left is not None
    built = store_credit_payment_json(left, Decimal("20.00"), invoice_id=XERO_IDS[FIRST],
                                      date=MARCH_2, account=PaymentAccount(code="090"))  # fmt: skip
    assert (built.amount, built.invoice) == (Decimal("20.00"), Invoice(invoice_id=XERO_IDS[FIRST]))
    with pytest.raises(InvalidDocument, match="above the store credit"):
        store_credit_payment_json(left, Decimal("20.01"), invoice_id=XERO_IDS[FIRST],
                                  date=MARCH_2, account=PaymentAccount(code="090"))  # fmt: skip
    by_hand = StoreCredit(company_id=COMPANY, customer_id=CUSTOMER, date=MARCH_2,
                          amount=Decimal(5), currency="NZD")  # fmt: skip
    with pytest.raises(InvalidDocument, match="allocate the credit note"):
        store_credit_payment_json(by_hand, Decimal(1), invoice_id=XERO_IDS[FIRST],
                                  date=MARCH_2, account=PaymentAccount(code="090"))  # fmt: skip


def test_a_contact_person_needs_a_first_name_and_a_real_email() -> None:
    with pytest.raises(InvalidValue, match="first_name"):
        ContactPerson(first_name=" ")
    with pytest.raises(InvalidValue, match="email"):
        ContactPerson(first_name="Ann", email="not-an-email")


def test_a_discounted_line_on_a_credit_note_goes_as_one_unit_of_its_amount() -> None:
    note = CreditNote(
        company_id=COMPANY, kind=CreditNoteKind.SALES, party_id=CUSTOMER, date=MARCH_2,
        currency="NZD", lines=(sale_line(quantity=Decimal(3), unit_price=Decimal("10.0050"),
                                         discount_rate=Decimal("33.33")),),
    )  # fmt: skip
    built = credit_note_json(note, contact_id=CONTACT_ID, status="AUTHORISED", defaults=DEFAULTS)
    (line,) = schema_ok("/CreditNotes", "CreditNotes", built)["LineItems"]
    assert (line["Quantity"], line["UnitAmount"]) == (Decimal(1), Decimal("20.01"))
    assert "DiscountRate" not in line
    assert line["Description"] == "Consulting (3 × 10.0050 less 33.33 %)"
