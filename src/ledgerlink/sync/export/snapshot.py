"""Everything one pass needs from the store, read in one short transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar
from uuid import UUID

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.catalogue import Account, TaxRate
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.preflight import ReferenceData
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_links import bills_of_orders, links_for
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.xero.outbound.lines import LineDefaults
from ledgerlink.xero.outbound.settings import ExportSettings, export_settings

PAGE = 1000
T = TypeVar("T")


@dataclass
class Snapshot:
    """One company's documents, suppliers, links, states, settings and reference data."""

    company_id: UUID
    settings: ExportSettings
    reference: ReferenceData
    defaults: LineDefaults
    orders: dict[UUID, PurchaseOrder] = field(default_factory=dict)
    bills: dict[UUID, Bill] = field(default_factory=dict)
    suppliers: dict[UUID, Supplier] = field(default_factory=dict)
    links: dict[tuple[str, str], XeroLink] = field(default_factory=dict)
    states: dict[tuple[str, UUID], SyncState] = field(default_factory=dict)
    bills_of_order: dict[UUID, list[UUID]] = field(default_factory=dict)

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


def load_snapshot(
    uow: SqlUnitOfWork,
    clock: Clock,
    company_id: UUID,
    *,
    orders: Iterable[UUID],
    bills: Iterable[UUID],
    suppliers: Iterable[UUID],
) -> Snapshot:
    """Read what a pass over these documents and suppliers needs."""
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
    )
    order_ids = set(orders)
    snapshot.bills_of_order = bills_of_orders(uow.session, company_id, order_ids)
    bill_ids = set(bills) | {b for ids in snapshot.bills_of_order.values() for b in ids}
    snapshot.orders = uow.purchase_orders.get_many(company_id, order_ids)
    snapshot.bills = uow.bills.get_many(company_id, bill_ids)
    supplier_ids = set(suppliers)
    supplier_ids |= {o.supplier_id for o in snapshot.orders.values()}
    supplier_ids |= {b.supplier_id for b in snapshot.bills.values()}
    snapshot.suppliers = uow.suppliers.get_many(company_id, supplier_ids)
    for kind, ids in (
        ("purchase_order", snapshot.orders),
        ("bill", snapshot.bills),
        ("supplier", snapshot.suppliers),
    ):
        for entity_id, link in links_for(uow.session, company_id, kind, ids).items():
            snapshot.links[(kind, entity_id)] = link
    states = SyncStateRepository(uow.session, clock)
    for kind, ids in (
        ("purchase_order", snapshot.orders),
        ("bill", snapshot.bills),
        ("supplier", snapshot.suppliers),
    ):
        for document_id, state in states.get_many(company_id, kind, ids).items():
            snapshot.states[(kind, document_id)] = state
    return snapshot
