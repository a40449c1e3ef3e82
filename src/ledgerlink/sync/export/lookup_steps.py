"""Before any resend: documents whose create may have landed (timeout, dropped connection,
killed worker) are looked up in Xero (``reconcile``); found ones are linked, and updated or
taken back when they changed here since."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_links import linked_xero_ids
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.sync.export.keys import in_flight_version
from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.plan import Job
from ledgerlink.sync.export.reconcile import Found
from ledgerlink.sync.export.results import stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import RateLimited, XeroError


@dataclass(frozen=True)
class Reconciled:
    """What the lookup of documents whose create may have landed leaves to do."""

    #: Not found in Xero: created again (with their batch mates, under their key).
    remaining: list[Job] = field(default_factory=list)
    #: Found, at an older version than ours: updated.
    updates: list[Job] = field(default_factory=list)
    #: Found, and cancelled here since: taken back.
    cancels: list[Job] = field(default_factory=list)


async def reconcile(p: Pass, kind: DocumentKind, jobs: list[Job]) -> Reconciled:
    """Look up documents whose create may have landed; see ``Reconciled``."""
    if not jobs:
        return Reconciled()
    env, snap = p.env, p.snap
    pairs = [(job.document, p.state.contact_for(kind, job) or "") for job in jobs]

    def taken(xero_ids: list[str]) -> set[str]:
        with env.uow_factory() as uow:
            return linked_xero_ids(uow.session, env.company_id, kind.kind, xero_ids)

    try:
        found = await kind.find(env.client, pairs, taken)
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        results = p.results()
        p.record(
            [
                results.again(
                    snap.state(kind.kind, job.document.id),
                    action="lookup",
                    summary=kind.summary(job.document),
                    error=error,
                    row_ids=job.row_ids,
                    in_flight_key=snap.state(kind.kind, job.document.id).in_flight_key,
                )
                for job in jobs
            ]
        )
        return Reconciled()
    left = Reconciled()
    outcomes: list[Outcome] = []
    for job in jobs:
        hit = found.get(job.document.id)
        if hit is None:
            if job.withdraw:
                outcomes.append(p.never_sent(kind, job))
            else:
                left.remaining.append(job)
            continue
        outcomes.append(_reconciled(p, kind, job, hit))
        sent_version = in_flight_version(snap.state(kind.kind, job.document.id).in_flight_key)
        if job.withdraw:
            left.cancels.append(job)
        elif sent_version is None or sent_version < job.document.version:
            left.updates.append(job)
    p.record(outcomes)
    for outcome in outcomes:
        if outcome.link is not None:
            snap.links[(outcome.state.kind, str(outcome.state.document_id))] = _as_link(
                outcome, env.client.tenant_id, env.clock
            )
    return left


def _reconciled(p: Pass, kind: DocumentKind, job: Job, hit: Found) -> Outcome:
    state = p.snap.state(kind.kind, job.document.id)
    _, status, total = kind.facts(hit.element)
    version = in_flight_version(state.in_flight_key) or job.document.version
    return p.results().sent(
        state,
        version=version,
        action="lookup",
        summary=kind.summary(job.document),
        xero_id=hit.xero_id,
        xero_status=status,
        number=None,
        total_ours=job.document.total,
        total_xero=total,
        row_ids=job.row_ids,
        disposition=Disposition.KEEP,
        note="found in Xero after an unanswered send; not sent again",
    )


def _as_link(outcome: Outcome, tenant_id: str, clock: Clock) -> XeroLink:
    assert outcome.link is not None
    return XeroLink(
        company_id=outcome.state.company_id,
        kind=outcome.state.kind,
        entity_id=str(outcome.state.document_id),
        tenant_id=tenant_id,
        xero_id=outcome.link.xero_id,
        xero_number=outcome.link.xero_number,
        synced_version=outcome.link.synced_version,
        updated_at=outcome.state.updated_at or clock(),
    )
