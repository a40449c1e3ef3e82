"""Changing documents already in Xero: updates, cancellations, and marking a finished
document once its followers went (an order BILLED)."""

from __future__ import annotations

from collections.abc import Sequence

from ledgerlink.sync.export.keys import document_key, key_generation
from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.plan import Job
from ledgerlink.sync.export.results import stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import RateLimited, XeroError


async def update(p: Pass, kind: DocumentKind, job: Job) -> Outcome:
    """Send the document's current version over the one Xero holds."""
    env, snap, results = p.env, p.snap, p.results()
    link = snap.link(kind.kind, job.document.id)
    assert link is not None
    state = snap.state(kind.kind, job.document.id)
    summary = kind.summary(job.document)
    refused = kind.update_refusal(job.document, state.total_xero)
    if refused is not None and refused.refusal is not None:
        return results.refused(
            state,
            action="update",
            summary=summary,
            messages=(refused.refusal,),
            row_ids=job.row_ids,
            fix=refused.fix,
            checked_here=True,
        )
    element = kind.to_xero(
        job.document,
        contact_id=p.state.contact_for(kind, job) or "",
        status=None,
        settings=snap.settings,
        defaults=snap.defaults_for(kind.sales_side(job.document)),
        xero_id=link.xero_id,
    )
    try:
        answer = await kind.update(
            env.client,
            element,
            document_key(kind.kind, "update", job.document, key_generation(state.in_flight_key)),
            snap.settings.unit_price_dp,
        )
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        # Unanswered, it goes again under the same key (the mark keeps its generation).
        return results.failed(
            state,
            action="update",
            summary=summary,
            error=error,
            row_ids=job.row_ids,
            in_flight_key=state.in_flight_key,
        )
    xero_id, status, total = kind.facts(answer)
    return results.sent(
        state,
        version=job.document.version,
        action="update",
        summary=summary,
        xero_id=xero_id or link.xero_id,
        xero_status=status,
        number=None,
        total_ours=job.document.total,
        total_xero=total,
        row_ids=job.row_ids,
        disposition=p.kept(job),
    )


async def cancel(p: Pass, kind: DocumentKind, job: Job) -> Outcome:
    """Take the document back in Xero as its kind says (``DocumentKind.withdrawal``)."""
    env, snap, results = p.env, p.snap, p.results()
    link = snap.link(kind.kind, job.document.id)
    assert link is not None
    state = snap.state(kind.kind, job.document.id)
    summary = kind.summary(job.document)
    try:
        withdrawal = await kind.withdrawal(env.client, link.xero_id, job.document)
        if withdrawal.refusal is not None:
            return results.refused(
                state,
                action="cancel",
                summary=summary,
                messages=(withdrawal.refusal,),
                row_ids=job.row_ids,
                fix=withdrawal.fix,
            )
        if withdrawal.status is None:
            return results.done(
                state,
                row_ids=job.row_ids,
                action="cancel",
                summary=summary,
                answer="already deleted or voided in Xero",
                new_state="sent",
            )
        answer = await kind.update(
            env.client,
            kind.status_change(link.xero_id, withdrawal.status, job.document),
            document_key(kind.kind, "cancel", job.document, key_generation(state.in_flight_key)),
            snap.settings.unit_price_dp,
        )
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        return results.failed(
            state,
            action="cancel",
            summary=summary,
            error=error,
            row_ids=job.row_ids,
            in_flight_key=state.in_flight_key,
        )
    _, status, _ = kind.facts(answer)
    return results.sent(
        state,
        version=job.document.version,
        action="cancel",
        summary=summary,
        xero_id=link.xero_id,
        xero_status=status,
        number=None,
        total_ours=None,
        total_xero=None,
        row_ids=job.row_ids,
    )


async def mark_finished(p: Pass, kind: DocumentKind, leaders: Sequence[Job]) -> list[Outcome]:
    """Finished documents whose followers went: AUTHORISED → ``kind.finished_status``."""
    env, results = p.env, p.results()
    outcomes: list[Outcome] = []
    for job in leaders:
        state = p.snap.state(kind.kind, job.document.id)
        if state.state != "sent" or (job.kind, job.document.id) in p.state.settled:
            continue
        answer = None
        mark = kind.finished_status
        if mark and state.xero_status == "AUTHORISED" and state.xero_id:
            try:
                element = await kind.update(
                    env.client,
                    kind.status_change(state.xero_id, mark, job.document),
                    document_key(kind.kind, mark.lower(), job.document),
                    2,
                )
                answer = f"marked {mark} in Xero"
                state = state.but(xero_status=kind.facts(element)[1])
            except RateLimited as error:
                raise stop_for(error, env.clock()) from None
            except XeroError as error:
                answer = f"not marked {mark}: {error}"
        outcomes.append(
            results.done(
                state,
                row_ids=job.row_ids,
                action="finish",
                summary=kind.summary(job.document),
                answer=answer or f"finished; its {_followers(kind)} follow under their settings",
            )
        )
    return outcomes


def _followers(kind: DocumentKind) -> str:
    return (kind.rules.followers or "document").replace("_", " ") + "s"


def finished_only(p: Pass, jobs: Sequence[Job]) -> list[Outcome]:
    """Finished documents the settings do not send: done once their followers went."""
    results = p.results()
    return [
        results.done(
            p.snap.state(job.kind, job.document.id),
            row_ids=job.row_ids,
            action="finish",
            summary=DOCUMENT_KINDS[job.kind].summary(job.document),
            answer=(
                f"finished; the settings send only its {_followers(DOCUMENT_KINDS[job.kind])}: "
                "they were sent"
            ),
            save_state=False,
        )
        for job in jobs
    ]
