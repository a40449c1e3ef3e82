"""The documents stage for one kind: each planned job to its step (look up, create in
batches, update, cancel), or held back when its party has no Xero contact."""

from __future__ import annotations

from collections.abc import Sequence

from ledgerlink.sync.export.change_steps import cancel, update
from ledgerlink.sync.export.contacts import without_contact
from ledgerlink.sync.export.create_steps import create
from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.kinds import PARTY_KINDS
from ledgerlink.sync.export.lookup_steps import Reconciled, reconcile
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.plan import Action, Job, batches
from ledgerlink.sync.export.state import Pass


async def send_kind(p: Pass, kind: DocumentKind, jobs: Sequence[Job]) -> None:
    """Bring ``jobs`` (all of ``kind``) to Xero; every step writes its own outcomes."""
    results, snap = p.results(), p.snap
    steps: dict[Action, list[Job]] = {action: [] for action in Action}
    outcomes: list[Outcome] = []
    for job in jobs:
        if job.needs_party and p.state.contact_for(kind, job) is None:
            outcomes.append(_without_contact(p, kind, job))
        elif job.action is Action.CURRENT:
            state = snap.state(kind.kind, job.document.id)
            outcomes.append(
                results.done(state, row_ids=job.row_ids, new_state="sent")
                if not job.finish
                else Outcome(state=state, row_ids=job.row_ids, disposition=Disposition.KEEP)
            )
        elif job.action is Action.NEVER_SENT:
            outcomes.append(p.never_sent(kind, job))
        else:
            steps[job.action].append(job)
    p.record(outcomes)
    looked: Reconciled = await reconcile(p, kind, steps[Action.LOOK_UP])
    for batch in batches(steps[Action.CREATE], looked.remaining, p.env.policy.batch_size):
        await create(p, kind, batch)
    for job in steps[Action.UPDATE] + looked.updates:
        p.record([await p.alone(kind, job, "update", update(p, kind, job))])
    for job in steps[Action.CANCEL] + looked.cancels:
        p.record([await p.alone(kind, job, "cancel", cancel(p, kind, job))])


def _without_contact(p: Pass, kind: DocumentKind, job: Job) -> Outcome:
    party = p.state.party(kind, job)
    label = PARTY_KINDS[kind.party_kind].label if kind.party_kind else "party"
    return without_contact(
        p.results(),
        p.snap.state(kind.kind, job.document.id),
        summary=kind.summary(job.document),
        row_ids=job.row_ids,
        party=label,
        problem=p.state.problems.get(party) if party is not None else None,
    )


__all__ = ["send_kind"]
