"""The items stage: items with rows, and the items the documents going now use, reach Xero
before those documents (linked ones updated when they changed; the others looked up by
code, and only those Xero does not hold created, 50 to a call)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from uuid import UUID

from ledgerlink.domain.catalogue import Item
from ledgerlink.sync.export.contacts import ContactProblem, Trouble
from ledgerlink.sync.export.keys import batch_key, document_key, key_generation
from ledgerlink.sync.export.kind import ItemKind
from ledgerlink.sync.export.kinds import ITEM_KINDS
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.plan import Job, Plan
from ledgerlink.sync.export.results import is_ambiguous, messages_of, stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import RateLimited, XeroError

Rows = dict[UUID, tuple[int, ...]]


async def bring_items(p: Pass, plan: Plan, jobs: Sequence[Job], also: Iterable[str] = ()) -> None:
    """Items for the item rows of ``plan``, the lines of ``jobs`` and the codes ``also``
    (the items counted by stock takes), for each item kind."""
    codes = {line.item_code for job in jobs for line in job.document.lines if line.item_code}
    codes.update(also)
    used = [item.id for item in p.snap.items.values() if item.code in codes]
    for kind in ITEM_KINDS.values():
        await _items(p, kind, dict(plan.items.get(kind.kind, {})), used)


def _record(p: Pass, outcomes: list[Outcome]) -> None:
    """Write item outcomes; an item not in Xero afterwards holds back the documents whose
    lines use it (failed when Xero refused it, waiting otherwise)."""
    for written in p.record(outcomes):
        item = p.snap.items.get(written.state.document_id)
        if item is None or written.state.state == "sent":
            continue
        message = written.error or written.state.last_error or "not in Xero yet"
        trouble = Trouble.REFUSED if written.state.state == "failed" else Trouble.NOT_SENT
        p.state.item_problems[item.code] = ContactProblem(
            trouble, (message,), fix=written.state.fix
        )


def _summary(kind: ItemKind, item: Item) -> str:
    return f"{kind.label} {item.code} v{item.version}"


def _sent(p: Pass, kind: ItemKind, item: Item, action: str, xero_id: str, rows: Rows) -> Outcome:
    return p.results().sent(
        p.snap.state(kind.kind, item.id),
        version=item.version,
        action=action,
        summary=_summary(kind, item),
        xero_id=xero_id,
        xero_status=None,
        number=item.code,
        total_ours=None,
        total_xero=None,
        row_ids=rows.get(item.id, ()),
        note="matched by code" if action == "lookup" else None,
    )


def _failed(
    p: Pass, kind: ItemKind, item: Item, action: str, error: XeroError | str, rows: Rows
) -> Outcome:
    state = p.snap.state(kind.kind, item.id)
    messages = messages_of(error) if isinstance(error, XeroError) else ()
    if messages and not (isinstance(error, XeroError) and is_ambiguous(error)):
        return p.results().refused(
            state,
            action=action,
            summary=_summary(kind, item),
            messages=messages,
            row_ids=rows.get(item.id, ()),
        )
    return p.results().again(
        state,
        action=action,
        summary=_summary(kind, item),
        error=error,
        row_ids=rows.get(item.id, ()),
        # An unanswered update goes again under the same key; a create looks up first.
        in_flight_key=state.in_flight_key if action == "update" else None,
    )


async def _items(p: Pass, kind: ItemKind, rows: Rows, used: Sequence[UUID]) -> None:
    snap, results = p.snap, p.results()
    outcomes: list[Outcome] = []
    new: list[Item] = []
    for item_id in dict.fromkeys([*rows, *used]):
        item = snap.items.get(item_id)
        if item is None:
            outcomes.append(results.done(snap.state(kind.kind, item_id), row_ids=rows[item_id]))
            continue
        problems = kind.problems(item)
        if problems:
            outcomes.append(
                results.refused(
                    snap.state(kind.kind, item.id),
                    action="check",
                    summary=_summary(kind, item),
                    messages=tuple(f"{x.field}: {x.message}" for x in problems),
                    fix="; ".join(x.fix for x in problems),
                    row_ids=rows.get(item.id, ()),
                    checked_here=True,
                )
            )
            continue
        link = snap.link(kind.kind, item.id)
        if link is None:
            new.append(item)
        elif item.id in rows and (link.synced_version or 0) < item.version:
            outcomes.append(await _update(p, kind, item, link.xero_id, rows))
        elif item.id in rows:
            tracked = (kind.kind, item.id) in snap.states
            state = snap.state(kind.kind, item.id)
            outcomes.append(results.done(state, row_ids=rows[item.id], save_state=tracked))
    _record(p, outcomes)
    size = p.env.policy.batch_size
    for start in range(0, len(new), size):
        await _create(p, kind, new[start : start + size], rows)


async def _update(p: Pass, kind: ItemKind, item: Item, xero_id: str, rows: Rows) -> Outcome:
    try:
        generation = key_generation(p.snap.state(kind.kind, item.id).in_flight_key)
        key = document_key(kind.kind, "update", item, generation)
        await kind.update(p.env.client, item, xero_id, key)
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        return _failed(p, kind, item, "update", error, rows)
    return _sent(p, kind, item, "update", xero_id, rows)


async def _create(p: Pass, kind: ItemKind, items: list[Item], rows: Rows) -> None:
    """Look the items up by code (a create may have landed, or Xero holds them already),
    then create the others in one call."""
    client = p.env.client
    try:
        found = await kind.find(client, [item.code for item in items])
        missing = [item for item in items if item.code not in found]
        key = batch_key(kind.kind, "create", [(i.id, i.version) for i in missing])
        answers = await kind.create(client, missing, key) if missing else []
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        _record(p, [_failed(p, kind, item, "create", error, rows) for item in items])
        return
    outcomes = [_sent(p, kind, i, "lookup", found[i.code], rows) for i in items if i.code in found]
    for answer in answers:
        item = missing[answer.index]
        if answer.ok and answer.id is not None:
            outcomes.append(_sent(p, kind, item, "create", answer.id, rows))
        elif answer.error is not None:
            outcomes.append(_failed(p, kind, item, "create", answer.error, rows))
        elif answer.refused_with_others or not answer.errors:
            reason = "Xero refused it only with another item"
            outcomes.append(_failed(p, kind, item, "create", reason, rows))
        else:
            outcomes.append(
                p.results().refused(
                    p.snap.state(kind.kind, item.id),
                    action="create",
                    summary=_summary(kind, item),
                    messages=answer.errors,
                    row_ids=rows.get(item.id, ()),
                )
            )
    _record(p, outcomes)
