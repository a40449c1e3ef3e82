"""The SDK's accounting side: reference data, contacts, items, validation, paging, idempotency."""

import json

import httpx
import pytest
from xero_python.accounting import Contact, Contacts, Item, Items, Purchase
from xero_python.exceptions import ApiException

from xero_sandbox import DEMO_TENANT_ID, EMPTY_TENANT_ID

from .conftest import Sdk


def test_the_sdk_reads_the_reference_data(sdk: Sdk) -> None:
    organisation = sdk.accounting.get_organisations(DEMO_TENANT_ID).organisations[0]
    assert organisation.name == "Demo Company (Sandbox)"
    accounts = sdk.accounting.get_accounts(DEMO_TENANT_ID).accounts
    assert "EXPENSE" in {a.type.value for a in accounts}
    tax_rates = sdk.accounting.get_tax_rates(DEMO_TENANT_ID).tax_rates
    assert tax_rates and all(t.tax_type for t in tax_rates)
    currencies = sdk.accounting.get_currencies(DEMO_TENANT_ID).currencies
    assert organisation.base_currency in {c.code for c in currencies}
    categories = sdk.accounting.get_tracking_categories(DEMO_TENANT_ID).tracking_categories
    assert len(categories) <= 2


def test_the_sdk_creates_a_contact_and_reads_it_back(sdk: Sdk) -> None:
    created = sdk.accounting.create_contacts(
        DEMO_TENANT_ID,
        Contacts(contacts=[Contact(name="SDK Supplies Ltd", email_address="ap@sdk.example")]),
    ).contacts[0]
    assert created.contact_id
    fetched = sdk.accounting.get_contact(DEMO_TENANT_ID, created.contact_id).contacts[0]
    assert (fetched.name, fetched.email_address) == ("SDK Supplies Ltd", "ap@sdk.example")


def test_the_sdk_sees_validation_errors(sdk: Sdk) -> None:
    contacts = Contacts(contacts=[Contact(name="Twice Ltd")])
    sdk.accounting.create_contacts(DEMO_TENANT_ID, contacts)
    with pytest.raises(ApiException) as refused:
        sdk.accounting.create_contacts(DEMO_TENANT_ID, contacts)
    assert refused.value.status == 400
    body = json.loads(refused.value.body)
    assert body["Type"] == "ValidationException"
    messages = [e["Message"] for el in body["Elements"] for e in el["ValidationErrors"]]
    assert messages and all(messages)


def test_the_sdk_creates_items(sdk: Sdk) -> None:
    item = Item(code="SDK-1", name="SDK widget", purchase_details=Purchase(unit_price=12.5))
    created = sdk.accounting.create_items(EMPTY_TENANT_ID, Items(items=[item])).items[0]
    assert created.item_id and created.code == "SDK-1"
    listed = sdk.accounting.get_items(EMPTY_TENANT_ID).items
    assert [i.code for i in listed] == ["SDK-1"]


def test_the_sdk_pages_through_contacts(sdk: Sdk, http: httpx.Client) -> None:
    http.post(
        "/_sandbox/seed", json={"tenant": EMPTY_TENANT_ID, "contacts": 250}
    ).raise_for_status()
    sizes = []
    for page in range(1, 5):
        sizes.append(len(sdk.accounting.get_contacts(EMPTY_TENANT_ID, page=page).contacts))
    assert sizes == [100, 100, 50, 0]


def test_the_sdk_idempotency_key_replays(sdk: Sdk) -> None:
    contacts = Contacts(contacts=[Contact(name="Once Only Ltd")])
    first = sdk.accounting.create_contacts(DEMO_TENANT_ID, contacts, idempotency_key="sdk-1")
    second = sdk.accounting.create_contacts(DEMO_TENANT_ID, contacts, idempotency_key="sdk-1")
    assert first.contacts[0].contact_id == second.contacts[0].contact_id
    found = sdk.accounting.get_contacts(DEMO_TENANT_ID, where='Name=="Once Only Ltd"').contacts
    assert len(found) == 1
