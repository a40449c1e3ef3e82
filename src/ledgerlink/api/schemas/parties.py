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
