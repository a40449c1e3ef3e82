"""Xero contacts as suppliers and customers here."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import xero_client as xc
from ledgerlink.domain.money import Currency
from ledgerlink.domain.parties import ADDRESS_TYPES, Address, Supplier
from ledgerlink.xero.inbound.skips import SkipRecord, required, translated

PARTY_FIELDS = (
    "name",
    "contact_number",
    "email",
    "phone",
    "address",
    "currency",
    "tax_number",
    "active",
)
# The postal address is where bills and remittances go, so it comes first.
_ADDRESS_PREFERENCE = ("POBOX", "STREET", "DELIVERY")
_PHONE_PREFERENCE = ("DEFAULT", "DDI", "MOBILE")
_NOBODY = UUID(int=0)


@dataclass(frozen=True, slots=True)
class ImportedContact:
    """A contact read from Xero: the party's fields and what else Xero holds on it."""

    xero_id: str
    is_supplier: bool
    is_customer: bool
    fields: dict[str, Any]
    details: dict[str, Any]
    updated_at: datetime | None

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    def fits(self, kind: str) -> bool:
        """True when Xero has it as ``kind``, or as neither supplier nor customer yet."""
        if not (self.is_supplier or self.is_customer):
            return True
        return self.is_supplier if kind == "supplier" else self.is_customer


def _address(address: xc.Address) -> Address:
    kind = (address.address_type or "STREET").upper()
    return Address(
        address_type=kind if kind in ADDRESS_TYPES else "STREET",
        line1=address.address_line1 or None,
        line2=address.address_line2 or None,
        line3=address.address_line3 or None,
        line4=address.address_line4 or None,
        city=address.city or None,
        region=address.region or None,
        postal_code=address.postal_code or None,
        country=address.country or None,
        attention_to=address.attention_to or None,
    )


def _main_address(addresses: list[Address]) -> Address | None:
    filled = [address for address in addresses if not address.is_empty]
    for kind in _ADDRESS_PREFERENCE:
        for address in filled:
            if address.address_type == kind:
                return address
    return None


def _phone_text(phone: xc.Phone) -> str | None:
    parts = [phone.phone_country_code, phone.phone_area_code, phone.phone_number]
    text = " ".join(part.strip() for part in parts if part and part.strip())
    return text or None


def _main_phone(phones: tuple[xc.Phone, ...]) -> str | None:
    for kind in _PHONE_PREFERENCE:
        for phone in phones:
            if (phone.phone_type or "").upper() == kind and phone.phone_number:
                return _phone_text(phone)
    return next((_phone_text(p) for p in phones if p.phone_number), None)


def _address_json(address: Address) -> dict[str, Any]:
    return {
        name: getattr(address, name)
        for name in (
            "address_type", "line1", "line2", "line3", "line4", "city", "region",
            "postal_code", "country", "attention_to",
        )
    }  # fmt: skip


def contact_from_xero(contact: xc.Contact) -> ImportedContact:
    """The contact's party fields (checked as a party checks them) and its other details.

    Raises:
        SkipRecord: no id or name, or a value a party refuses (the reason names the field).
    """
    xero_id = required(contact.contact_id, "ContactID").lower()

    def build() -> ImportedContact:
        addresses = [_address(address) for address in contact.addresses]
        status = (contact.contact_status or "ACTIVE").upper()
        currency = contact.default_currency
        party = Supplier(
            company_id=_NOBODY,
            name=required(contact.name, "contact name"),
            contact_number=contact.contact_number or None,
            email=contact.email_address or None,
            phone=_main_phone(contact.phones),
            address=_main_address(addresses),
            currency=Currency(currency, "currency") if currency else None,
            tax_number=contact.tax_number or None,
            active=status == "ACTIVE",
        )
        details = {
            "addresses": [_address_json(a) for a in addresses if not a.is_empty],
            "phones": [
                {"phone_type": p.phone_type, "number": _phone_text(p)}
                for p in contact.phones
                if p.phone_number
            ],
            "account_number": contact.account_number or None,
            "purchases_default_account_code": contact.purchases_default_account_code or None,
            "sales_default_account_code": contact.sales_default_account_code or None,
            "purchases_tax_type": contact.accounts_payable_tax_type or None,
            "sales_tax_type": contact.accounts_receivable_tax_type or None,
            "status": status,
        }
        return ImportedContact(
            xero_id=xero_id,
            is_supplier=bool(contact.is_supplier),
            is_customer=bool(contact.is_customer),
            fields={name: getattr(party, name) for name in PARTY_FIELDS},
            details=details,
            updated_at=contact.updated_date_utc,
        )

    try:
        return translated(build)
    except SkipRecord:
        raise
    except (TypeError, ValueError) as error:
        raise SkipRecord(f"unexpected contact: {error}") from error
