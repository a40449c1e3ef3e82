"""Outcomes the payments and credit-use stages write alike: a skipped record, one that
waits for what it needs, requests recorded in flight before the call, and a rate limit
that stops the pass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export.keys import batch_key, in_flight_key, key_generation
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.plan import Skipped
from ledgerlink.sync.export.results import PassStopped, stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import RateLimited

#: How long a payment or a use of credit waits before it looks again at what it needs.
WAIT_SECONDS = 60.0


def skipped(p: Pass, s: Skipped) -> Outcome:
    """Nothing to send for ``s``; its state is saved only when it is tracked already."""
    tracked = (s.kind, s.document_id) in p.snap.states
    state = p.snap.state(s.kind, s.document_id)
    return p.results().done(state, row_ids=s.row_ids, save_state=tracked)


def waits(
    p: Pass, state: SyncState, *, summary: str, reason: str, row_ids: tuple[int, ...]
) -> Outcome:
    """The record goes later: no attempt counted; the log says why once per reason."""
    results = p.results()
    outcome = results.waits(
        state,
        until=p.env.clock() + dt.timedelta(seconds=WAIT_SECONDS),
        reason=reason,
        row_ids=row_ids,
        in_flight_key=state.in_flight_key,
    )
    if state.last_error != reason:
        outcome.log.append(
            results.entry(state.kind, state.document_id, "wait", "waiting", summary, reason)
        )
    return outcome


def in_flight(
    p: Pass, kind: str, action: str, sends: Sequence[tuple[SyncState, UUID, int]]
) -> tuple[str, dict[UUID, str]]:
    """The Idempotency-Key of one request of ``sends`` (state, id, version), reused when it
    went unanswered, and each one's in-flight mark, recorded before the call."""
    generation = max(key_generation(state.in_flight_key) for state, _, _ in sends)
    key = batch_key(kind, action, [(id_, version) for _, id_, version in sends])
    if generation:
        key = f"{key}-g{generation}"
    flights = {id_: in_flight_key(version, generation, key) for _, id_, version in sends}
    p.record(
        [
            Outcome(
                state=state.but(state="pending", in_flight_key=flights[id_]),
                disposition=Disposition.KEEP,
            )
            for state, id_, _ in sends
        ]
    )
    return key, flights


def stopped(
    p: Pass, error: RateLimited, sends: Sequence[tuple[SyncState, tuple[int, ...], str]]
) -> PassStopped:
    """The organisation's budget is spent: each of ``sends`` (state, row ids, in-flight
    mark) waits, keeping its mark; the pass stops."""
    limited = stop_for(error, p.env.clock())
    p.record(
        [
            p.results().waits(
                state,
                until=limited.until,
                reason=limited.reason,
                row_ids=row_ids,
                in_flight_key=flight,
            )
            for state, row_ids, flight in sends
        ]
    )
    return limited
