"""Parties as Xero contacts: matched by the imported link, then by name, else created.

New contacts go in batches of up to 50. Xero refuses a second contact with a name it
already has; such a party is then looked up by name and linked to that contact.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from ledgerlink.domain.parties import Party
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.results import Results
from xero_client import Contact, XeroClient

DUPLICATE_NAME = "already assigned to another contact"


class Trouble(enum.Enum):
    """Why a party has no Xero contact in a pass, as far as its documents care."""

    #: It could not be created this time (Xero unreachable, its batch not sent or refused
    #: for another contact's fault): its documents wait and go again.
    NOT_SENT = "not sent"
    #: Xero refused it, or its contact belongs to another record: its documents fail.
    REFUSED = "refused"


@dataclass(frozen=True)
class ContactProblem:
    """Why a party has no Xero contact in this pass."""

    trouble: Trouble
    #: Xero's words (or ours when Xero gave none).
    messages: tuple[str, ...]
    #: What a person can do about it (None: found from Xero's messages).
    fix: str | None = None

    @property
    def passing(self) -> bool:
        return self.trouble is Trouble.NOT_SENT


def without_contact(
    results: Results,
    state: SyncState,
    *,
    summary: str,
    row_ids: tuple[int, ...],
    party: str,
    problem: ContactProblem | None,
) -> Outcome:
    """The outcome of a document whose ``party`` (its label) has no Xero contact: it fails
    with the party's problem, or waits when the problem may pass or the contact is not
    known yet."""
    if problem is not None and not problem.passing:
        return results.refused(
            state,
            action="contact",
            summary=summary,
            messages=tuple(f"{party}: {m}" for m in problem.messages),
            fix=problem.fix,
            row_ids=row_ids,
        )
    if problem is not None:
        reason = f"contact not created: {problem.messages[0]}"
    else:
        reason = f"the {party}'s Xero contact is not known yet"
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
    """Xero contact ids of parties, and why the others have none."""

    contact_ids: dict[UUID, str] = field(default_factory=dict)
    refused: dict[UUID, tuple[str, ...]] = field(default_factory=dict)
    matched_by_name: set[UUID] = field(default_factory=set)
    #: Parties not created this time and why: their chunk was not sent, or Xero refused it
    #: for another contact's fault. They go again.
    unsent: dict[UUID, str] = field(default_factory=dict)


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
    client: XeroClient, parties: Sequence[Party], contacts: Sequence[Contact], key: str
) -> ContactResults:
    """Create ``contacts`` for ``parties`` (none of them linked yet), 50 per call."""
    results = ContactResults()
    if not parties:
        return results
    answers = await client.create_contacts(list(contacts), idempotency_key=key)
    for answer in answers:
        party = parties[answer.index]
        if answer.ok and answer.id is not None:
            results.contact_ids[party.id] = answer.id
            continue
        if answer.error is not None:
            results.unsent[party.id] = str(answer.error)
            continue
        if answer.refused_with_others:
            results.unsent[party.id] = "Xero refused it only with another contact"
            continue
        if any(DUPLICATE_NAME in message for message in answer.errors):
            found = await find_by_name(client, party.name)
            if found is not None and found.contact_id is not None:
                results.contact_ids[party.id] = found.contact_id
                results.matched_by_name.add(party.id)
                continue
        results.refused[party.id] = answer.errors
    return results
