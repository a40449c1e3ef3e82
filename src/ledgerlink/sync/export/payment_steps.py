"""The payments stage: each planned payment to its step.

Waiting payments are given back for later (no attempt counted; the sync log says what they
wait for, once per reason). Payments whose create may have landed are looked up in Xero
first (``payment_lookup``). New ones are checked against what Xero holds now
(``payment_checks``), then sent in requests of at most 50 Xero elements, each request
recorded in flight under its Idempotency-Key before the call; Xero's per-element answers
are sorted as documents' are (``create_steps.answer_of``). Each element saved is linked
(``payment_plan.ELEMENT``) so it is never sent again; a payment is linked once all of its
elements are in Xero. A payment deleted here is deleted in Xero (``payment_withdrawal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from ledgerlink.store.repositories.sync_links import LinkWrite, links_for_keys, save_links
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export import step_outcomes
from ledgerlink.sync.export.checks import read_organisation
from ledgerlink.sync.export.create_steps import NOT_SAVED, Answer, answer_of
from ledgerlink.sync.export.keys import in_flight_key, key_generation
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.payment_checks import Held, check_payment
from ledgerlink.sync.export.payment_lookup import Lookup, look_up, xero_invoices
from ledgerlink.sync.export.payment_plan import (
    BATCH,
    ELEMENT,
    PaymentAction,
    PaymentJob,
    PaymentPlan,
    element_key,
    payment_batches,
)
from ledgerlink.sync.export.payment_withdrawal import withdraw
from ledgerlink.sync.export.results import PassStopped, stop_for
from ledgerlink.sync.export.state import Pass
from ledgerlink.sync.export.step_outcomes import WAIT_SECONDS, in_flight, skipped, stopped
from ledgerlink.xero.outbound.payments import PaymentAccount, batch_payment_json, payment_json
from xero_client import Account, BatchPayment, BatchResult, RateLimited, XeroError, XeroModel
from xero_client import Payment as XeroPayment


def _summary(job: PaymentJob) -> str:
    return job.summary


def _state_of(p: Pass, job: PaymentJob) -> SyncState:
    return p.snap.state(job.kind, job.payment.id)


async def send_payments(p: Pass, decided: PaymentPlan) -> None:
    """Carry out the payments of a plan; every step writes its own outcomes."""
    results = p.results()
    outcomes: list[Outcome] = []
    outcomes.extend(skipped(p, s) for s in decided.skipped)
    for job in decided.of(PaymentAction.WAIT):
        assert job.waiting_for is not None
        outcomes.append(waits(p, job, job.waiting_for))
    for job in decided.of(PaymentAction.CURRENT):
        outcomes.append(results.done(_state_of(p, job), row_ids=job.row_ids, new_state="sent"))
    for job in decided.of(PaymentAction.NEVER_SENT):
        outcomes.append(_never_sent(p, job))
    p.record(outcomes)
    looked = await _look_up(p, decided.of(PaymentAction.LOOK_UP))
    creates = decided.of(PaymentAction.CREATE)
    if creates or looked.remaining:
        ready = await _checked(p, creates)
        for as_batch in (False, True):
            fresh = [j for j in ready if j.as_batch is as_batch]
            unfound = [j for j in looked.remaining if j.as_batch is as_batch]
            for batch in payment_batches(fresh, unfound, decided.batch_size):
                await _create(p, batch)
    for job in decided.of(PaymentAction.CANCEL) + looked.cancels:
        p.record([await withdraw(p, job)])


def waits(p: Pass, job: PaymentJob, reason: str) -> Outcome:
    """The payment goes later: no attempt counted; the log says why once per reason."""
    return step_outcomes.waits(
        p, _state_of(p, job), summary=_summary(job), reason=reason, row_ids=job.row_ids
    )


def _never_sent(p: Pass, job: PaymentJob) -> Outcome:
    return p.results().done(
        _state_of(p, job),
        row_ids=job.row_ids,
        action="cancel",
        summary=_summary(job),
        answer="never reached Xero: nothing to delete",
        new_state="sent",
    )


async def _look_up(p: Pass, jobs: list[PaymentJob]) -> Lookup:
    """Payments whose create may have landed: found ones linked, the others to send."""
    if not jobs:
        return Lookup()
    try:
        found = await look_up(p, jobs)
    except RateLimited as error:
        raise stop_for(error, p.env.clock()) from None
    except XeroError as error:
        _all_again(p, jobs, "lookup", error)
        return Lookup()
    write_elements(p, found.links)
    outcomes = [
        _sent(
            p, job, action="lookup", note="found in Xero after an unanswered send; not sent again"
        )
        for job in found.linked
    ]
    p.record(outcomes + [_never_sent(p, job) for job in found.never_sent])
    return found


def _all_again(p: Pass, jobs: Sequence[PaymentJob], action: str, error: XeroError) -> None:
    """Xero could not be asked: every job goes again later, keeping its in-flight mark."""
    results = p.results()
    p.record(
        [
            results.again(
                _state_of(p, job),
                action=action,
                summary=_summary(job),
                error=error,
                row_ids=job.row_ids,
                in_flight_key=_state_of(p, job).in_flight_key,
            )
            for job in jobs
        ]
    )


async def _checked(p: Pass, jobs: list[PaymentJob]) -> list[PaymentJob]:
    """The payments that may go now; the others fail (with the fix) or wait."""
    if not jobs:
        return []
    env = p.env
    await read_organisation(env, p.snap)
    try:
        accounts: list[Account] | None = await env.client.list_accounts()
        invoices = await xero_invoices(env.client, [t for j in jobs for t in j.unsent])
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        _all_again(p, jobs, "check", error)
        return []
    held = Held()
    ready: list[PaymentJob] = []
    outcomes: list[Outcome] = []
    for job in sorted(jobs, key=lambda j: str(j.payment.id)):
        verdict = check_payment(job, invoices, accounts, p.snap.reference, held)
        if verdict.problems:
            outcomes.append(
                p.results().refused(
                    _state_of(p, job),
                    action="check",
                    summary=_summary(job),
                    messages=tuple(f"{x.field}: {x.message}" for x in verdict.problems),
                    fix="; ".join(dict.fromkeys(x.fix for x in verdict.problems)),
                    row_ids=job.row_ids,
                    checked_here=True,
                )
            )
        elif verdict.waits_for is not None:
            outcomes.append(waits(p, job, verdict.waits_for))
        else:
            ready.append(job)
    p.record(outcomes)
    return ready


def _elements(job: PaymentJob) -> list[tuple[int | None, XeroModel]]:
    """The Xero elements of one payment: ``(allocation index, payment)`` per document, or
    ``(None, batch payment)``."""
    payment = job.payment
    account = PaymentAccount(code=payment.bank_account_code)
    if job.as_batch:
        ids = {t.document_id: t.xero_id or "" for t in job.targets}
        return [(None, batch_payment_json(payment, ids, account=account))]
    return [
        (
            t.index,
            payment_json(
                amount=payment.allocations[t.index].amount,
                date=payment.date,
                account=account,
                invoice_id=t.xero_id,
                reference=payment.reference,
            ),
        )
        for t in job.unsent
    ]


def _built(
    p: Pass, batch: list[PaymentJob]
) -> list[tuple[PaymentJob, list[tuple[int | None, XeroModel]]]]:
    """Each payment's Xero elements; one that cannot be built goes again later."""
    built: list[tuple[PaymentJob, list[tuple[int | None, XeroModel]]]] = []
    unbuilt: list[Outcome] = []
    for job in batch:
        try:
            built.append((job, _elements(job)))
        except Exception as error:  # one payment's trouble never stops the others
            unbuilt.append(
                p.results().again(
                    _state_of(p, job),
                    action="create",
                    summary=_summary(job),
                    error=f"could not be shaped for Xero: {type(error).__name__}: {error}",
                    row_ids=job.row_ids,
                    in_flight_key=_state_of(p, job).in_flight_key,
                )
            )
    p.record(unbuilt)
    return built


async def _create(p: Pass, batch: list[PaymentJob]) -> None:
    """Send one request of payments; a rate limit stops the pass after recording it."""
    env, results = p.env, p.results()
    built = _built(p, batch)
    batch = [job for job, _ in built]
    if not batch:
        return
    key, flights = in_flight(
        p, "payment", "create", [(_state_of(p, j), j.payment.id, j.payment.version) for j in batch]
    )
    sent: list[tuple[PaymentJob, int | None]] = []
    elements: list[XeroModel] = []
    for job, parts in built:
        for index, element in parts:
            sent.append((job, index))
            elements.append(element)
    try:
        answers = await _send(p, batch[0].as_batch, elements, key)
    except RateLimited as error:
        raise stopped(
            p, error, [(_state_of(p, j), j.row_ids, flights[j.payment.id]) for j in batch]
        ) from None
    except XeroError as error:
        p.record([_failed(p, j, error, flights[j.payment.id]) for j in batch])
        return
    by_job: dict[int, list[tuple[int | None, BatchResult[XeroModel]]]] = {}
    for answer in answers:
        job, index = sent[answer.index]
        by_job.setdefault(id(job), []).append((index, answer))
    links: list[LinkWrite] = []
    outcomes: list[Outcome] = []
    stop: PassStopped | None = None
    for job in batch:
        answered = by_job.get(id(job), [])
        saved = {i: a for i, a in answered if answer_of(a) is Answer.SAVED}
        links += _element_links(job, saved)
        sorts = {answer_of(a) for _, a in answered} - {Answer.SAVED}
        job_saved = _with_saved(job, saved)
        if not sorts and answered:
            outcomes.append(_sent(p, job_saved, action="create", answers=[a for _, a in answered]))
        elif Answer.REFUSED in sorts:
            messages = tuple(m for _, a in answered for m in a.errors)
            outcomes.append(
                results.refused(
                    _state_of(p, job),
                    action="create",
                    summary=_summary(job),
                    messages=messages,
                    row_ids=job.row_ids,
                )
            )
        elif Answer.RATE_LIMITED in sorts:
            limit = next(a.error for _, a in answered if isinstance(a.error, RateLimited))
            assert isinstance(limit, RateLimited)
            stop = stop_for(limit, env.clock())
            outcomes.append(
                results.waits(
                    _state_of(p, job),
                    until=stop.until,
                    reason=stop.reason,
                    row_ids=job.row_ids,
                    in_flight_key=flights[job.payment.id],
                )
            )
        elif Answer.UNSENT in sorts:
            unsent = next(a.error for _, a in answered if a.error is not None)
            assert unsent is not None
            outcomes.append(_failed(p, job, unsent, flights[job.payment.id]))
        else:
            outcomes.append(
                results.again(
                    _state_of(p, job),
                    action="create",
                    summary=_summary(job),
                    error=NOT_SAVED if answered else "Xero gave no answer for it",
                    row_ids=job.row_ids,
                    in_flight_key=in_flight_key(
                        job.payment.version, key_generation(flights[job.payment.id]) + 1, key
                    ),
                )
            )
    write_elements(p, links)
    p.record(outcomes)
    if stop is not None:
        raise stop


async def _send(
    p: Pass, as_batch: bool, elements: list[XeroModel], key: str
) -> list[BatchResult[XeroModel]]:
    client = p.env.client
    if as_batch:
        batches = [e for e in elements if isinstance(e, BatchPayment)]
        return list(await client.create_batch_payments(batches, idempotency_key=key))  # type: ignore[arg-type]
    payments = [e for e in elements if isinstance(e, XeroPayment)]
    return list(await client.create_payments(payments, idempotency_key=key))  # type: ignore[arg-type]


def _with_saved(job: PaymentJob, saved: dict[int | None, BatchResult[XeroModel]]) -> PaymentJob:
    ids = dict(job.sent)
    batch_id = job.batch_id
    for index, answer in saved.items():
        if index is None:
            batch_id = answer.id
        elif answer.id:
            ids[index] = answer.id
    return replace(job, sent=ids, batch_id=batch_id)


def _element_links(
    job: PaymentJob, saved: dict[int | None, BatchResult[XeroModel]]
) -> list[LinkWrite]:
    """The links of the Xero payments just made (for a batch payment: the payments in it)."""
    writes: list[LinkWrite] = []
    for index, answer in saved.items():
        if index is not None and answer.id:
            writes.append(_element_link(job, index, answer.id))
            continue
        for position, inner in enumerate(getattr(answer.element, "payments", ()) or ()):
            if inner.payment_id:
                writes.append(_element_link(job, position, inner.payment_id))
    return writes


def _element_link(job: PaymentJob, index: int, xero_id: str) -> LinkWrite:
    return LinkWrite(ELEMENT, element_key(job.payment.id, index), xero_id, None, None)


def write_elements(p: Pass, links: list[LinkWrite]) -> None:
    """Link the Xero payments made (before the payment's own outcome is written: a worker
    killed in between finds them linked and looks the rest up)."""
    if not links:
        return
    env = p.env
    with env.uow_factory() as uow:
        existing = links_for_keys(
            uow.session, env.company_id, [(w.kind, w.entity_id) for w in links]
        )
        save_links(
            uow.session, env.company_id, env.client.tenant_id, links,
            now=env.clock(), existing=existing,
        )  # fmt: skip
        uow.commit()


def _sent(
    p: Pass,
    job: PaymentJob,
    *,
    action: str,
    answers: Sequence[BatchResult[XeroModel]] = (),
    note: str | None = None,
) -> Outcome:
    """The payment is wholly in Xero: linked to its batch payment or its first element."""
    xero_id = job.batch_id or job.sent.get(0) or next(iter(job.sent.values()), None)
    assert xero_id is not None
    total = _answered_total(answers) if answers else None
    return p.results().sent(
        _state_of(p, job),
        version=job.payment.version,
        action=action,
        summary=_summary(job),
        xero_id=xero_id,
        xero_status="AUTHORISED",
        number=BATCH if job.as_batch else None,
        total_ours=job.payment.allocated if answers else None,
        total_xero=total,
        row_ids=job.row_ids,
        note=note,
    )


def _answered_total(answers: Sequence[BatchResult[XeroModel]]) -> Decimal | None:
    total = Decimal(0)
    for answer in answers:
        element = answer.element
        amount = getattr(element, "total_amount", None) or getattr(element, "amount", None)
        if amount is None:
            return None
        total += amount
    return total


def _failed(p: Pass, job: PaymentJob, error: XeroError, flight: str | None) -> Outcome:
    return p.results().failed(
        _state_of(p, job),
        action="create",
        summary=_summary(job),
        error=error,
        row_ids=job.row_ids,
        in_flight_key=flight,
    )


__all__ = ["WAIT_SECONDS", "send_payments", "waits"]
