"""Suppliers and customers: validation, and the events that send them to Xero."""

from __future__ import annotations

from typing import Any

import pytest

from ledgerlink.domain import Address, Currency, Customer, DomainError, InvalidValue, Supplier

from .conftest import COMPANY


@pytest.mark.parametrize("party", [Supplier, Customer], ids=["supplier", "customer"])
def test_create_raises_a_created_event(party: type[Supplier] | type[Customer]) -> None:
    created = party.create(company_id=COMPANY, name="  Acme Ltd ", currency=Currency("NZD"))
    assert (created.name, created.version, created.active) == ("Acme Ltd", 1, True)
    assert [(e.name, e.kind, e.created, e.version) for e in created.events] == [  # type: ignore[attr-defined]
        ("PartyChanged", party.KIND, True, 1)
    ]


def test_edit_raises_a_change_event_only_when_something_changed() -> None:
    supplier = Supplier.create(company_id=COMPANY, name="Acme Ltd")
    assert supplier.edit(email="accounts@acme.example", phone="+64 9 555 0101")
    assert not supplier.edit(email="accounts@acme.example")
    assert supplier.archive()
    assert [(e.name, e.created, e.version) for e in supplier.events] == [  # type: ignore[attr-defined]
        ("PartyChanged", True, 1),
        ("PartyChanged", False, 2),
        ("PartyChanged", False, 3),
    ]
    assert not supplier.active


def test_a_party_loaded_from_storage_raises_nothing() -> None:
    customer = Customer(company_id=COMPANY, name="Globex", version=4)
    assert (customer.events, customer.version) == ([], 4)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "name: is required and may not be blank"),
        ({"name": "x" * 256}, "name: at most 255 characters, got 256"),
        ({"email": "acme.example"},
         "email: 'acme.example' is not an email address like name@example.com"),
        ({"email": "a@b"}, "email: 'a@b' is not an email address like name@example.com"),
        ({"currency": "EURO"}, "currency: use a three-letter ISO 4217 code such as 'USD'"),
        ({"active": "yes"}, "active: expected true or false, got 'yes'"),
        ({"address": ["1 Quay St"]}, "address: expected an Address, got list"),
    ],
    ids=["blank-name", "long-name", "email-without-at", "email-without-domain", "currency",
         "active-not-bool", "address-not-address"],
)  # fmt: skip
def test_bad_party_fields_are_named(fields: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"company_id": COMPANY, "name": "Acme"}
    values.update(fields)
    with pytest.raises(DomainError) as raised:
        Supplier(**values)
    assert str(raised.value).startswith(message)


def test_a_failed_edit_changes_nothing() -> None:
    customer = Customer.create(company_id=COMPANY, name="Globex")
    with pytest.raises(InvalidValue):
        customer.edit(name="Globex Corp", email="nope")
    assert (customer.name, customer.email, customer.version) == ("Globex", None, 1)
    with pytest.raises(InvalidValue, match=r"^id: cannot be edited on a customer; editable"):
        customer.edit(id=COMPANY)


def test_address_fields_are_trimmed_and_limited() -> None:
    address = Address(line1=" 1 Quay St ", city="Auckland", postal_code="1010", country="NZ")
    assert (address.line1, address.line2, address.is_empty) == ("1 Quay St", None, False)
    assert Address().is_empty
    supplier = Supplier(company_id=COMPANY, name="Acme", address={"city": " Auckland "})  # type: ignore[arg-type]
    assert supplier.address == Address(city="Auckland")
    with pytest.raises(InvalidValue, match=r"^address.postal_code: at most 50 characters"):
        Address(postal_code="9" * 51)
    with pytest.raises(InvalidValue, match=r"^address.address_type: use one of STREET, POBOX"):
        Address(address_type="HOME")


def test_parties_are_equal_by_identity() -> None:
    supplier = Supplier.create(company_id=COMPANY, name="Acme")
    same = Supplier(company_id=COMPANY, name="Acme renamed", id=supplier.id)
    assert supplier == same and hash(supplier) == hash(same)
    assert supplier != Customer(company_id=COMPANY, name="Acme", id=supplier.id)
