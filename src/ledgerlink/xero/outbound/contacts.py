"""Suppliers and customers as Xero contacts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ledgerlink.domain.parties import ContactPerson, Customer, Party
from xero_client import Address, Contact, Phone
from xero_client import ContactPerson as XeroContactPerson

#: Xero keeps this many contact persons besides the primary person (FirstName/LastName).
MAX_CONTACT_PERSONS = 5


def contact_of(party: Party, *, contact_id: str | None = None) -> Contact:
    """A supplier or customer as a Xero contact (with ``contact_id`` when it exists there)."""
    address = party.address
    addresses: tuple[Address, ...] = ()
    if address is not None and not address.is_empty:
        addresses = (
            Address(
                address_type="POBOX" if address.address_type == "POBOX" else "STREET",
                address_line1=address.line1,
                address_line2=address.line2,
                address_line3=address.line3,
                address_line4=address.line4,
                city=address.city,
                region=address.region,
                postal_code=address.postal_code,
                country=address.country,
                attention_to=address.attention_to,
            ),
        )
    phones = (Phone(phone_type="DEFAULT", phone_number=party.phone),) if party.phone else ()
    return Contact(
        contact_id=contact_id,
        name=party.name,
        contact_number=party.contact_number,
        email_address=party.email,
        tax_number=party.tax_number,
        default_currency=party.currency,
        is_supplier=True if party.KIND == "supplier" else None,
        addresses=addresses,
        phones=phones,
    )


@dataclass(frozen=True)
class CustomerContact:
    """A customer as a Xero contact, and the contact people Xero had no room for."""

    contact: Contact
    left_out: tuple[ContactPerson, ...] = ()

    @property
    def note(self) -> str | None:
        """What the sync log says about the people left out, or None when none were."""
        if not self.left_out:
            return None
        names = ", ".join(_full_name(person) for person in self.left_out)
        return (
            f"Xero keeps at most {MAX_CONTACT_PERSONS} contact persons besides the primary "
            f"person; not sent to Xero: {names}"
        )


def _full_name(person: ContactPerson) -> str:
    return " ".join(part for part in (person.first_name, person.last_name) if part)


def _xero_person(person: ContactPerson) -> XeroContactPerson:
    return XeroContactPerson(
        first_name=person.first_name,
        last_name=person.last_name,
        email_address=person.email,
        include_in_emails=person.include_in_emails,
    )


def customer_json(
    customer: Customer,
    *,
    people: Sequence[ContactPerson] = (),
    contact_id: str | None = None,
) -> CustomerContact:
    """The customer as a Xero contact (``IsCustomer``; inactive here → ``ARCHIVED``).

    The first of ``people`` is the primary person (the contact's ``FirstName``,
    ``LastName`` and, when the customer has no email, ``EmailAddress``); the next
    ``MAX_CONTACT_PERSONS`` become ``ContactPersons``; the rest are returned in
    ``left_out`` so the sync log can name them.
    """
    contact = replace(
        contact_of(customer, contact_id=contact_id),
        is_customer=True,
        contact_status="ACTIVE" if customer.active else "ARCHIVED",
    )
    if contact_id is not None and len(people) <= 1:
        # An update names the contact persons Xero is to keep: none, when none are left
        # here (an empty list would otherwise be left out and Xero keep the old ones).
        contact = replace(contact, extra={**contact.extra, "ContactPersons": []})
    if not people:
        return CustomerContact(contact)
    primary, *others = people
    kept, left_out = others[:MAX_CONTACT_PERSONS], others[MAX_CONTACT_PERSONS:]
    contact = replace(
        contact,
        first_name=primary.first_name,
        last_name=primary.last_name,
        email_address=contact.email_address or primary.email,
        contact_persons=tuple(_xero_person(person) for person in kept),
    )
    return CustomerContact(contact, tuple(left_out))
