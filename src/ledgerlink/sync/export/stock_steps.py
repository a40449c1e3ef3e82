"""The adjustments stage: stock takes, once the documents that move stock went.

Each stock take is checked (a tracked item in Xero, an inventory adjustment account), then
its adjustment is worked out once from Xero's quantity on hand (one call for the items of
the pass) and kept with it before any send, with the create's in-flight mark. Adjustments
go 50 to a call under an Idempotency-Key; one whose create may have landed is looked up
by its tag before it is sent again, as it was worked out then. A count equal to Xero's
quantity needs no document. One stock take per item goes in a pass (oldest first): the
next one of that item waits for the pass after, when Xero holds the first one's count.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from ledgerlink.domain.stock import StockTake
from ledgerlink.sync.export.create_steps import Answer, answer_of
from ledgerlink.sync.export.keys import batch_key, in_flight_key, in_flight_version, sent_batch
from ledgerlink.sync.export.kinds import STOCK_TAKES
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.results import stop_for
from ledgerlink.sync.export.state import Pass
from ledgerlink.xero.outbound.stock import adjustment_number, unit_cost_of
from xero_client import RateLimited, XeroError, XeroModel

Rows = Mapping[UUID, tuple[int, ...]]
KIND = STOCK_TAKES


def counted_codes(p: Pass, rows: Rows) -> list[str]:
    """The codes of the items the stock takes of ``rows`` count (brought to Xero first)."""
    codes = []
    for take_id in rows:
        take = p.snap.stock_takes.get(take_id)
        item = p.snap.items.get(take.item_id) if take is not None else None
        if item is not None and item.is_tracked_as_inventory:
            codes.append(item.code)
    return codes


def _may_have_landed(p: Pass, take: StockTake) -> bool:
    """True when the stock take's adjustment was sent without a clear answer (its create
    left an in-flight mark): it is looked up before it goes again."""
    mark = p.snap.state(KIND.kind, take.id).in_flight_key
    return in_flight_version(mark) is not None and take.adjustment is not None


def _summary(p: Pass, take: StockTake) -> str:
    return KIND.summary(take, p.snap.items.get(take.item_id))


async def send_stock_takes(p: Pass, rows: Rows) -> None:
    """Bring the stock takes of ``rows`` to Xero; see the module's docstring."""
    snap, results = p.snap, p.results()
    outcomes: list[Outcome] = []
    ready: list[StockTake] = []
    for take_id, row_ids in rows.items():
        take = snap.stock_takes.get(take_id)
        state = snap.state(KIND.kind, take_id)
        if take is None or snap.link(KIND.kind, take_id) is not None:
            tracked = (KIND.kind, take_id) in snap.states
            outcomes.append(results.done(state, row_ids=row_ids, save_state=tracked))
            continue
        item = snap.items.get(take.item_id)
        problems = KIND.problems(take, item, snap.settings, snap.reference)
        if item is not None and not problems and item.code in p.state.item_problems:
            problem = p.state.item_problems[item.code]
            outcomes.append(
                results.again(
                    state,
                    action="item",
                    summary=_summary(p, take),
                    error=f"item {item.code} is not in Xero yet: {'; '.join(problem.messages)}",
                    row_ids=row_ids,
                    in_flight_key=state.in_flight_key,
                )
            )
        elif problems:
            outcomes.append(
                results.refused(
                    state,
                    action="check",
                    summary=_summary(p, take),
                    messages=tuple(f"{x.field}: {x.message}" for x in problems),
                    fix="; ".join(x.fix for x in problems),
                    row_ids=row_ids,
                    checked_here=True,
                )
            )
        else:
            ready.append(take)
    p.record(outcomes)
    in_flight = [t for t in ready if _may_have_landed(p, t)]
    unfound = await _look_up(p, in_flight, rows)
    fresh = await _work_out(p, [t for t in ready if t not in in_flight], rows)
    groups: dict[str, list[StockTake]] = {}
    for take in unfound:
        groups.setdefault(sent_batch(snap.state(KIND.kind, take.id).in_flight_key), []).append(take)
    size = p.env.policy.batch_size
    for start in range(0, len(fresh), size):
        await _create(p, fresh[start : start + size], rows, None)
    for key, takes in groups.items():
        await _create(p, takes, rows, key)


async def _look_up(p: Pass, takes: Sequence[StockTake], rows: Rows) -> list[StockTake]:
    """Link the stock takes whose adjustment Xero already holds; the others are returned."""
    if not takes:
        return []
    try:
        found = await KIND.find(p.env.client, takes)
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        marks = {t.id: p.snap.state(KIND.kind, t.id).in_flight_key for t in takes}
        p.record([_again(p, t, "lookup", error, rows, marks[t.id]) for t in takes])
        return []
    p.record(
        [
            _sent(p, take, "lookup", *found[take.id], rows, "found in Xero; not sent again")
            for take in takes
            if take.id in found
        ]
    )
    return [take for take in takes if take.id not in found]


async def _work_out(p: Pass, takes: Sequence[StockTake], rows: Rows) -> list[StockTake]:
    """Read Xero's quantity on hand and keep each stock take's adjustment; returns those
    with a difference to send (one per item, the oldest; the next ones wait)."""
    snap, results = p.snap, p.results()
    first: dict[UUID, StockTake] = {}
    waiting: list[Outcome] = []
    for take in sorted(takes, key=lambda t: (t.date, str(t.id))):
        if take.item_id in first:
            item = snap.items[take.item_id]
            waiting.append(
                results.waits(
                    snap.state(KIND.kind, take.id),
                    until=p.env.clock(),
                    reason=f"waits for the earlier stock take of {item.code} to reach Xero",
                    row_ids=rows.get(take.id, ()),
                    in_flight_key=None,
                )
            )
        else:
            first[take.item_id] = take
    p.record(waiting)
    if not first:
        return []
    codes = [snap.items[i].code for i in first]
    try:
        on_hand = await KIND.on_hand(p.env.client, codes)
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        p.record([_again(p, t, "quantity", error, rows) for t in first.values()])
        return []
    settled: list[Outcome] = []
    going: list[StockTake] = []
    with p.env.uow_factory() as uow:
        for take in first.values():
            item = snap.items[take.item_id]
            held = on_hand.get(item.code)
            if held is None:
                settled.append(_again(p, take, "quantity", f"Xero holds no item {item.code}", rows))
                continue
            cost = unit_cost_of(held.quantity, held.cost_pool, item.purchase_price)
            uow.stock_takes.note_adjustment(take.company_id, take.id, held.quantity, cost)
            take.on_hand_in_xero, take.unit_cost = held.quantity, cost
            if take.adjustment == 0:
                settled.append(
                    results.done(
                        snap.state(KIND.kind, take.id),
                        row_ids=rows.get(take.id, ()),
                        action="adjust",
                        summary=_summary(p, take),
                        answer=f"Xero already holds {held.quantity}: nothing to adjust",
                        new_state="sent",
                    )
                )
            else:
                going.append(take)
        uow.commit()
    p.record(settled)
    return going


async def _create(p: Pass, takes: list[StockTake], rows: Rows, sent_key: str | None) -> None:
    """Send one batch of adjustments (under ``sent_key`` when it is sent again)."""
    snap, env = p.snap, p.env
    key = sent_key or batch_key(KIND.kind, "create", [(t.id, t.version) for t in takes])
    flights = {t.id: in_flight_key(t.version, 0, key) for t in takes}
    p.record(
        [
            Outcome(
                state=snap.state(KIND.kind, t.id).but(state="pending", in_flight_key=flights[t.id]),
                disposition=Disposition.KEEP,
            )
            for t in takes
        ]
    )
    elements: list[XeroModel] = [
        KIND.to_xero(t, snap.items[t.item_id], snap.settings) for t in takes
    ]
    try:
        answers = await KIND.create(env.client, elements, key)
    except RateLimited as error:
        stop = stop_for(error, env.clock())
        p.record(
            [
                p.results().waits(
                    snap.state(KIND.kind, t.id),
                    until=stop.until,
                    reason=stop.reason,
                    row_ids=rows.get(t.id, ()),
                    in_flight_key=flights[t.id],
                )
                for t in takes
            ]
        )
        raise stop from None
    except XeroError as error:
        p.record(
            [
                p.results().failed(
                    snap.state(KIND.kind, t.id),
                    action="create",
                    summary=_summary(p, t),
                    error=error,
                    row_ids=rows.get(t.id, ()),
                    in_flight_key=flights[t.id],
                )
                for t in takes
            ]
        )
        return
    outcomes: list[Outcome] = []
    for answer in answers:
        take = takes[answer.index]
        sort = answer_of(answer)
        if sort is Answer.SAVED:
            assert answer.id is not None
            status = getattr(answer.element, "status", None)
            outcomes.append(_sent(p, take, "create", answer.id, status, rows, None))
        elif sort is Answer.REFUSED:
            outcomes.append(
                p.results().refused(
                    snap.state(KIND.kind, take.id),
                    action="create",
                    summary=_summary(p, take),
                    messages=answer.errors,
                    row_ids=rows.get(take.id, ()),
                )
            )
        else:
            reason = answer.error or "Xero refused it only with another stock take"
            keep = flights[take.id] if sort is Answer.UNSENT else None
            outcomes.append(_again(p, take, "create", reason, rows, keep))
    p.record(outcomes)


def _sent(
    p: Pass,
    take: StockTake,
    action: str,
    xero_id: str,
    status: str | None,
    rows: Rows,
    note: str | None,
) -> Outcome:
    adjustment = take.adjustment
    shown = f"adjusted by {adjustment:+}" if adjustment is not None else "adjusted"
    return p.results().sent(
        p.snap.state(KIND.kind, take.id),
        version=take.version,
        action=action,
        summary=_summary(p, take),
        xero_id=xero_id,
        xero_status=status,
        number=adjustment_number(take),
        total_ours=None,
        total_xero=None,
        row_ids=rows.get(take.id, ()),
        note=f"{shown}{'; ' + note if note else ''}",
    )


def _again(
    p: Pass,
    take: StockTake,
    action: str,
    error: XeroError | str,
    rows: Rows,
    in_flight: str | None = None,
) -> Outcome:
    return p.results().again(
        p.snap.state(KIND.kind, take.id),
        action=action,
        summary=_summary(p, take),
        error=error,
        row_ids=rows.get(take.id, ()),
        in_flight_key=in_flight,
    )
