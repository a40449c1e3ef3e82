"""Creating documents: look up what may have landed, then send batches of up to 50 (cut by
``plan.batches``: a batch sent without an answer and not found goes again whole, under its
key). Each step writes its outcomes and returns what is left to do."""

from __future__ import annotations

import enum
from typing import Any
from uuid import UUID

from ledgerlink.sync.export.keys import batch_key, in_flight_key, key_generation
from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.plan import Job
from ledgerlink.sync.export.results import PassStopped, stop_for
from ledgerlink.sync.export.state import Pass
from xero_client import (
    BatchResult,
    RateLimited,
    XeroError,
    XeroModel,
)

#: Why an element refused only with the others goes again (from ``refused_with_others``).
NOT_SAVED = "not saved: Xero refused the whole request because another element failed"


class Answer(enum.Enum):
    """What Xero's answer for one element of a create asks for next."""

    SAVED = "saved"  # in Xero: link it
    RATE_LIMITED = "rate limited"  # its chunk was not sent: wait for the budget
    UNSENT = "unsent"  # its chunk could not be sent: may have landed, looked up first
    AGAIN = "again"  # nothing saved through no fault of its own: sent again, under a new key
    REFUSED = "refused"  # Xero refused it: failed until a person acts


def answer_of(result: BatchResult[Any]) -> Answer:
    """Sort one element's answer; see ``Answer``."""
    if result.ok and result.id is not None and result.element is not None:
        return Answer.SAVED
    if isinstance(result.error, RateLimited):
        return Answer.RATE_LIMITED
    if result.error is not None:
        return Answer.UNSENT
    if result.refused_with_others or not result.errors:
        return Answer.AGAIN
    return Answer.REFUSED


def _build(p: Pass, kind: DocumentKind, jobs: list[Job]) -> list[tuple[Job, XeroModel, str | None]]:
    """Each document's Xero element and arrival note; one that cannot be built is retried."""
    snap = p.snap
    built: list[tuple[Job, XeroModel, str | None]] = []
    unbuilt: list[Outcome] = []
    for job in jobs:
        status, note = kind.status_for(job.document, snap.settings)
        try:
            element = kind.to_xero(
                job.document,
                contact_id=p.state.contact_for(kind, job) or "",
                status=status,
                settings=snap.settings,
                defaults=snap.defaults_for(kind.sales_side(job.document)),
            )
        except Exception as error:  # one document's trouble never stops the others
            unbuilt.append(p.unexpected(kind, job, "create", error))
            continue
        built.append((job, element, note))
    p.record(unbuilt)
    return built


async def create(p: Pass, kind: DocumentKind, batch: list[Job]) -> None:
    """Send one batch of new documents; a rate limit stops the pass after recording it."""
    env, snap, results = p.env, p.snap, p.results()
    built = _build(p, kind, batch)
    if not built:
        return
    jobs = [job for job, _, _ in built]
    generation = max(
        key_generation(snap.state(kind.kind, j.document.id).in_flight_key) for j in jobs
    )
    key = batch_key(kind.kind, "create", [(j.document.id, j.document.version) for j in jobs])
    if generation:
        key = f"{key}-g{generation}"
    flights = {
        job.document.id: in_flight_key(job.document.version, generation, key) for job in jobs
    }
    await p.save(
        [
            Outcome(
                state=snap.state(kind.kind, job.document.id).but(
                    state="pending", in_flight_key=flights[job.document.id]
                ),
                disposition=Disposition.KEEP,
            )
            for job in jobs
        ]
    )
    elements = [element for _, element, _ in built]
    try:
        answers = await kind.create(env.client, elements, key, snap.settings.unit_price_dp)
    except RateLimited as error:
        limited = stop_for(error, env.clock())
        await p.save(
            [
                results.waits(
                    snap.state(kind.kind, job.document.id),
                    until=limited.until,
                    reason=limited.reason,
                    row_ids=job.row_ids,
                    in_flight_key=flights[job.document.id],
                )
                for job in jobs
            ]
        )
        raise limited from None
    except XeroError as error:
        await p.save([_create_failed(p, kind, job, error, flights) for job in jobs])
        return
    outcomes: list[Outcome] = []
    stop: PassStopped | None = None
    for answer in answers:
        job, _, note = built[answer.index]
        state = snap.state(kind.kind, job.document.id)
        summary = kind.summary(job.document)
        sort = answer_of(answer)
        if sort is Answer.SAVED:
            assert answer.id is not None and answer.element is not None
            _, arrived, total = kind.facts(answer.element)
            outcomes.append(
                results.sent(
                    state,
                    version=job.document.version,
                    action="create",
                    summary=summary,
                    xero_id=answer.id,
                    xero_status=arrived,
                    number=None,
                    total_ours=job.document.total,
                    total_xero=total,
                    row_ids=job.row_ids,
                    disposition=p.kept(job),
                    note=note,
                )
            )
        elif sort is Answer.RATE_LIMITED:
            assert isinstance(answer.error, RateLimited)
            stop = stop_for(answer.error, env.clock())
            outcomes.append(
                results.waits(
                    state,
                    until=stop.until,
                    reason=stop.reason,
                    row_ids=job.row_ids,
                    in_flight_key=flights[job.document.id],
                )
            )
        elif sort is Answer.UNSENT:
            assert answer.error is not None
            outcomes.append(_create_failed(p, kind, job, answer.error, flights))
        elif sort is Answer.AGAIN:
            outcomes.append(
                results.again(
                    state,
                    action="create",
                    summary=summary,
                    error=NOT_SAVED if answer.refused_with_others else "Xero gave no reason",
                    row_ids=job.row_ids,
                    in_flight_key=in_flight_key(job.document.version, generation + 1, key),
                )
            )
        else:
            outcomes.append(
                results.refused(
                    state,
                    action="create",
                    summary=summary,
                    messages=answer.errors,
                    row_ids=job.row_ids,
                )
            )
    await p.save(outcomes)
    if stop is not None:
        raise stop


def _create_failed(
    p: Pass, kind: DocumentKind, job: Job, error: XeroError, flights: dict[UUID, str]
) -> Outcome:
    # A failure other than a refusal may follow an attempt that landed (the client retries
    # inside one call): its key stays, and the document is looked up in Xero before it is
    # sent again.
    return p.results().failed(
        p.snap.state(kind.kind, job.document.id),
        action="create",
        summary=kind.summary(job.document),
        error=error,
        row_ids=job.row_ids,
        in_flight_key=flights[job.document.id],
    )
