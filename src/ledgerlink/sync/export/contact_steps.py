"""The parties stage: every party a document uses has a Xero contact (linked, matched by
name, or new), for each party kind in the registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from uuid import UUID

from ledgerlink.domain.parties import Party
from ledgerlink.store.repositories.sync_links import link_holders
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export.contacts import ContactProblem, Trouble, create_contacts
from ledgerlink.sync.export.keys import batch_key, document_key, key_generation
from ledgerlink.sync.export.kind import PartyKind
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS, PARTY_KINDS
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.plan import Job, Plan
from ledgerlink.sync.export.results import Results, is_ambiguous, messages_of, stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import RateLimited, XeroError

Rows = Mapping[UUID, tuple[int, ...]]


async def bring_contacts(p: Pass, plan: Plan, jobs: Sequence[Job]) -> None:
    """Contacts for the parties with rows in ``plan`` and those ``jobs`` are made out to."""
    for party_kind in PARTY_KINDS.values():
        used = [p.state.party(DOCUMENT_KINDS[job.kind], job) for job in jobs]
        ids = [party_id for kind, party_id in filter(None, used) if kind == party_kind.kind]
        await _contacts(p, party_kind, plan.parties.get(party_kind.kind, {}), ids)


def _summary(kind: PartyKind, party: Party, version: bool = True) -> str:
    return f"{kind.label} {party.name}" + (f" v{party.version}" if version else "")


async def _contacts(p: Pass, kind: PartyKind, rows: Rows, used: Sequence[UUID]) -> None:
    snap, results = p.snap, p.results()
    known = snap.parties.get(kind.kind, {})
    wanted = {i: known[i] for i in [*rows, *used] if i in known}
    outcomes: list[Outcome] = []
    for party_id, row_ids in rows.items():
        if party_id not in known:
            state = snap.state(kind.kind, party_id)
            outcomes.append(results.done(state, row_ids=row_ids, save_state=False))
    new: list[Party] = []
    for party in wanted.values():
        link = snap.link(kind.kind, party.id)
        if link is None:
            new.append(party)
            continue
        p.state.contacts[(kind.kind, party.id)] = link.xero_id
        if party.id in rows and (link.synced_version or 0) < party.version:
            outcomes.append(await _update_contact(p, kind, party, link.xero_id, rows[party.id]))
        elif party.id in rows:
            tracked = (kind.kind, party.id) in snap.states
            state = snap.state(kind.kind, party.id)
            outcomes.append(results.done(state, row_ids=rows[party.id], save_state=tracked))
    p.record(outcomes)
    size = p.env.policy.batch_size
    for start in range(0, len(new), size):
        await _create_contacts(p, kind, new[start : start + size], rows)


async def _update_contact(
    p: Pass, kind: PartyKind, party: Party, contact_id: str, rows: tuple[int, ...]
) -> Outcome:
    results = p.results()
    state = p.snap.state(kind.kind, party.id)
    summary = _summary(kind, party)
    contact = kind.to_contact(party, contact_id=contact_id)
    if contact.contact_status == "ARCHIVED" and _shared_with_active(p, kind, contact_id):
        contact = replace(contact, contact_status=None)
    try:
        await p.env.client.update_contact(
            contact,
            idempotency_key=document_key(
                kind.kind, "update", party, key_generation(state.in_flight_key)
            ),
        )
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        if is_ambiguous(error) or not messages_of(error):
            return results.again(
                state,
                action="update",
                summary=summary,
                error=error,
                row_ids=rows,
                in_flight_key=state.in_flight_key,
            )
        return results.refused(
            state, action="update", summary=summary, messages=messages_of(error), row_ids=rows
        )
    note = kind.left_out(party)
    return _contact_sent(results, state, party, "update", summary, contact_id, rows, note)


def _contact_sent(
    results: Results,
    state: SyncState,
    party: Party,
    action: str,
    summary: str,
    contact_id: str,
    row_ids: tuple[int, ...],
    note: str | None = None,
) -> Outcome:
    """The party's contact is in Xero as ``contact_id`` (a contact has no number or total)."""
    return results.sent(
        state,
        version=party.version,
        action=action,
        summary=summary,
        xero_id=contact_id,
        xero_status="ACTIVE",
        number=None,
        total_ours=None,
        total_xero=None,
        row_ids=row_ids,
        note=note,
    )


async def _create_contacts(p: Pass, kind: PartyKind, parties: list[Party], rows: Rows) -> None:
    results, state = p.results(), p.state
    key = batch_key(kind.kind, "create", [(s.id, s.version) for s in parties])
    contacts = [kind.to_contact(party) for party in parties]
    try:
        created = await create_contacts(p.env.client, parties, contacts, key)
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        for party in parties:
            state.problems[(kind.kind, party.id)] = ContactProblem(Trouble.NOT_SENT, (str(error),))
        p.record(
            [
                results.again(
                    p.snap.state(kind.kind, party.id),
                    action="create",
                    summary=_summary(kind, party, version=False),
                    error=error,
                    row_ids=rows[party.id],
                    in_flight_key=None,
                )
                for party in parties
                if party.id in rows
            ]
        )
        return
    outcomes = []
    twins = _twins(p, kind, parties, created.contact_ids)
    for party in parties:
        key_of = (kind.kind, party.id)
        sync_state = p.snap.state(kind.kind, party.id)
        row_ids = rows.get(party.id, ())
        summary = _summary(kind, party)
        contact_id = created.contact_ids.get(party.id)
        problem = twins.get(party.id)
        if problem is None and party.id in created.refused:
            problem = ContactProblem(Trouble.REFUSED, created.refused[party.id])
        if problem is not None:
            state.problems[key_of] = problem
            outcomes.append(
                results.refused(
                    sync_state,
                    action="create",
                    summary=summary,
                    messages=problem.messages,
                    fix=problem.fix,
                    row_ids=row_ids,
                )
            )
        elif contact_id is not None:
            state.contacts[key_of] = contact_id
            notes = ["matched by name"] if party.id in created.matched_by_name else []
            note = "; ".join(filter(None, [*notes, kind.left_out(party)])) or None
            outcomes.append(
                _contact_sent(
                    results, sync_state, party, "create", summary, contact_id, row_ids, note
                )
            )
        else:
            reason = created.unsent.get(party.id, "Xero gave no answer for it")
            state.problems[key_of] = ContactProblem(Trouble.NOT_SENT, (reason,))
            outcomes.append(
                results.again(
                    sync_state,
                    action="create",
                    summary=summary,
                    error=f"contact not created: {reason}",
                    row_ids=row_ids,
                    in_flight_key=None,
                )
            )
    for written in p.record(outcomes):
        if written.log and written.log[-1].action == "link":
            # Its contact is another party's: its documents must not go to it.
            taken = (kind.kind, written.state.document_id)
            state.contacts.pop(taken, None)
            state.problems[taken] = ContactProblem(
                Trouble.REFUSED, (written.error or "contact taken",), fix=written.state.fix
            )


def _shared_with_active(p: Pass, kind: PartyKind, contact_id: str) -> bool:
    """True when an active party of another kind here (a supplier of a customer's name)
    has the same Xero contact: archiving it would archive that party's contact too."""
    env = p.env
    with env.uow_factory() as uow:
        for other in PARTY_KINDS.values():
            if other.kind == kind.kind:
                continue
            holders = link_holders(uow.session, env.client.tenant_id, other.kind, [contact_id])
            holder = holders.get(contact_id.lower())
            if holder is None or holder.company_id != env.company_id:
                continue
            found = other.load(uow, env.company_id, [UUID(holder.entity_id)])
            if any(party.active for party in found.values()):
                return True
    return False


def _twins(
    p: Pass, kind: PartyKind, parties: list[Party], contact_ids: dict[UUID, str]
) -> dict[UUID, ContactProblem]:
    """Parties given a Xero contact another record already holds (Xero matched them by a
    name that differs only in letter case): each with its problem and fix."""
    env = p.env
    with env.uow_factory() as uow:
        stored = link_holders(uow.session, env.client.tenant_id, kind.kind, contact_ids.values())
    held = {c.lower(): i for (k, i), c in p.state.contacts.items() if k == kind.kind}
    twins: dict[UUID, ContactProblem] = {}
    for party in parties:
        contact_id = contact_ids.get(party.id)
        if contact_id is None:
            continue
        holder = stored.get(contact_id.lower())
        here = held.get(contact_id.lower())
        if here is None and holder is not None and holder.company_id == env.company_id:
            here = UUID(holder.entity_id)
        if here == party.id or (here is None and holder is None):
            held[contact_id.lower()] = party.id
            continue
        twins[party.id] = _twin_problem(p, kind, party, here)
    return twins


def _twin_problem(p: Pass, kind: PartyKind, party: Party, holder_id: UUID | None) -> ContactProblem:
    holder = p.snap.party(kind.kind, holder_id) if holder_id is not None else None
    if holder is None and holder_id is not None:
        with p.env.uow_factory() as uow:
            holder = kind.load(uow, p.env.company_id, [holder_id]).get(holder_id)
    label = kind.label
    if holder is None:
        message = (
            f"Xero's contact named {party.name!r} already belongs to a {label} of "
            "another company connected to this Xero organisation"
        )
        fix = (
            f"{label} {party.name} has the same name as a contact another company "
            f"uses in Xero; rename the {label}"
        )
    else:
        message = (
            f"Xero's contact names are unique whatever their letter case: {party.name!r} "
            f"is the contact of {label} {holder.name!r}"
        )
        fix = (
            f"{label} {party.name} has the same name as {label} {holder.name} in Xero; "
            "rename one or merge them"
        )
    return ContactProblem(Trouble.REFUSED, (message,), fix=fix)
