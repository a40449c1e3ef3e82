"""Counting what a pass settled: sends by kind and outcome, and approval-to-Xero latency."""

from __future__ import annotations

from collections import Counter
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
    for (kind, state), count in Counter((o.state.kind, o.state.state) for o in settled).items():
        SENDS.labels(kind, state).inc(count)
    sent = [o for o in settled if o.state.state == "sent" and o.row_ids]
    if not sent:
        return
    known = created or {}
    ids = [i for o in sent for i in o.row_ids if i not in known]
    if ids:
        rows = session.execute(select(outbox.c.id, outbox.c.created_at).where(outbox.c.id.in_(ids)))
        known = {**known, **{row_id: at for row_id, at in rows}}
    created = known
    for kind in {o.state.kind for o in sent}:
        histogram = APPROVAL_TO_XERO.labels(kind)
        for outcome in (o for o in sent if o.state.kind == kind):
            times = [created[i] for i in outcome.row_ids if i in created]
            if times:
                histogram.observe(max(0.0, (now - min(times)).total_seconds()))
