"""Suppliers and customers."""

from typing import Annotated
from uuid import UUID

from pydantic import Field

from ledgerlink.api.schemas.common import Code, CurrencyCode, Name, Public, Strict

AddressLine = Annotated[str, Field(max_length=500)]


class AddressBody(Strict):
    address_type: Code = "STREET"
    line1: AddressLine | None = None
    line2: AddressLine | None = None
    line3: AddressLine | None = None
    line4: AddressLine | None = None
    city: Name | None = None
    region: Name | None = None
    postal_code: Code | None = None
    country: Code | None = None
    attention_to: Name | None = None


class AddressPublic(Public):
    address_type: str
    line1: str | None
    line2: str | None
    line3: str | None
    line4: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None
    attention_to: str | None


class PartyCreate(Strict):
    name: Name = Field(examples=["Acme Supplies Ltd"])
    contact_number: Code | None = None
    email: Name | None = None
    phone: Code | None = None
    address: AddressBody | None = None
    currency: CurrencyCode | None = None
    tax_number: Code | None = None


class PartyUpdate(Strict):
    name: Name | None = None
    contact_number: Code | None = None
    email: Name | None = None
    phone: Code | None = None
    address: AddressBody | None = None
    currency: CurrencyCode | None = None
    tax_number: Code | None = None
    active: bool | None = None


class PartyPublic(Public):
    id: UUID
    name: str
    contact_number: str | None
    email: str | None
    phone: str | None
    address: AddressPublic | None
    currency: str | None
    tax_number: str | None
    active: bool
    version: int


class ContactPersonBody(Strict):
    """A person at the customer (Syncro's end user): a Xero contact person."""

    first_name: Name = Field(examples=["Ana"])
    last_name: Name | None = None
    email: Name | None = Field(None, examples=["ana@harbour.test"])
    include_in_emails: bool = False


class ContactPersonPublic(Public):
    first_name: str
    last_name: str | None
    email: str | None
    include_in_emails: bool


PEOPLE_DESCRIPTION = (
    "The customer's people, in order: the first is the Xero contact's primary person, "
    "the next 5 its contact persons (Xero keeps no more; the sync log names those left "
    "out). Sending the list replaces the one stored."
)


class CustomerCreate(PartyCreate):
    contact_people: list[ContactPersonBody] = Field(
        default_factory=list, max_length=100, description=PEOPLE_DESCRIPTION
    )


class CustomerUpdate(PartyUpdate):
    contact_people: list[ContactPersonBody] | None = Field(
        None, max_length=100, description=PEOPLE_DESCRIPTION
    )


class CustomerPublic(PartyPublic):
    contact_people: list[ContactPersonPublic]
