"""Reading reference data from Xero, page by page where Xero pages it."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ledgerlink.sync.imports.kinds import ImportKind
from xero_client import FatalError, XeroClient, parse_datetime

BROWSE_PAGE_SIZE = 100
# Xero's largest page: 10,000 contacts in 10 calls instead of 100.
BULK_PAGE_SIZE = 1000
# Contacts asked for by id per call (the IDs list travels in the query string).
IDS_PER_CALL = 50

_PATHS = {
    ImportKind.ACCOUNTS: ("/Accounts", "Accounts"),
    ImportKind.TAX_RATES: ("/TaxRates", "TaxRates"),
    ImportKind.TRACKING_CATEGORIES: ("/TrackingCategories", "TrackingCategories"),
    ImportKind.ITEMS: ("/Items", "Items"),
}


def contact_filter(kind: ImportKind) -> str:
    """Xero ``where`` for the contacts that are ``kind``, or neither supplier nor customer."""
    if kind is ImportKind.SUPPLIERS:
        return "IsSupplier==true OR IsCustomer==false"
    return "IsCustomer==true OR IsSupplier==false"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of raw records and what Xero said about the whole list."""

    records: list[Any]
    page_size: int
    item_count: int | None = None
    # Xero's clock when it answered: the next refresh asks for what changed since.
    served_at: datetime | None = None

    @property
    def has_more(self) -> bool:
        return len(self.records) >= self.page_size


def _served_at(body: Any) -> datetime | None:
    value = body.get("DateTimeUTC") if isinstance(body, Mapping) else None
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def _records(body: Any, collection: str, endpoint: str) -> list[Any]:
    if not isinstance(body, Mapping) or not isinstance(body.get(collection), list):
        raise FatalError(f"Xero's answer has no {collection} list", endpoint=endpoint)
    return list(body[collection])


async def read_contacts(
    client: XeroClient,
    *,
    page: int,
    page_size: int,
    where: str | None = None,
    search: str | None = None,
    modified_since: datetime | None = None,
    ids: Sequence[str] = (),
) -> Page:
    """One page of contacts, archived ones included (an archive must reach us too)."""
    params: dict[str, str | int | bool] = {
        "page": page,
        "pageSize": page_size,
        "includeArchived": True,
    }
    if where:
        params["where"] = where
    if search:
        params["searchTerm"] = search
    if ids:
        params["IDs"] = ",".join(ids)
    body = await client.request("GET", "/Contacts", params=params, modified_since=modified_since)
    records = _records(body, "Contacts", "GET /Contacts")
    pagination = body.get("pagination") if isinstance(body, Mapping) else None
    count = pagination.get("itemCount") if isinstance(pagination, Mapping) else None
    return Page(records, page_size, count if isinstance(count, int) else None, _served_at(body))


async def read_all(
    client: XeroClient, kind: ImportKind, *, modified_since: datetime | None = None
) -> Page:
    """Every account, tax rate, tracking category or item (Xero does not page these)."""
    path, collection = _PATHS[kind]
    params: dict[str, str | int | bool] = {}
    if kind is ImportKind.TRACKING_CATEGORIES:
        params["includeArchived"] = True
    if kind is ImportKind.ITEMS:
        params["unitdp"] = 4  # prices exactly as entered, not rounded to cents
    if not kind.incremental:
        modified_since = None
    body = await client.request("GET", path, params=params, modified_since=modified_since)
    records = _records(body, collection, f"GET {path}")
    return Page(records, len(records), len(records), _served_at(body))
