"""Contacts changed or added in Xero (CONTACT events) change or add suppliers and customers.

The conflict rule, per linked supplier or customer:

1. a change made here and not yet sent (its version is past the version Xero last
   received) wins: Xero's change is not taken, and ours is sent by its outbox row;
2. otherwise the newer wins: Xero's ``UpdatedDateUTC`` against the time the record
   here was last sent to or read from Xero. A change we sent ourselves comes back
   older than that, so nothing echoes.

A contact linked to nothing here is added as a supplier and/or a customer (as Xero
marks it) when the company setting ``xero_new_contacts`` is ``add`` (the default); with
``review`` it is only listed (``GET .../xero/new-contacts``, ``ledgerlink sync status``)
for a person to import, until it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from ledgerlink.store.repositories.contacts_for_review import ContactReviewRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.imports.writers import ImportTarget, write_party
from ledgerlink.xero.inbound import ImportedContact, SkipRecord, contact_from_xero
from xero_client import Contact, XeroClient

NEW_CONTACTS_SETTING = "xero_new_contacts"
NewContacts = Literal["add", "review"]
NEW_CONTACT_CHOICES: tuple[NewContacts, ...] = ("add", "review")
PARTY_KINDS = ("supplier", "customer")
#: Xero answers at most 100 contacts to one `GET /Contacts?IDs=`.
IDS_PER_CALL = 100


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    """What one contact changed here; `note` says why nothing did."""

    changed: tuple[str, ...] = ()
    note: str | None = None


async def fetch_contacts(client: XeroClient, ids: Sequence[str]) -> dict[str, Contact]:
    """The contacts among `ids` that Xero holds, by lower-case id, 100 to a call."""
    unique = list(dict.fromkeys(i.lower() for i in ids))
    found: dict[str, Contact] = {}
    for start in range(0, len(unique), IDS_PER_CALL):
        batch = unique[start : start + IDS_PER_CALL]
        wanted = set(batch)
        async for contact in client.iter_contacts(ids=batch, page_size=IDS_PER_CALL):
            if contact.contact_id is not None and contact.contact_id.lower() in wanted:
                found[contact.contact_id.lower()] = contact
                wanted.discard(contact.contact_id.lower())
            if not wanted:
                break  # all found: a full page would otherwise ask for an empty next one
    return found


def new_contacts_setting(uow: SqlUnitOfWork, company_id: UUID) -> NewContacts:
    """The company's choice for contacts added in Xero (``add`` unless it says ``review``)."""
    company = uow.companies.get(company_id)
    value = company.settings.options.get(NEW_CONTACTS_SETTING) if company else None
    return "review" if value == "review" else "add"


def _ours_wins(
    uow: SqlUnitOfWork, target: ImportTarget, kind: str, entity_id: str, xero_at: datetime | None
) -> str | None:
    """Why the record here is kept as it is, or None when Xero's change is taken."""
    link = uow.xero_links.get(target.company_id, kind, entity_id)
    repo = uow.suppliers if kind == "supplier" else uow.customers
    party = repo.get(target.company_id, UUID(entity_id))
    if link is None or party is None:
        return None
    if link.synced_version is not None and party.version > link.synced_version:
        return f"the {kind} {party.name} was changed here and not yet sent: ours wins"
    if xero_at is not None and xero_at <= link.updated_at:
        return f"the {kind} {party.name} is as new here as in Xero"
    return None


def apply_contact(
    uow: SqlUnitOfWork, target: ImportTarget, contact: Contact, new_contacts: NewContacts
) -> ContactOutcome:
    """Change or add the supplier and/or customer of one Xero contact here."""
    try:
        imported: ImportedContact = contact_from_xero(contact)
    except SkipRecord as skipped:
        return ContactOutcome(note=f"Xero contact not taken: {skipped}")
    linked = {
        kind: link
        for kind in PARTY_KINDS
        if (link := uow.xero_links.find(target.tenant_id, kind, imported.xero_id)) is not None
        and link.company_id == target.company_id
    }
    changed: list[str] = []
    notes: list[str] = []
    for kind, link in linked.items():
        kept = _ours_wins(uow, target, kind, link.entity_id, imported.updated_at)
        if kept is not None:
            notes.append(kept)
            continue
        if write_party(target, kind, imported, link.entity_id) != "unchanged":
            changed.append(kind)
    if not linked:
        kinds = [kind for kind in PARTY_KINDS if imported.fits(kind)]
        if not (imported.is_supplier or imported.is_customer):
            return ContactOutcome(
                note=f"Xero contact {imported.name} is neither a supplier nor a customer yet"
            )
        if new_contacts == "review":
            ContactReviewRepository(uow.session).note(
                target.company_id, imported.xero_id, imported.name, tuple(kinds), target.now
            )
            return ContactOutcome(
                note=f"Xero contact {imported.name} is new and waits for review: import it "
                f"with `ledgerlink import {kinds[0]}s --id {imported.xero_id}`"
            )
        for kind in kinds:
            write_party(target, kind, imported, None)
            changed.append(kind)
    target.flush()
    return ContactOutcome(tuple(changed), "; ".join(notes) or None)
