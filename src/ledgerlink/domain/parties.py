"""Parties a company trades with: suppliers (purchasing) and customers (sales)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self
from uuid import UUID

from ledgerlink.domain._values import optional_text, require_text
from ledgerlink.domain.aggregate import Aggregate
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.events import PartyChanged
from ledgerlink.domain.money import Currency

NAME_MAX_LENGTH = 255
ADDRESS_TYPES = ("STREET", "POBOX", "DELIVERY")


@dataclass(frozen=True, kw_only=True, slots=True)
class Address:
    """A postal address, shaped like Xero's (four lines, city, region, code, country)."""

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

    def __post_init__(self) -> None:
        if self.address_type not in ADDRESS_TYPES:
            raise InvalidValue(
                "address.address_type",
                f"use one of {', '.join(ADDRESS_TYPES)}, got {self.address_type!r}",
            )
        for name in ("line1", "line2", "line3", "line4"):
            value = optional_text(getattr(self, name), f"address.{name}", max_length=500)
            object.__setattr__(self, name, value)
        for name, limit in (
            ("city", 255),
            ("region", 255),
            ("postal_code", 50),
            ("country", 50),
            ("attention_to", 255),
        ):
            value = optional_text(getattr(self, name), f"address.{name}", max_length=limit)
            object.__setattr__(self, name, value)

    @property
    def is_empty(self) -> bool:
        """True when no line, city, region, code or country is filled in."""
        return not any(
            (self.line1, self.line2, self.line3, self.line4, self.city, self.region,
             self.postal_code, self.country)
        )  # fmt: skip


def to_address(value: object, field: str = "address") -> Address | None:
    """An ``Address`` from an ``Address``, a mapping of its fields, or None."""
    if value is None or isinstance(value, Address):
        return value
    if isinstance(value, Mapping):
        try:
            return Address(**value)
        except TypeError as error:
            raise InvalidValue(field, str(error)) from None
    raise InvalidValue(field, f"expected an Address, got {type(value).__name__}")


def _check_email(value: str | None, field: str) -> str | None:
    email = optional_text(value, field, max_length=255)
    if email is not None:
        local, at, domain = email.partition("@")
        if not (at and local and "." in domain and " " not in email):
            raise InvalidValue(field, f"{email!r} is not an email address like name@example.com")
    return email


@dataclass(frozen=True, kw_only=True, slots=True)
class ContactPerson:
    """A person at a customer organisation (Syncro's end user; Xero's contact person)."""

    first_name: str
    last_name: str | None = None
    email: str | None = None
    include_in_emails: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "first_name", require_text(self.first_name, "first_name", max_length=255)
        )
        object.__setattr__(
            self, "last_name", optional_text(self.last_name, "last_name", max_length=255)
        )
        object.__setattr__(self, "email", _check_email(self.email, "email"))
        if not isinstance(self.include_in_emails, bool):
            raise InvalidValue(
                "include_in_emails", f"expected true or false, got {self.include_in_emails!r}"
            )


@dataclass(kw_only=True, eq=False)
class Party(Aggregate):
    """What suppliers and customers share.

    Creating one with ``create()`` or changing it with ``edit()`` raises a
    ``PartyChanged`` event: both reach Xero as a contact.
    """

    EDITABLE: ClassVar[frozenset[str]] = frozenset(
        {"name", "contact_number", "email", "phone", "address", "currency",
         "tax_number", "active"}
    )  # fmt: skip

    name: str
    contact_number: str | None = None
    email: str | None = None
    phone: str | None = None
    address: Address | None = None
    currency: Currency | None = None
    tax_number: str | None = None
    active: bool = True

    def __post_init__(self) -> None:
        self.name = require_text(self.name, "name", max_length=NAME_MAX_LENGTH)
        self.contact_number = optional_text(self.contact_number, "contact_number", max_length=50)
        self.email = _check_email(self.email, "email")
        self.phone = optional_text(self.phone, "phone", max_length=50)
        self.address = to_address(self.address)
        self.tax_number = optional_text(self.tax_number, "tax_number", max_length=50)
        if self.currency is not None:
            self.currency = Currency(self.currency)
        if not isinstance(self.active, bool):
            raise InvalidValue("active", f"expected true or false, got {self.active!r}")

    @classmethod
    def create(cls, *, company_id: UUID, name: str, **fields: Any) -> Self:
        """A new party, with the ``PartyChanged(created=True)`` event that sends it to Xero."""
        party = cls(company_id=company_id, name=name, **fields)
        party.version = 0
        party._bump(PartyChanged, created=True)
        return party

    def edit(self, **changes: Any) -> bool:
        """Change the given fields; raises ``PartyChanged`` and returns True if any changed."""
        if not self._apply_changes(changes, self.EDITABLE):
            return False
        self._bump(PartyChanged)
        return True

    def archive(self) -> bool:
        """Mark the party inactive (Xero: archived)."""
        return self.edit(active=False)


@dataclass(kw_only=True, eq=False)
class Supplier(Party):
    """A supplier the company buys from (a Xero contact it sends bills for)."""

    KIND: ClassVar[str] = "supplier"
    LABEL: ClassVar[str] = "supplier"


#: Contact people one customer may have here (Xero keeps 5 besides the primary person).
MAX_CONTACT_PEOPLE = 100


def to_contact_people(value: object, field: str = "contact_people") -> tuple[ContactPerson, ...]:
    """Contact people from ``ContactPerson``s or mappings of their fields, in order.

    Raises:
        InvalidValue: naming the person and field at fault, e.g. ``contact_people[2].email``.
    """
    if value is None:
        return ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidValue(field, f"expected a list of people, got {type(value).__name__}")
    people: list[ContactPerson] = []
    for index, person in enumerate(value):
        where = f"{field}[{index}]"
        if isinstance(person, ContactPerson):
            people.append(person)
            continue
        if not isinstance(person, Mapping):
            raise InvalidValue(where, f"expected a person, got {type(person).__name__}")
        try:
            people.append(ContactPerson(**person))
        except InvalidValue as error:
            raise InvalidValue(f"{where}.{error.field}", error.message) from None
        except TypeError as error:
            raise InvalidValue(where, str(error)) from None
    if len(people) > MAX_CONTACT_PEOPLE:
        raise InvalidValue(field, f"at most {MAX_CONTACT_PEOPLE} contact people, got {len(people)}")
    return tuple(people)


@dataclass(kw_only=True, eq=False)
class Customer(Party):
    """A customer organisation the company invoices (a Xero contact).

    ``contact_people`` are its people (Syncro's end users): the first is the Xero
    contact's primary person, the next five its ``ContactPersons``.
    """

    KIND: ClassVar[str] = "customer"
    LABEL: ClassVar[str] = "customer"
    EDITABLE: ClassVar[frozenset[str]] = Party.EDITABLE | {"contact_people"}

    contact_people: tuple[ContactPerson, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        self.contact_people = to_contact_people(self.contact_people)
