"""Counting what a pass settled: sends by kind and outcome, and approval-to-Xero latency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledgerlink.observability.metrics import APPROVAL_TO_XERO, SENDS
from ledgerlink.store.tables.outbox import outbox

if TYPE_CHECKING:
    from ledgerlink.sync.export.outcome import Outcome


def observe(
    session: Session,
    now: datetime,
    outcomes: Sequence[Outcome],
    created: Mapping[int, datetime] | None = None,
) -> None:
    """Count settled outcomes; time those now in Xero from their oldest outbox row.

    ``created`` holds the outbox rows' creation times the pass already read (by row id);
    only the others are read here."""
    settled = [o for o in outcomes if o.save_state and o.disposition != "keep"]
    for outcome in settled:
        SENDS.labels(outcome.state.kind, outcome.state.state).inc()
    sent = [o for o in settled if o.state.state == "sent" and o.row_ids]
    if not sent:
        return
    known = created or {}
    ids = [i for o in sent for i in o.row_ids if i not in known]
    if ids:
        rows = session.execute(select(outbox.c.id, outbox.c.created_at).where(outbox.c.id.in_(ids)))
        known = {**known, **{row_id: at for row_id, at in rows}}
    created = known
    for outcome in sent:
        times = [created[i] for i in outcome.row_ids if i in created]
        if times:
            seconds = (now - min(times)).total_seconds()
            APPROVAL_TO_XERO.labels(outcome.state.kind).observe(max(0.0, seconds))
