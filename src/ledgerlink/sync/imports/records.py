"""One raw record from Xero: who it is, and what it becomes here."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import xero_client as xc
from ledgerlink.domain.catalogue import (
    MAX_ACTIVE_TRACKING_CATEGORIES,
    Account,
    TaxRate,
    TrackingCategory,
)
from ledgerlink.domain.limits import storable_text, text_problem
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
    name = storable_text(name) if name is not None else None
    if not isinstance(ident, str):
        return None, name
    ident = storable_text(ident)
    return (ident if kind is ImportKind.TAX_RATES else ident.lower()), name


def unstorable_text(raw: Any, path: str = "") -> str | None:
    """Where ``raw`` holds text that cannot be stored (NUL, lone surrogate), and why."""
    if isinstance(raw, str):
        problem = text_problem(raw)
        return f"{path or 'record'}: {problem}" if problem else None
    if isinstance(raw, Mapping):
        items: Any = ((f"{path}.{key}" if path else str(key), value) for key, value in raw.items())
    elif isinstance(raw, list | tuple):
        items = ((f"{path}[{index}]", value) for index, value in enumerate(raw))
    else:
        return None
    for where, value in items:
        found = unstorable_text(value, storable_text(where))
        if found is not None:
            return found
    return None


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
    unstorable = unstorable_text(raw)
    if unstorable is not None:
        raise SkipRecord(f"Xero sent text that cannot be kept here, {unstorable}; fix it in Xero")
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


OVER_LIMIT = (
    f"Xero allows at most {MAX_ACTIVE_TRACKING_CATEGORIES} active tracking categories; "
    "archive one in Xero to use this one"
)


def within_active_limit(records: list[Any]) -> tuple[list[Any], list[Any]]:
    """Tracking categories in Xero's order, split into those kept and those over the limit
    of active ones (Xero itself refuses a third; an answer with more is not trusted)."""
    kept: list[Any] = []
    over: list[Any] = []
    active = 0
    for record in records:
        is_active = not isinstance(record, dict) or record.get("Status", "ACTIVE") == "ACTIVE"
        if is_active:
            active += 1
            if active > MAX_ACTIVE_TRACKING_CATEGORIES:
                over.append(record)
                continue
        kept.append(record)
    return kept, over
