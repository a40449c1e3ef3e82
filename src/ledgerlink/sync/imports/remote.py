"""Browsing what is in Xero before importing it: a page at a time, marked imported or not."""

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from sqlalchemy import select

from ledgerlink.domain.limits import storable_text
from ledgerlink.store.repositories.import_jobs import linked_records
from ledgerlink.store.tables import accounts, tax_rates, tracking_categories
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.imports.fetch import BROWSE_PAGE_SIZE, contact_filter, read_all, read_contacts
from ledgerlink.sync.imports.kinds import ImportKind
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.sync.imports.records import identity, searchable, translate
from ledgerlink.xero.inbound import SkipRecord
from xero_client import XeroClient

UowFactory = Callable[[], SqlUnitOfWork]
_DETAIL_KEYS = (
    "Code", "Type", "Class", "Status", "ContactStatus", "ContactNumber", "EmailAddress",
    "IsSupplier", "IsCustomer", "TaxType", "EffectiveRate", "Description",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RemoteRecord:
    """One record in Xero: whether it is here (``local_id``) and why it would be skipped."""

    xero_id: str | None
    name: str | None
    imported: bool
    local_id: str | None = None
    skip_reason: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemotePage:
    """A page of what Xero holds; ``has_more`` offers "load more"."""

    kind: ImportKind
    page: int
    page_size: int
    records: list[RemoteRecord]
    has_more: bool
    total: int | None


def _detail(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    return {
        key: storable_text(value) if isinstance(value, str) else value
        for key, value in ((key, raw.get(key)) for key in _DETAIL_KEYS)
        if value not in (None, "")
    }


def _skip_reason(kind: ImportKind, raw: Any) -> str | None:
    try:
        translate(kind, raw)
    except SkipRecord as skip:
        return skip.reason
    return None


def _local_ids(
    uow: SqlUnitOfWork, company_id: UUID, kind: ImportKind, ids: list[str]
) -> dict[str, str]:
    """Xero id → key here, for reference data kept without links (accounts, tax, tracking)."""
    if kind is ImportKind.TAX_RATES:
        rows = uow.session.execute(
            select(tax_rates.c.tax_type).where(
                tax_rates.c.company_id == company_id, tax_rates.c.tax_type.in_(ids)
            )
        )
        return {tax_type: tax_type for (tax_type,) in rows}
    table, key = (
        (accounts, accounts.c.code)
        if kind is ImportKind.ACCOUNTS
        else (tracking_categories, tracking_categories.c.name)
    )
    wanted: dict[UUID, str] = {}
    for ident in ids:
        with suppress(ValueError):
            wanted[UUID(ident)] = ident
    rows = uow.session.execute(
        select(table.c.xero_id, key).where(
            table.c.company_id == company_id, table.c.xero_id.in_(list(wanted))
        )
    )
    return {wanted[xero_id]: local for xero_id, local in rows}


def _here(
    uow_factory: UowFactory, company_id: UUID, kind: ImportKind, ids: list[str]
) -> dict[str, str]:
    """Which of the records ``ids`` of ``kind`` are here: Xero id → local id."""
    with uow_factory() as uow:
        if kind.is_party or kind is ImportKind.ITEMS:
            link_kind = kind.party_kind if kind.is_party else "item"
            return linked_records(uow.session, company_id, link_kind, ids)
        return _local_ids(uow, company_id, kind, ids)


async def browse(
    uow_factory: UowFactory,
    client: XeroClient,
    company_id: UUID,
    kind: ImportKind,
    *,
    page: int = 1,
    search: str | None = None,
) -> RemotePage:
    """Page ``page`` (100 records) of ``kind`` in Xero, optionally matching ``search``."""
    search = search.strip() if search and search.strip() else None
    total: int | None
    if kind.is_party:
        answer = await read_contacts(
            client,
            page=page,
            page_size=BROWSE_PAGE_SIZE,
            where=contact_filter(kind),
            search=search,
        )
        records, has_more, total = answer.records, answer.has_more, answer.item_count
    else:
        everything = (await read_all(client, kind)).records
        if search:
            everything = [r for r in everything if search.casefold() in searchable(r)]
        start = (page - 1) * BROWSE_PAGE_SIZE
        records = everything[start : start + BROWSE_PAGE_SIZE]
        has_more, total = start + BROWSE_PAGE_SIZE < len(everything), len(everything)
    ids = [ident for ident, _ in (identity(kind, record) for record in records) if ident]
    here = await in_thread(_here, uow_factory, company_id, kind, ids)
    marked = []
    for record in records:
        ident, name = identity(kind, record)
        local = here.get(ident) if ident else None
        marked.append(
            RemoteRecord(
                xero_id=ident,
                name=name,
                imported=local is not None,
                local_id=local,
                skip_reason=_skip_reason(kind, record),
                detail=_detail(record),
            )
        )
    return RemotePage(kind, page, BROWSE_PAGE_SIZE, marked, has_more, total)
