"""Everything one pass needs from the store, read in one short transaction.

The snapshot is plain values (documents and parties by kind, links, sync states,
settings, reference data): the planner reads it without a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from ledgerlink.domain.catalogue import Account, Item, TaxRate
from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Party
from ledgerlink.domain.preflight import ReferenceData
from ledgerlink.domain.stock import StockTake
from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_links import links_for
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS, ITEM_KINDS, PARTY_KINDS, STOCK_KINDS
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings, export_settings

PAGE = 1000
T = TypeVar("T")


@dataclass
class Snapshot:
    """One company's documents and parties (by kind), links, states, settings and
    reference data."""

    company_id: UUID
    settings: ExportSettings
    reference: ReferenceData
    #: What purchase lines without an account or tax type get (orders, bills).
    defaults: LineDefaults
    #: What sales lines without one get (sales invoices, customers' credit notes).
    sales_defaults: LineDefaults = field(default_factory=LineDefaults)
    #: Documents by kind, then by id.
    documents: dict[str, dict[UUID, Document]] = field(default_factory=dict)
    #: Parties by party kind, then by id.
    parties: dict[str, dict[UUID, Party]] = field(default_factory=dict)
    links: dict[tuple[str, str], XeroLink] = field(default_factory=dict)
    states: dict[tuple[str, UUID], SyncState] = field(default_factory=dict)
    #: Items (the ITEMS stage) of the claimed rows and of the documents' lines, by id.
    items: dict[UUID, Item] = field(default_factory=dict)
    #: The documents made from each document: ``(kind, id)`` to its followers' ids.
    followers: dict[tuple[str, UUID], list[UUID]] = field(default_factory=dict)
    #: Stock takes of the claimed rows, by id (their items are among ``items``).
    stock_takes: dict[UUID, StockTake] = field(default_factory=dict)

    def document(self, kind: str, document_id: UUID) -> Document | None:
        return self.documents.get(kind, {}).get(document_id)

    def defaults_for(self, sales: bool) -> LineDefaults:
        """The line defaults of the sales side, or of the purchase side."""
        return self.sales_defaults if sales else self.defaults

    def item_of_code(self, code: str) -> Item | None:
        return next((item for item in self.items.values() if item.code == code), None)

    def party(self, kind: str, party_id: UUID) -> Party | None:
        return self.parties.get(kind, {}).get(party_id)

    def link(self, kind: str, entity_id: UUID) -> XeroLink | None:
        return self.links.get((kind, str(entity_id)))

    def state(self, kind: str, document_id: UUID) -> SyncState:
        found = self.states.get((kind, document_id))
        if found is None:
            found = SyncState(company_id=self.company_id, kind=kind, document_id=document_id)
            self.states[(kind, document_id)] = found
        return found


def _every(page_of: Callable[..., list[T]], company_id: UUID) -> list[T]:
    out: list[T] = []
    offset = 0
    while True:
        page = page_of(company_id, limit=PAGE, offset=offset)
        out.extend(page)
        if len(page) < PAGE:
            return out
        offset += PAGE


def _empty(uow: SqlUnitOfWork, clock: Clock, company_id: UUID) -> tuple[Snapshot, list[Item]]:
    company = uow.companies.get(company_id)
    if company is None:
        raise LookupError(f"company {company_id} no longer exists")
    settings = export_settings(
        company.settings.rounding, company.settings.line_amount_type, company.settings.options
    )
    accounts: dict[str, Account] = {a.code: a for a in _every(uow.accounts.list, company_id)}
    tax_rates: dict[str, TaxRate] = {t.tax_type: t for t in _every(uow.tax_rates.list, company_id)}
    items = _every(uow.items.list, company_id)
    snapshot = Snapshot(
        company_id=company_id,
        settings=settings,
        reference=ReferenceData(accounts=accounts, tax_rates=tax_rates),
        defaults=LineDefaults(
            account_code=settings.default_account_code,
            tax_type=settings.default_tax_type,
            item_accounts={
                item.code: item.purchase_account_code
                for item in items
                if item.purchase_account_code
            },
        ),
        sales_defaults=LineDefaults(
            tax_type=settings.default_sales_tax_type,
            item_accounts={
                item.code: item.sales_account_code for item in items if item.sales_account_code
            },
            **_category_defaults(uow, company_id, settings, items),
        ),
    )
    return snapshot, items


def _category_defaults(
    uow: SqlUnitOfWork, company_id: UUID, settings: ExportSettings, items: list[Item]
) -> dict[str, Any]:
    """What sales lines need to carry their products' categories as a tracking option."""
    tracking = settings.product_category_tracking
    if tracking is None:
        return {}
    category = next(
        (
            c
            for c in _every(uow.tracking_categories.list, company_id)
            if c.active and c.name.casefold() == tracking.casefold()
        ),
        None,
    )
    options = (
        None
        if category is None
        else {o.name.casefold(): o.name for o in category.options if o.status == "ACTIVE"}
    )
    return {
        "category_tracking": category.name if category is not None else tracking,
        "item_categories": {item.code: item.category for item in items if item.category},
        "category_options": options,
    }


def load_snapshot(
    uow: SqlUnitOfWork, clock: Clock, company_id: UUID, wanted: Mapping[str, Iterable[UUID]]
) -> Snapshot:
    """Read what a pass over ``wanted`` (record ids by kind) needs: those records, the
    documents that follow them, the parties all of them reference, their links and states."""
    snapshot, items = _empty(uow, clock, company_id)
    ids = {kind: set(wanted.get(kind, ())) for kind in (*DOCUMENT_KINDS, *PARTY_KINDS)}
    for kind, rules in ((k, d.rules) for k, d in DOCUMENT_KINDS.items()):
        if rules.followers is None:
            continue
        followers = DOCUMENT_KINDS[kind].load_followers(uow, company_id, ids[kind])
        for leader, following in followers.items():
            snapshot.followers[(kind, leader)] = following
            ids[rules.followers].update(following)
    for kind, documents in DOCUMENT_KINDS.items():
        snapshot.documents[kind] = dict(documents.load(uow, company_id, ids[kind]))
        for document in snapshot.documents[kind].values():
            party = documents.party_of(document)
            if party is not None:
                ids[party[0]].add(party[1])
    for kind, parties in PARTY_KINDS.items():
        snapshot.parties[kind] = dict(parties.load(uow, company_id, ids[kind]))
    codes = {
        line.item_code
        for documents in snapshot.documents.values()
        for document in documents.values()
        for line in document.lines
        if line.item_code
    }
    for kind, takes in STOCK_KINDS.items():
        snapshot.stock_takes.update(takes.load(uow, company_id, wanted.get(kind, ())))
    item_ids = {i for kind in ITEM_KINDS for i in wanted.get(kind, ())}
    item_ids |= {take.item_id for take in snapshot.stock_takes.values()}
    snapshot.items = {i.id: i for i in items if i.id in item_ids or i.code in codes}
    records: dict[str, Mapping[UUID, object]] = {
        **snapshot.documents,
        **snapshot.parties,
        **{kind: snapshot.items for kind in ITEM_KINDS},
        **{kind: snapshot.stock_takes for kind in STOCK_KINDS},
    }
    states = SyncStateRepository(uow.session, clock)
    for kind, found in records.items():
        for entity_id, link in links_for(uow.session, company_id, kind, found).items():
            snapshot.links[(kind, entity_id)] = link
    for kind, found in records.items():
        for document_id, state in states.get_many(company_id, kind, found).items():
            snapshot.states[(kind, document_id)] = state
    return snapshot
