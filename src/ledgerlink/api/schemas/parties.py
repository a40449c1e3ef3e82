"""Suppliers and customers."""

from uuid import UUID

from pydantic import Field

from ledgerlink.api.schemas.common import Public, Strict


class AddressBody(Strict):
    address_type: str = "STREET"
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    line4: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    attention_to: str | None = None


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
    name: str = Field(examples=["Acme Supplies Ltd"])
    contact_number: str | None = None
    email: str | None = None
    phone: str | None = None
    address: AddressBody | None = None
    currency: str | None = Field(None, examples=["NZD"])
    tax_number: str | None = None


class PartyUpdate(Strict):
    name: str | None = None
    contact_number: str | None = None
    email: str | None = None
    phone: str | None = None
    address: AddressBody | None = None
    currency: str | None = None
    tax_number: str | None = None
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
