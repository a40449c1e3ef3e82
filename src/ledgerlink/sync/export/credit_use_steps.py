"""The ALLOCATIONS stage: each planned use of credit to its step.

Uses waiting for their credit note or invoice are given back for later (no attempt
counted; the sync log says what they wait for, once per reason). Uses whose send may have
landed are looked up in Xero first: an allocation among its credit note's (or
overpayment's) allocations, a refund paid out among its credit note's payments, a payment
among its invoice's payments (by invoice, amount and date), an overpayment among its
customer's (by date and total), never one already linked to another use. New ones are
checked against what Xero holds now (the credit note or overpayment and the invoice
authorised, enough credit left and enough due, the payment account), then sent, each
request recorded in flight under its Idempotency-Key before the call: allocations up to 50
to a call to their credit note's (or overpayment's) ``/Allocations``, payments (refunds
paid out, overpayments' store credit used) and overpayments up to 50 to a call of their
own. Each use in Xero is linked, so it is never sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.domain.preflight import ReferenceProblem
from ledgerlink.store.repositories.sync_links import linked_xero_ids
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.sync.export import step_outcomes
from ledgerlink.sync.export.checks import read_organisation
from ledgerlink.sync.export.create_steps import NOT_SAVED, Answer, answer_of
from ledgerlink.sync.export.credit_use_plan import (
    ON_CREDIT,
    ON_INVOICE,
    UseAction,
    UseJob,
    UsePlan,
    Way,
    with_overpayment,
)
from ledgerlink.sync.export.keys import in_flight_key, key_generation, sent_batch
from ledgerlink.sync.export.outcome import Outcome
from ledgerlink.sync.export.results import PassStopped, stop_for
from ledgerlink.sync.export.state import Pass
from ledgerlink.sync.export.step_outcomes import WAIT_SECONDS, in_flight, skipped, stopped
from ledgerlink.xero.outbound.checks import check_payment_account
from ledgerlink.xero.outbound.payments import (
    PaymentAccount,
    payment_json,
    received_overpayment_json,
)
from ledgerlink.xero.outbound.sales import allocation_json
from xero_client import (
    Account,
    Allocation,
    BankTransaction,
    BatchResult,
    CreditNote,
    Invoice,
    Overpayment,
    RateLimited,
    XeroClient,
    XeroError,
    XeroModel,
)
from xero_client import Payment as XeroPayment

#: The reference of a payment that is store credit used (``store_credit_payment_json``).
STORE_CREDIT_REFERENCE = "Store credit"
#: Xero statuses a use waits out (a person authorises the document there).
NOT_YET = frozenset({"DRAFT", "SUBMITTED"})
NOT_AUTHORISED = "Payments can only be made against Authorised documents"
#: Ways that are allocations of one credit note or overpayment (many to a call).
ALLOCATIONS = frozenset({Way.ALLOCATION, Way.OVERPAYMENT_ALLOCATION})
EXCEEDS_OUTSTANDING = "Payment amount exceeds the amount outstanding on this document"


def _state(p: Pass, job: UseJob) -> SyncState:
    return p.snap.state(CREDIT_USE, job.use.id)


async def send_uses(p: Pass, decided: UsePlan) -> None:
    """Carry out the uses of a plan; every step writes its own outcomes. Overpayments go
    first: the uses of one made in this pass go in this pass too."""
    results = p.results()
    outcomes: list[Outcome] = [skipped(p, s) for s in decided.skipped]
    for job in decided.of(UseAction.CURRENT):
        outcomes.append(results.done(_state(p, job), row_ids=job.row_ids, new_state="sent"))
    p.record(outcomes)
    going = decided.of(UseAction.WAIT, UseAction.LOOK_UP, UseAction.CREATE)
    await _carry_out(p, [j for j in going if j.way is Way.OVERPAYMENT], decided.batch_size)
    rest = [_now(p, j) for j in going if j.way is not Way.OVERPAYMENT]
    await _carry_out(p, rest, decided.batch_size)


def _now(p: Pass, job: UseJob) -> UseJob:
    """``job`` as it stands now that this pass's overpayments are in Xero."""
    overpayment = job.credit.overpayment_use
    if job.action is not UseAction.WAIT or job.credit_xero_id or overpayment is None:
        return job
    state = p.snap.states.get((CREDIT_USE, overpayment))
    if state is None or state.state != "sent" or not state.xero_id:
        return job
    return with_overpayment(job, state.xero_id)


async def _carry_out(p: Pass, jobs: list[UseJob], size: int) -> None:
    """Wait, look up, check and send ``jobs``."""
    waiting = [j for j in jobs if j.action is UseAction.WAIT]
    p.record([waits(p, job, job.waiting_for or "") for job in waiting])
    remaining = await _look_up(p, [j for j in jobs if j.action is UseAction.LOOK_UP])
    ready = await _checked(p, [j for j in jobs if j.action is UseAction.CREATE] + remaining)
    for batch in _batches(ready, size):
        await _create(p, batch)


def waits(p: Pass, job: UseJob, reason: str) -> Outcome:
    """The use goes later: no attempt counted; the log says why once per reason."""
    return step_outcomes.waits(
        p, _state(p, job), summary=job.summary, reason=reason, row_ids=job.row_ids
    )


def _again(p: Pass, jobs: Sequence[UseJob], action: str, error: XeroError) -> None:
    """Xero could not be asked: every job goes again later, keeping its in-flight mark."""
    p.record(
        [
            p.results().again(
                _state(p, job),
                action=action,
                summary=job.summary,
                error=error,
                row_ids=job.row_ids,
                in_flight_key=_state(p, job).in_flight_key,
            )
            for job in jobs
        ]
    )


def _sent(p: Pass, job: UseJob, xero_id: str, action: str, note: str | None = None) -> Outcome:
    return p.results().sent(
        _state(p, job),
        version=job.use.version,
        action=action,
        summary=job.summary,
        xero_id=xero_id,
        xero_status="AUTHORISED",
        number=job.way.value,
        total_ours=job.use.amount,
        total_xero=None,
        row_ids=job.row_ids,
        note=note,
    )


# -- looking up what may have landed ----------------------------------------------------


async def _look_up(p: Pass, jobs: list[UseJob]) -> list[UseJob]:
    """Uses whose send may have landed: found ones linked; the others are returned, to go
    again under their key."""
    if not jobs:
        return []
    env = p.env
    try:
        candidates = {job.use.id: await _candidates(p, job) for job in jobs}
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        _again(p, jobs, "lookup", error)
        return []
    with env.uow_factory() as uow:
        taken = linked_xero_ids(
            uow.session,
            env.company_id,
            CREDIT_USE,
            [x for found in candidates.values() for x, _ in found],
        )
    remaining: list[UseJob] = []
    outcomes: list[Outcome] = []
    for job in sorted(jobs, key=lambda j: str(j.use.id)):
        match = next(
            (
                x
                for x, amount in candidates[job.use.id]
                if x.lower() not in taken and amount == job.use.amount
            ),
            None,
        )
        if match is None:
            remaining.append(job)
            continue
        taken.add(match.lower())
        outcomes.append(
            _sent(p, job, match, "lookup", "found in Xero after an unanswered send; not sent again")
        )
    p.record(outcomes)
    return remaining


async def _candidates(p: Pass, job: UseJob) -> list[tuple[str, Decimal]]:
    """The Xero records (id, amount) this use may already be."""
    client = p.env.client
    if job.way is Way.OVERPAYMENT:
        assert job.contact_id is not None
        where = (
            f'Type=="RECEIVE-OVERPAYMENT" AND Status=="AUTHORISED" AND '
            f'Contact.ContactID==Guid("{job.contact_id}")'
        )
        return [
            (x.overpayment_id, x.total or Decimal(0))
            async for x in client.iter_overpayments(where=where)
            if x.overpayment_id and x.date == job.date
        ]
    if job.way is Way.PAYMENT:
        assert job.target_xero_id is not None
        where = (
            f'Status=="AUTHORISED" AND Invoice.InvoiceID==Guid("{job.target_xero_id}") '
            f'AND Reference=="{STORE_CREDIT_REFERENCE}"'
        )
        return [
            (x.payment_id, x.amount or Decimal(0))
            async for x in client.iter_payments(where=where)
            if x.payment_id and x.date == job.date
        ]
    assert job.credit_xero_id is not None
    note = await _credit(client, job)
    if job.way is Way.PAID_OUT and isinstance(note, CreditNote):
        return [
            (x.payment_id, x.amount or Decimal(0))
            for x in note.payments
            if x.payment_id and x.status != "DELETED"
        ]
    target = (job.target_xero_id or "").lower()
    return [
        (a.allocation_id, a.amount or Decimal(0))
        for a in note.allocations
        if a.allocation_id
        and not a.is_deleted
        and a.invoice is not None
        and (a.invoice.invoice_id or "").lower() == target
    ]


async def _credit(client: XeroClient, job: UseJob) -> CreditNote | Overpayment:
    """The credit note or overpayment a use draws on, as Xero holds it now."""
    assert job.credit_xero_id is not None
    if job.way is Way.OVERPAYMENT_ALLOCATION:
        return await client.get_overpayment(job.credit_xero_id)
    return await client.get_credit_note(job.credit_xero_id)


# -- checks against what Xero holds now --------------------------------------------------


@dataclass
class Held:
    """What uses checked earlier in this pass take of each credit note and invoice."""

    amounts: dict[str, Decimal] = field(default_factory=dict)

    def left(self, xero_id: str, balance: Decimal | None) -> Decimal:
        return (balance or Decimal(0)) - self.amounts.get(xero_id.lower(), Decimal(0))

    def hold(self, xero_id: str, amount: Decimal) -> None:
        key = xero_id.lower()
        self.amounts[key] = self.amounts.get(key, Decimal(0)) + amount


async def _checked(p: Pass, jobs: list[UseJob]) -> list[UseJob]:
    """The uses that may go now; the others fail (with the fix) or wait."""
    if not jobs:
        return []
    env = p.env
    await read_organisation(env, p.snap)
    try:
        accounts: list[Account] = await env.client.list_accounts()
        notes: dict[str, CreditNote | Overpayment] = {}
        for job in jobs:
            if job.credit_xero_id and job.credit_xero_id.lower() not in notes:
                notes[job.credit_xero_id.lower()] = await _credit(env.client, job)
        invoices: dict[str, Invoice] = {}
        ids = sorted({j.target_xero_id.lower() for j in jobs if j.target_xero_id})
        for start in range(0, len(ids), 40):
            async for invoice in env.client.iter_invoices(ids=ids[start : start + 40]):
                if invoice.invoice_id:
                    invoices[invoice.invoice_id.lower()] = invoice
    except RateLimited as error:
        raise stop_for(error, env.clock()) from None
    except XeroError as error:
        _again(p, jobs, "check", error)
        return []
    held = Held()
    ready: list[UseJob] = []
    outcomes: list[Outcome] = []
    for job in sorted(jobs, key=lambda j: str(j.use.id)):
        problems, waits_for = _verdict(job, notes, invoices, accounts, held)
        if problems:
            outcomes.append(
                p.results().refused(
                    _state(p, job),
                    action="check",
                    summary=job.summary,
                    messages=tuple(f"{x.field}: {x.message}" for x in problems),
                    fix="; ".join(dict.fromkeys(x.fix for x in problems)),
                    row_ids=job.row_ids,
                    checked_here=True,
                )
            )
        elif waits_for:
            outcomes.append(waits(p, job, waits_for))
        else:
            ready.append(job)
    p.record(outcomes)
    return ready


def _verdict(
    job: UseJob,
    notes: dict[str, CreditNote | Overpayment],
    invoices: dict[str, Invoice],
    accounts: list[Account],
    held: Held,
) -> tuple[list[ReferenceProblem], str | None]:
    """Why ``job`` cannot go now (problems, or what it waits for); on success its amount is
    held on its credit note and invoice."""
    amount = job.use.amount
    problems: list[ReferenceProblem] = []
    waiting: list[str] = []
    credit = job.credit.kind.replace("_", " ")
    if job.account_code is not None:
        problems += check_payment_account(PaymentAccount(code=job.account_code), accounts)
    note = notes.get((job.credit_xero_id or "").lower()) if job.credit_xero_id else None
    if job.way is Way.OVERPAYMENT_ALLOCATION:
        credit = "overpayment"
    if job.way in ON_CREDIT:
        if note is None or note.status in ("DELETED", "VOIDED"):
            status = note.status if note is not None else "not found"
            problems.append(
                ReferenceProblem(
                    "credit_id",
                    f"Only an AUTHORISED credit can be allocated (the {credit}'s Xero record is "
                    f"{status} in Xero)",
                    f"the {credit}'s Xero record was taken back in Xero: restore it there, or "
                    "handle this use by hand and mark it resolved",
                )
            )
        elif note.status in NOT_YET:
            waiting.append(f"{credit} {job.credit.number} ({note.status} in Xero)")
        elif amount > held.left(job.credit_xero_id or "", note.remaining_credit):
            left = held.left(job.credit_xero_id or "", note.remaining_credit)
            problems.append(
                ReferenceProblem(
                    "amount",
                    f"The amount ({amount}) is more than the remaining credit ({left})",
                    f"the {credit} has less credit left in Xero than this use: check its "
                    "allocations and refunds in Xero, then retry",
                )
            )
    invoice = invoices.get((job.target_xero_id or "").lower()) if job.target_xero_id else None
    if job.way in ON_INVOICE:
        label = (job.target_kind or "invoice").replace("_", " ")
        if invoice is None or invoice.status in ("DELETED", "VOIDED"):
            status = invoice.status if invoice is not None else "not found"
            problems.append(
                ReferenceProblem(
                    "target_id",
                    f"{NOT_AUTHORISED} (the {label} is {status} in Xero)",
                    f"the {label} was taken back in Xero: restore it there, or handle this "
                    "use by hand and mark it resolved",
                )
            )
        elif invoice.status in NOT_YET:
            waiting.append(f"{label} {job.target_number} ({invoice.status} in Xero)")
        elif amount > held.left(invoice.invoice_id or "", invoice.amount_due):
            due = held.left(invoice.invoice_id or "", invoice.amount_due)
            problems.append(
                ReferenceProblem(
                    "amount",
                    f"{EXCEEDS_OUTSTANDING} ({amount} used, {due} due in Xero)",
                    f"the {label} owes less in Xero than this use of credit: check its "
                    "payments and credit in Xero, then retry",
                )
            )
    if problems:
        return problems, None
    if waiting:
        return [], (
            f"waits for {', '.join(waiting)} to be authorised in Xero: credit is used only "
            "on authorised documents"
        )
    if note is not None and job.credit_xero_id:
        held.hold(job.credit_xero_id, amount)
    if invoice is not None and invoice.invoice_id:
        held.hold(invoice.invoice_id, amount)
    return [], None


# -- sending -----------------------------------------------------------------------------


def _flight(p: Pass, jobs: Sequence[UseJob], action: str) -> tuple[str, dict[UUID, str]]:
    """The Idempotency-Key of one request and each job's in-flight mark."""
    return in_flight(p, CREDIT_USE, action, [(_state(p, j), j.use.id, j.use.version) for j in jobs])


def _failed(p: Pass, job: UseJob, error: XeroError, flight: str | None) -> Outcome:
    return p.results().failed(
        _state(p, job),
        action="create",
        summary=job.summary,
        error=error,
        row_ids=job.row_ids,
        in_flight_key=flight,
    )


def _request(job: UseJob) -> tuple[str, str]:
    """What request a use goes in: allocations of one credit note or overpayment together,
    payments together, overpayments together."""
    if job.way in ALLOCATIONS:
        return (job.way.value, job.credit_xero_id or "")
    return ("overpayment" if job.way is Way.OVERPAYMENT else "payment", "")


def _batches(jobs: list[UseJob], size: int) -> list[list[UseJob]]:
    """Requests of up to ``size`` uses; those sent without an answer go again with their
    batch mates, under their key."""
    groups: dict[tuple[tuple[str, str], str], list[UseJob]] = {}
    for job in sorted(jobs, key=lambda j: str(j.use.id)):
        groups.setdefault((_request(job), sent_batch(job.sent_key)), []).append(job)
    out: list[list[UseJob]] = []
    for group in groups.values():
        out.extend(group[start : start + size] for start in range(0, len(group), size))
    return out


def _element(job: UseJob) -> XeroModel:
    if job.way in ALLOCATIONS:
        assert job.target_xero_id is not None
        return allocation_json(job.use.amount, invoice_id=job.target_xero_id, date=job.date)
    assert job.account_code is not None
    account = PaymentAccount(code=job.account_code)
    if job.way is Way.OVERPAYMENT:
        assert job.contact_id is not None
        return received_overpayment_json(
            job.use.amount,
            date=job.date,
            currency=job.credit.currency,
            reference=job.credit.reference,
            contact_id=job.contact_id,
            account=account,
        )
    if job.way is Way.PAID_OUT:
        return payment_json(
            amount=job.use.amount,
            date=job.date,
            account=account,
            credit_note_id=job.credit_xero_id,
            reference=f"Refund {job.credit.number}" if job.credit.number else "Refund",
        )
    return payment_json(
        amount=job.use.amount,
        date=job.date,
        account=account,
        invoice_id=job.target_xero_id,
        reference=STORE_CREDIT_REFERENCE,
    )


async def _send(
    client: XeroClient, first: UseJob, elements: list[XeroModel], key: str
) -> Sequence[BatchResult[Any]]:
    allocations = [e for e in elements if isinstance(e, Allocation)]
    if allocations:
        assert first.credit_xero_id is not None
        credits = "Overpayments" if first.way is Way.OVERPAYMENT_ALLOCATION else "CreditNotes"
        return await client.create_allocations(
            credits, first.credit_xero_id, allocations, idempotency_key=key
        )
    payments = [e for e in elements if isinstance(e, XeroPayment)]
    if payments:
        return await client.create_payments(payments, idempotency_key=key)
    received = [e for e in elements if isinstance(e, BankTransaction)]
    return await client.create_bank_transactions(received, idempotency_key=key)


def _saved_id(answer: BatchResult[Any]) -> str | None:
    """The Xero id a use is linked to: an overpayment's own id, else the element's."""
    overpayment = getattr(answer.element, "overpayment_id", None)
    return str(overpayment) if overpayment else answer.id


async def _create(p: Pass, batch: list[UseJob]) -> None:
    """One request: allocations of one credit note or overpayment, payments (refunds paid
    out, store credit used) or overpayments; a rate limit stops the pass after recording
    it."""
    key, flights = _flight(p, batch, _request(batch[0])[0])
    elements = [_element(job) for job in batch]
    try:
        answers = await _send(p.env.client, batch[0], elements, key)
    except RateLimited as error:
        raise stopped(
            p, error, [(_state(p, j), j.row_ids, flights[j.use.id]) for j in batch]
        ) from None
    except XeroError as error:
        p.record([_failed(p, j, error, flights[j.use.id]) for j in batch])
        return
    by_index = {a.index: a for a in answers}
    outcomes: list[Outcome] = []
    stop: PassStopped | None = None
    for index, job in enumerate(batch):
        answer = by_index.get(index)
        sort = answer_of(answer) if answer is not None else Answer.AGAIN
        flight = flights[job.use.id]
        saved = _saved_id(answer) if answer is not None else None
        if answer is not None and sort is Answer.SAVED and saved:
            outcomes.append(_sent(p, job, saved, "create"))
        elif answer is not None and sort is Answer.REFUSED:
            outcomes.append(
                p.results().refused(
                    _state(p, job),
                    action="create",
                    summary=job.summary,
                    messages=tuple(answer.errors),
                    row_ids=job.row_ids,
                )
            )
        elif answer is not None and isinstance(answer.error, RateLimited):
            stop = stop_for(answer.error, p.env.clock())
            outcomes.append(
                p.results().waits(
                    _state(p, job),
                    until=stop.until,
                    reason=stop.reason,
                    row_ids=job.row_ids,
                    in_flight_key=flight,
                )
            )
        elif answer is not None and answer.error is not None:
            outcomes.append(_failed(p, job, answer.error, flight))
        else:
            generation = key_generation(flight) + 1
            outcomes.append(
                p.results().again(
                    _state(p, job),
                    action="create",
                    summary=job.summary,
                    error=NOT_SAVED,
                    row_ids=job.row_ids,
                    in_flight_key=in_flight_key(job.use.version, generation, key),
                )
            )
    p.record(outcomes)
    if stop is not None:
        raise stop


__all__ = ["WAIT_SECONDS", "send_uses", "waits"]
