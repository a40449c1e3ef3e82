"""Suppliers as Xero contacts."""

from __future__ import annotations

from ledgerlink.domain.parties import Party
from xero_client import Address, Contact, Phone


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
