"""One raw record from Xero: who it is, and what it becomes here."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import xero_client as xc
from ledgerlink.domain.catalogue import Account, TaxRate, TrackingCategory
from ledgerlink.sync.imports.kinds import ImportKind
from ledgerlink.xero.inbound import (
    ImportedContact,
    ImportedItem,
    SkipRecord,
    account_from_xero,
    contact_from_xero,
    item_from_xero,
    tax_rate_from_xero,
    tracking_category_from_xero,
)

Translated = Account | TaxRate | TrackingCategory | ImportedItem | ImportedContact

_ID_KEYS = {
    ImportKind.ACCOUNTS: "AccountID",
    ImportKind.TAX_RATES: "TaxType",
    ImportKind.TRACKING_CATEGORIES: "TrackingCategoryID",
    ImportKind.ITEMS: "ItemID",
    ImportKind.SUPPLIERS: "ContactID",
    ImportKind.CUSTOMERS: "ContactID",
}
_NAME_KEYS = ("Name", "Code", "TaxType")


def identity(kind: ImportKind, raw: Any) -> tuple[str | None, str | None]:
    """The record's Xero id (its tax type for a tax rate) and a name to show for it."""
    if not isinstance(raw, Mapping):
        return None, None
    ident = raw.get(_ID_KEYS[kind])
    name = next((raw[key] for key in _NAME_KEYS if isinstance(raw.get(key), str)), None)
    if not isinstance(ident, str):
        return None, name
    return (ident if kind is ImportKind.TAX_RATES else ident.lower()), name


def searchable(raw: Any) -> str:
    """The text a search matches against: name and code."""
    if not isinstance(raw, Mapping):
        return ""
    return " ".join(str(raw.get(key) or "") for key in ("Name", "Code", "TaxType")).casefold()


def translate(kind: ImportKind, raw: Any) -> Translated:
    """What the raw record becomes here.

    Raises:
        SkipRecord: it is not imported; the reason says why.
    """
    if not isinstance(raw, Mapping):
        raise SkipRecord(f"Xero sent {type(raw).__name__} where a record was expected")
    if kind is ImportKind.ACCOUNTS:
        return account_from_xero(xc.Account.from_xero(raw))
    if kind is ImportKind.TAX_RATES:
        return tax_rate_from_xero(xc.TaxRate.from_xero(raw))
    if kind is ImportKind.TRACKING_CATEGORIES:
        return tracking_category_from_xero(xc.TrackingCategory.from_xero(raw))
    if kind is ImportKind.ITEMS:
        return item_from_xero(xc.Item.from_xero(raw))
    return contact_from_xero(xc.Contact.from_xero(raw))


def updated_at(raw: Any) -> datetime | None:
    """When Xero last changed the record (``UpdatedDateUTC``), if it says."""
    value = raw.get("UpdatedDateUTC") if isinstance(raw, Mapping) else None
    if not isinstance(value, str):
        return None
    try:
        return xc.parse_datetime(value)
    except ValueError:
        return None
