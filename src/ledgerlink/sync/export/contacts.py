"""Suppliers as Xero contacts: matched by the imported link, then by name, else created.

New contacts go in batches of up to 50. Xero refuses a second contact with a name it
already has; such a supplier is then looked up by name and linked to that contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from ledgerlink.domain.parties import Supplier
from ledgerlink.xero.outbound.contacts import contact_of
from xero_client import Contact, XeroClient, XeroError

DUPLICATE_NAME = "already assigned to another contact"


@dataclass
class ContactResults:
    """Xero contact ids of suppliers, and why the others have none."""

    contact_ids: dict[UUID, str] = field(default_factory=dict)
    refused: dict[UUID, tuple[str, ...]] = field(default_factory=dict)
    matched_by_name: set[UUID] = field(default_factory=set)
    #: Set when part of the batch could not be sent (suppliers without an id or refusal).
    error: XeroError | None = None


def _where_name(name: str) -> str | None:
    if '"' in name or "\\" in name:
        return None
    # Xero compares Name case-sensitively in `where` but refuses a second contact whose
    # name differs only in case: look it up the way Xero will judge the create.
    return f'Name.ToLower()=="{name.lower()}"'


async def find_by_name(client: XeroClient, name: str) -> Contact | None:
    """The active Xero contact named ``name`` (Xero names are unique), or None."""
    where = _where_name(name)
    if where is None:
        return None
    async for contact in client.iter_contacts(where=where, page_size=100):
        if (contact.name or "").casefold() == name.casefold():
            return contact
    return None


async def create_contacts(
    client: XeroClient, suppliers: Sequence[Supplier], key: str
) -> ContactResults:
    """Create contacts for ``suppliers`` (none of them linked yet), 50 per call."""
    results = ContactResults()
    if not suppliers:
        return results
    answers = await client.create_contacts(
        [contact_of(supplier) for supplier in suppliers], idempotency_key=key
    )
    for answer in answers:
        supplier = suppliers[answer.index]
        if answer.ok and answer.id is not None:
            results.contact_ids[supplier.id] = answer.id
            continue
        if answer.error is not None:
            results.error = answer.error
            continue
        if any(DUPLICATE_NAME in message for message in answer.errors):
            found = await find_by_name(client, supplier.name)
            if found is not None and found.contact_id is not None:
                results.contact_ids[supplier.id] = found.contact_id
                results.matched_by_name.add(supplier.id)
                continue
        results.refused[supplier.id] = answer.errors
    return results
