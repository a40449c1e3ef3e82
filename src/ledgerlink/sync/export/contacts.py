"""Suppliers as Xero contacts: matched by the imported link, then by name, else created.

New contacts go in batches of up to 50. Xero refuses a second contact with a name it
already has; such a supplier is then looked up by name and linked to that contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from ledgerlink.domain.parties import Supplier
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.results import Results
from ledgerlink.xero.outbound.contacts import contact_of
from xero_client import Contact, XeroClient, XeroError

DUPLICATE_NAME = "already assigned to another contact"


@dataclass(frozen=True)
class ContactProblem:
    """Why a supplier has no Xero contact in this pass."""

    messages: tuple[str, ...]
    #: What a person can do about it (None: found from Xero's messages).
    fix: str | None = None
    #: True when the contact could not be created this time (Xero unreachable, a batch
    #: not sent): the supplier's documents wait and go again. Otherwise they fail.
    passing: bool = False


def without_contact(
    results: Results,
    state: SyncState,
    *,
    summary: str,
    row_ids: tuple[int, ...],
    problem: ContactProblem | None,
) -> Outcome:
    """The outcome of a document whose supplier has no Xero contact: it fails with the
    supplier's problem, or waits when the problem may pass or the contact is not known yet."""
    if problem is not None and not problem.passing:
        return results.refused(
            state,
            action="contact",
            summary=summary,
            messages=tuple(f"supplier: {m}" for m in problem.messages),
            fix=problem.fix,
            row_ids=row_ids,
        )
    reason = problem.messages[0] if problem else "the supplier's Xero contact is not known yet"
    return results.again(
        state,
        action="contact",
        summary=summary,
        error=reason,
        row_ids=row_ids,
        in_flight_key=state.in_flight_key,
    )


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
