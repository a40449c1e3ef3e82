"""Writing what was read from Xero: an upsert per record, keyed by its Xero id.

Nothing written here raises an event for the outbox: an imported record came from Xero
and must not be sent back. A record whose data is what we already hold is left alone
(no version bump), so importing twice changes nothing.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar
from uuid import UUID

from sqlalchemy import func, select

from ledgerlink.domain.catalogue import Account, Item, ReferenceStatus, TaxRate, TrackingCategory
from ledgerlink.domain.parties import Customer, Party, Supplier
from ledgerlink.store.repositories.import_jobs import (
    ContactDetailsRepository,
    add_new_contact_details,
    add_new_links,
)
from ledgerlink.store.repositories.reference import ReferenceRepository
from ledgerlink.store.tables import items as items_table
from ledgerlink.store.tables import xero_links
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.xero.inbound import ImportedContact, ImportedItem, SkipRecord

Outcome = Literal["created", "updated", "unchanged"]
ALL_ROWS = 1000


@dataclass
class ImportTarget:
    """Where records land: one unit of work of one company bound to one Xero organisation."""

    uow: SqlUnitOfWork
    company_id: UUID
    tenant_id: str
    now: datetime
    # Lower-case party names already here, when the caller looked them up for a batch.
    names_here: set[str] | None = None
    # Contact details of the batch's linked parties, when the caller read them at once.
    details_here: dict[UUID, dict[str, Any]] | None = None
    details: ContactDetailsRepository = field(init=False)
    # Rows for records created in this batch, inserted together by `flush`.
    new_links: list[dict[str, Any]] = field(default_factory=list)
    new_details: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.details = ContactDetailsRepository(self.uow.session)

    def link_new(self, kind: str, record: Party | Item, xero_id: str) -> None:
        """Link a record created in this batch; Xero already holds its version."""
        self.new_links.append(
            {
                "company_id": self.company_id,
                "kind": kind,
                "entity_id": str(record.id),
                "tenant_id": self.tenant_id,
                "xero_id": xero_id.lower(),
                "xero_number": None,
                "synced_version": record.version,
                "updated_at": self.now,
            }
        )

    def flush(self) -> None:
        """Write the links and contact details of the records created in this batch."""
        add_new_links(self.uow.session, self.new_links)
        add_new_contact_details(self.uow.session, self.new_details)
        self.new_links.clear()
        self.new_details.clear()


#: The reference values kept under a natural key that Xero lets a person change.
Renamable = TypeVar("Renamable", Account, TrackingCategory)


def _every(target: ImportTarget, repo: ReferenceRepository[Renamable]) -> list[Renamable]:
    found: list[Renamable] = []
    while True:
        page = repo.list(target.company_id, limit=ALL_ROWS, offset=len(found))
        found.extend(page)
        if len(page) < ALL_ROWS:
            return found


def _write_renamable(
    target: ImportTarget,
    repo: ReferenceRepository[Renamable],
    value: Renamable,
    key: Callable[[Renamable], str],
) -> Outcome:
    """Add or replace ``value`` under its key; the one kept under its old key is retired."""
    existing = repo.get(target.company_id, key(value))
    if existing == value:
        return "unchanged"
    for other in _every(target, repo):
        if other.xero_id == value.xero_id and key(other) != key(value) and other.active:
            repo.save(target.company_id, dataclasses.replace(other, status=ReferenceStatus.DELETED))
    repo.save(target.company_id, value)
    return "created" if existing is None else "updated"


def _retire_gone(
    target: ImportTarget, repo: ReferenceRepository[Renamable], present: set[str]
) -> int:
    """Retire the values Xero no longer lists; returns how many."""
    retired = 0
    for value in _every(target, repo):
        gone = value.xero_id is not None and str(value.xero_id) not in present
        if gone and value.status is not ReferenceStatus.DELETED:
            repo.save(target.company_id, dataclasses.replace(value, status=ReferenceStatus.DELETED))
            retired += 1
    return retired


def write_account(target: ImportTarget, account: Account) -> Outcome:
    """Add or replace the account under its code; one whose code changed in Xero is retired."""
    return _write_renamable(target, target.uow.accounts, account, key=lambda a: a.code)


def write_tax_rate(target: ImportTarget, rate: TaxRate) -> Outcome:
    repo = target.uow.tax_rates
    existing = repo.get(target.company_id, rate.tax_type)
    if existing == rate:
        return "unchanged"
    repo.save(target.company_id, rate)
    return "created" if existing is None else "updated"


def write_tracking_category(target: ImportTarget, category: TrackingCategory) -> Outcome:
    """Add or replace the category under its name; one renamed in Xero is retired."""
    return _write_renamable(target, target.uow.tracking_categories, category, key=lambda c: c.name)


def retire_missing(target: ImportTarget, kind: str, present: set[str]) -> int:
    """Mark inactive what Xero no longer lists (never deleted: documents may use it).

    ``present`` holds the Xero ids (tax types for tax rates) Xero listed in a full read;
    items are retired through their links.
    Returns how many records were retired.
    """
    retired = 0
    company_id = target.company_id
    uow = target.uow
    if kind == "accounts":
        retired = _retire_gone(target, uow.accounts, present)
    elif kind == "tax-rates":
        for rate in uow.tax_rates.list(company_id, limit=ALL_ROWS):
            if rate.tax_type not in present and rate.status is not ReferenceStatus.DELETED:
                uow.tax_rates.save(
                    company_id, dataclasses.replace(rate, status=ReferenceStatus.DELETED)
                )
                retired += 1
    elif kind == "tracking-categories":
        retired = _retire_gone(target, uow.tracking_categories, present)
    elif kind == "items":
        retired = _retire_items(target, present)
    return retired


def _retire_items(target: ImportTarget, present: set[str]) -> int:
    """Items linked to Xero items Xero no longer lists become inactive (no event: from Xero)."""
    retired = 0
    rows = target.uow.session.execute(
        select(xero_links.c.entity_id, xero_links.c.xero_id).where(
            xero_links.c.company_id == target.company_id, xero_links.c.kind == "item"
        )
    )
    for entity_id, xero_id in list(rows):
        if xero_id in present:
            continue
        item = target.uow.items.get(target.company_id, UUID(entity_id))
        if item is not None and item.active:
            item.edit(active=False)
            item.pull_events()
            _link(target, "item", item, xero_id)
            retired += 1
    return retired


def _link(target: ImportTarget, kind: str, record: Party | Item, xero_id: str) -> None:
    link = target.uow.xero_links.get(target.company_id, kind, record.id)
    if link is not None and link.xero_id == xero_id and link.synced_version == record.version:
        return
    # Xero already holds this version: nothing is waiting to be sent.
    target.uow.xero_links.upsert(
        target.company_id,
        kind,
        record.id,
        tenant_id=target.tenant_id,
        xero_id=xero_id,
        synced_version=record.version,
    )


def _unlinked(target: ImportTarget, kind: str, record: Party | Item | None) -> bool:
    return (
        record is not None and target.uow.xero_links.get(target.company_id, kind, record.id) is None
    )


def write_party(
    target: ImportTarget, kind: str, contact: ImportedContact, linked_id: str | None
) -> Outcome:
    """Upsert a supplier or customer from a Xero contact, with no event for the outbox.

    Matched by its Xero link, else by name (Xero's contact names are unique) when the
    party here is not linked to another contact.
    """
    uow = target.uow
    repo = uow.suppliers if kind == "supplier" else uow.customers
    party: Party | None = repo.get(target.company_id, UUID(linked_id)) if linked_id else None
    known = target.names_here is None or contact.name.strip().lower() in target.names_here
    if party is None and known:
        candidate = repo.get_by_name(target.company_id, contact.name)
        party = candidate if _unlinked(target, kind, candidate) else None
    outcome: Outcome
    if party is None:
        party_type: type[Party] = Supplier if kind == "supplier" else Customer
        party = party_type(company_id=target.company_id, **contact.fields)
        repo.add(party)  # type: ignore[arg-type]
        outcome = "created"
    else:
        changes = {k: v for k, v in contact.fields.items() if getattr(party, k) != v}
        outcome = "updated" if changes else "unchanged"
        if "name" in changes:
            repo.check_name_free(dataclasses.replace(party, name=changes["name"]))
        if changes:
            party.edit(**changes)
            party.pull_events()  # from Xero: nothing to send back
    if outcome == "created":
        target.new_details.append(
            {
                "company_id": target.company_id,
                "kind": kind,
                "party_id": party.id,
                "details": contact.details,
            }
        )
        target.link_new(kind, party, contact.xero_id)
        return outcome
    held = target.details_here
    if target.details.save(target.company_id, kind, party.id, contact.details, known=held):
        outcome = "updated" if outcome == "unchanged" else outcome
    if outcome != "unchanged" or linked_id != str(party.id):
        _link(target, kind, party, contact.xero_id)
    return outcome


def _item_named(target: ImportTarget, name: str) -> Item | None:
    item_id = target.uow.session.execute(
        select(items_table.c.id)
        .where(
            items_table.c.company_id == target.company_id,
            func.lower(items_table.c.name) == name.strip().lower(),
        )
        .order_by(items_table.c.id)
        .limit(1)
    ).scalar_one_or_none()
    return None if item_id is None else target.uow.items.get(target.company_id, item_id)


def write_item(target: ImportTarget, imported: ImportedItem, linked_id: str | None) -> Outcome:
    """Upsert an item: matched by its Xero link, then code, then name; Xero's data wins.

    Raises:
        SkipRecord: Xero's code for it is used here by another item.
    """
    uow, company_id = target.uow, target.company_id
    item = uow.items.get(company_id, UUID(linked_id)) if linked_id else None
    if item is None:
        by_code = uow.items.get_by_code(company_id, imported.code)
        item = by_code if _unlinked(target, "item", by_code) else None
    if item is None:
        by_name = _item_named(target, imported.name)
        item = by_name if _unlinked(target, "item", by_name) else None
    outcome: Outcome
    if item is None:
        if uow.items.get_by_code(company_id, imported.code) is not None:
            raise SkipRecord(f"code {imported.code} is used here by an item linked elsewhere")
        item = Item(company_id=company_id, **imported.fields)
        uow.items.add(item)
        outcome = "created"
    else:
        changes = {k: v for k, v in imported.fields.items() if getattr(item, k) != v}
        taken = uow.items.get_by_code(company_id, imported.code) if "code" in changes else None
        if taken is not None and taken.id != item.id:
            raise SkipRecord(f"code {imported.code} is used here by another item")
        outcome = "updated" if changes else "unchanged"
        if changes:
            item.edit(**changes)
            item.pull_events()  # from Xero: nothing to send back
    if outcome == "created":
        target.link_new("item", item, imported.xero_id)
    elif outcome != "unchanged" or linked_id != str(item.id):
        _link(target, "item", item, imported.xero_id)
    return outcome
