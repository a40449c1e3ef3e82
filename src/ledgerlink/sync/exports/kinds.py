"""What a one-time export sends: every customer as a Xero contact, or every product as a
Xero item. Each kind matches what Xero already holds before creating anything."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

from ledgerlink.domain.catalogue import Item
from ledgerlink.domain.errors import InvalidValue
from ledgerlink.domain.parties import Customer
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.contacts import create_contacts
from ledgerlink.sync.export.item_kinds import Items
from ledgerlink.xero.outbound.contacts import customer_json
from xero_client import XeroClient

#: Xero contacts read per call while matching (Xero's most).
CONTACT_PAGE_SIZE = 1000


class ExportKindName(enum.StrEnum):
    CUSTOMERS = "customers"
    PRODUCTS = "products"


Record = Customer | Item


@dataclass
class Sent:
    """What became of one batch in Xero: the records linked to what Xero had (and how they
    matched), those created, those refused (with Xero's words and the fix) and the API
    calls it took."""

    linked: dict[UUID, tuple[str, str]] = field(default_factory=dict)
    created: dict[UUID, str] = field(default_factory=dict)
    refused: dict[UUID, tuple[str, str | None]] = field(default_factory=dict)
    calls: int = 0


class ExportKind(Protocol):
    """One kind of record a one-time export sends."""

    name: ExportKindName
    #: The kind of record here (its links and sync states): "customer" or "item".
    record_kind: str
    label: str
    #: What Xero calls the record: "contact" or "item".
    xero_label: str

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Sequence[UUID]
    ) -> Mapping[UUID, Record]: ...

    def describe(self, record: Record) -> str:
        """The record as a person names it (a customer's name, a product's code)."""
        ...

    def note(self, record: Record) -> str | None:
        """What of the record Xero has no room for, or None."""
        ...

    async def prepare(self, client: XeroClient) -> int:
        """Read what matching needs from Xero; the API calls it took."""
        ...

    async def send(self, client: XeroClient, records: Sequence[Record], key: str) -> Sent:
        """Link the records Xero already holds, create the others (50 a call)."""
        ...


class CustomerExport:
    """Customers as Xero contacts, matched by contact number or name (any letter case)."""

    name = ExportKindName.CUSTOMERS
    record_kind = "customer"
    label = "customer"
    xero_label = "contact"

    def __init__(self) -> None:
        self._by_number: dict[str, str] = {}
        self._by_name: dict[str, str] = {}

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Sequence[UUID]
    ) -> Mapping[UUID, Record]:
        return uow.customers.get_many(company_id, ids)

    def describe(self, record: Record) -> str:
        return record.name

    def note(self, record: Record) -> str | None:
        assert isinstance(record, Customer)
        return customer_json(record, people=record.contact_people).note

    async def prepare(self, client: XeroClient) -> int:
        calls = 0
        count = 0
        async for contact in client.iter_contacts(page_size=CONTACT_PAGE_SIZE):
            count += 1
            if contact.contact_id is None:
                continue
            if contact.contact_number:
                self._by_number.setdefault(contact.contact_number.strip(), contact.contact_id)
            if contact.name:
                self._by_name.setdefault(contact.name.strip().casefold(), contact.contact_id)
        calls = count // CONTACT_PAGE_SIZE + 1
        return calls

    def _match(self, customer: Customer) -> tuple[str, str] | None:
        number = (customer.contact_number or "").strip()
        if number and number in self._by_number:
            return self._by_number[number], f"matched by contact number {number}"
        name = customer.name.strip().casefold()
        if name in self._by_name:
            return self._by_name[name], "matched by name"
        return None

    async def send(self, client: XeroClient, records: Sequence[Record], key: str) -> Sent:
        sent = Sent()
        new: list[Customer] = []
        for record in records:
            assert isinstance(record, Customer)
            found = self._match(record)
            if found is None:
                new.append(record)
            else:
                sent.linked[record.id] = found
        if not new:
            return sent
        contacts = [customer_json(c, people=c.contact_people).contact for c in new]
        made = await create_contacts(client, new, contacts, key)
        sent.calls += 1 + len(made.matched_by_name)
        for customer in new:
            contact_id = made.contact_ids.get(customer.id)
            if contact_id is not None and customer.id in made.matched_by_name:
                sent.linked[customer.id] = (contact_id, "matched by name")
            elif contact_id is not None:
                sent.created[customer.id] = contact_id
                self._by_name.setdefault(customer.name.strip().casefold(), contact_id)
            elif customer.id in made.refused:
                sent.refused[customer.id] = ("; ".join(made.refused[customer.id]), None)
            else:
                reason = made.unsent.get(customer.id, "Xero gave no answer for it")
                sent.refused[customer.id] = (
                    f"not created: {reason}",
                    "run the export again; customers already in Xero are not sent twice",
                )
        return sent


class ProductExport:
    """Products as Xero items, matched by code."""

    name = ExportKindName.PRODUCTS
    record_kind = "item"
    label = "product"
    xero_label = "item"

    def __init__(self) -> None:
        self._items = Items()

    def load(
        self, uow: SqlUnitOfWork, company_id: UUID, ids: Sequence[UUID]
    ) -> Mapping[UUID, Record]:
        return uow.items.get_many(company_id, ids)

    def describe(self, record: Record) -> str:
        assert isinstance(record, Item)
        return f"{record.code} ({record.name})"

    def note(self, record: Record) -> str | None:
        return None

    async def prepare(self, client: XeroClient) -> int:
        return 0

    async def send(self, client: XeroClient, records: Sequence[Record], key: str) -> Sent:
        sent = Sent()
        items = [r for r in records if isinstance(r, Item)]
        ready: list[Item] = []
        for item in items:
            problems = self._items.problems(item)
            if problems:
                messages = "; ".join(f"{p.field}: {p.message}" for p in problems)
                sent.refused[item.id] = (messages, "; ".join(p.fix for p in problems))
            else:
                ready.append(item)
        if not ready:
            return sent
        existing = await self._items.find(client, [item.code for item in ready])
        sent.calls += 1
        new = [item for item in ready if item.code not in existing]
        for item in ready:
            if item.code in existing:
                sent.linked[item.id] = (existing[item.code], "matched by code")
        if not new:
            return sent
        answers = await self._items.create(client, new, key)
        sent.calls += 1
        again: list[Item] = []
        for answer in answers:
            item = new[answer.index]
            if answer.ok and answer.id is not None:
                sent.created[item.id] = answer.id
            elif answer.refused_with_others:
                again.append(item)
            elif answer.error is not None:
                sent.refused[item.id] = (
                    f"not created: {answer.error}",
                    "run the export again; products already in Xero are not sent twice",
                )
            else:
                sent.refused[item.id] = ("; ".join(answer.errors), None)
        if again:
            # Refused only alongside another item: once more without the ones at fault.
            retried = await self._items.create(client, again, f"{key}-again")
            sent.calls += 1
            for answer in retried:
                item = again[answer.index]
                if answer.ok and answer.id is not None:
                    sent.created[item.id] = answer.id
                else:
                    reason = "; ".join(answer.errors) or str(answer.error or "not created")
                    sent.refused[item.id] = (reason, None)
        return sent


def export_kind(name: str) -> ExportKind:
    """A fresh export kind named ``name``.

    Raises:
        InvalidValue: on ``kind``, naming the kinds there are.
    """
    try:
        chosen = ExportKindName(name.strip().lower() if isinstance(name, str) else name)
    except ValueError:
        raise InvalidValue(
            "kind", f"use one of {', '.join(k.value for k in ExportKindName)}, got {name!r}"
        ) from None
    if chosen is ExportKindName.CUSTOMERS:
        return CustomerExport()
    return ProductExport()
