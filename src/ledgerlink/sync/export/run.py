"""One pass over one company's claimed outbox rows: snapshot, plan, check, send, record.

``CompanyExport.run`` reads a snapshot, lets the pure planner (``plan``) decide what each
record asks for, checks the documents that go (``checks``), brings their parties to Xero
as contacts (``contact_steps``), the items their lines use (``item_steps``), then each
document kind in stage order
(``document_steps``), and finally marks finished documents whose followers went
(``change_steps.mark_finished``), then stock takes (``stock_steps``), then payments
(``payment_plan``, ``payment_steps``), which go only after the documents they pay, and last
the uses of refunds and store credit (``credit_use_plan``, ``credit_use_steps``: allocations
and refunds paid out). Nothing here holds a database transaction across a call to Xero:
each step records its outcomes in a short transaction of its own, and a create records
that it is in flight before the call (so a worker killed mid-call looks it up instead of
creating it twice).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from ledgerlink.store.clock import Clock
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.sync.export.change_steps import finished_only, mark_finished
from ledgerlink.sync.export.checks import check, read_organisation
from ledgerlink.sync.export.contact_steps import bring_contacts
from ledgerlink.sync.export.credit_use_plan import UseSnapshot, plan_uses
from ledgerlink.sync.export.credit_use_snapshot import load_use_snapshot
from ledgerlink.sync.export.credit_use_steps import send_uses
from ledgerlink.sync.export.document_steps import send_kind
from ledgerlink.sync.export.item_steps import bring_items
from ledgerlink.sync.export.kinds import CREDIT_USES, DOCUMENT_KINDS, PAYMENT_KINDS, STOCK_KINDS
from ledgerlink.sync.export.organisation import OrganisationFactsCache
from ledgerlink.sync.export.payment_plan import PaymentSnapshot, plan_payments
from ledgerlink.sync.export.payment_snapshot import load_payment_snapshot
from ledgerlink.sync.export.payment_steps import send_payments
from ledgerlink.sync.export.plan import Action, Job, Plan, coalesce, plan
from ledgerlink.sync.export.results import ExportPolicy, PassStopped
from ledgerlink.sync.export.snapshot import Snapshot, load_snapshot
from ledgerlink.sync.export.state import Env, Pass, PassState, Renew, UowFactory
from ledgerlink.sync.export.step_outcomes import skipped
from ledgerlink.sync.export.stock_steps import counted_codes, send_stock_takes
from xero_client import XeroClient


@dataclass
class CompanyExport:
    """Exports one company's claimed rows through ``client``; see ``run``."""

    uow_factory: UowFactory
    client: XeroClient
    company_id: UUID
    clock: Clock
    policy: ExportPolicy = field(default_factory=ExportPolicy)
    renew: Renew | None = None
    organisation: OrganisationFactsCache | None = None

    async def run(self, rows: Sequence[OutboxMessage]) -> int:
        """Bring the records of ``rows`` to Xero; returns how many were settled."""
        env = Env(
            self.uow_factory,
            self.client,
            self.company_id,
            self.clock,
            self.policy,
            self.renew,
            self.organisation,
        )
        wanted: dict[str, list[UUID]] = {}
        for row in rows:
            wanted.setdefault(row.kind, []).append(row.document_id)
        paid = [row for row in rows if row.kind in PAYMENT_KINDS]
        used = [row for row in rows if row.kind == CREDIT_USES]
        # Off the event loop: the worker's other organisations go on sending meanwhile.
        snapshot, payments, uses = await asyncio.to_thread(_load, env, wanted, paid, used)
        snapshot.links.update(payments.links)
        snapshot.states.update(payments.states)
        snapshot.states.update(uses.states)
        planned = [
            row
            for row in rows
            if row.kind not in PAYMENT_KINDS
            and row.kind not in STOCK_KINDS
            and row.kind != CREDIT_USES
        ]
        decided = plan(snapshot, planned, env.policy)
        counted = {
            document_id: row_ids
            for (kind, document_id), row_ids in coalesce(rows).items()
            if kind in STOCK_KINDS
        }
        p = Pass(env, PassState.of(snapshot, {row.id: row.created_at for row in rows}))
        try:
            await send(p, decided, counted)
            if paid:
                await send_payments(
                    p,
                    plan_payments(
                        payments,
                        paid,
                        snapshot.settings,
                        batch_size=env.policy.batch_size,
                        sent=sent_in(p),
                    ),
                )
            if used:
                await send_uses(
                    p,
                    plan_uses(
                        uses,
                        used,
                        snapshot.settings,
                        batch_size=env.policy.batch_size,
                        sent={**sent_in(p), **p.state.contacts},
                    ),
                )
        except PassStopped as stop:
            postpone(p, coalesce(rows), stop)
        return p.state.handled


def _load(
    env: Env,
    wanted: Mapping[str, list[UUID]],
    paid: list[OutboxMessage],
    used: list[OutboxMessage],
) -> tuple[Snapshot, PaymentSnapshot, UseSnapshot]:
    """What the pass needs from the store, read in one short transaction."""
    with env.uow_factory() as uow:
        uow.read_only()  # holds no write lock on SQLite while a large pass loads
        snapshot = load_snapshot(uow, env.clock, env.company_id, wanted)
        payments = PaymentSnapshot()
        if paid:
            payments = load_payment_snapshot(
                uow, env.clock, env.company_id, snapshot.settings, wanted
            )
        uses = UseSnapshot()
        if used:
            uses = load_use_snapshot(uow, env.clock, env.company_id, used)
    return snapshot, payments, uses


async def send(
    p: Pass, decided: Plan, counted: Mapping[UUID, tuple[int, ...]] | None = None
) -> None:
    """Carry out a plan, stage by stage, then the stock takes of ``counted`` (their rows)."""
    counted = counted or {}
    snap = p.snap
    p.record([skipped(p, s) for s in decided.skipped])
    jobs = decided.all_jobs()
    sends = [j for j in jobs if j.needs_party and j.leader is None]
    finish_only = [j for j in jobs if j.action is Action.FINISH]
    if sends or finish_only:
        await read_organisation(p.env, snap)
    ready = _checked(p, sends)
    passed = {_key(j) for j in ready + finish_only}
    ready += _checked(p, [j for j in jobs if j.leader is not None and j.leader in passed])
    await bring_contacts(p, decided, ready)
    await bring_items(p, decided, ready, also=counted_codes(p, counted))
    going = {_key(j) for j in ready}
    for kind in decided.order:
        planned = decided.of(kind)
        await send_kind(
            p, DOCUMENT_KINDS[kind], [j for j in planned if j.withdraw or _key(j) in going]
        )
    for kind in decided.order:
        leaders = [j for j in decided.of(kind) if j.finish and _key(j) in going]
        p.record(await mark_finished(p, DOCUMENT_KINDS[kind], leaders))
    p.record(finished_only(p, finish_only))
    if counted:
        await send_stock_takes(p, counted)


def sent_in(p: Pass) -> dict[tuple[str, UUID], str]:
    """The Xero ids of the documents in Xero as this pass stands, by ``(kind, id)``."""
    return {
        key: state.xero_id
        for key, state in p.snap.states.items()
        if key[0] in DOCUMENT_KINDS and state.xero_id and state.state == "sent"
    }


def _key(job: Job) -> tuple[str, UUID]:
    return (job.kind, job.document.id)


def _checked(p: Pass, jobs: list[Job]) -> list[Job]:
    ready, refused = check(p.snap, jobs, DOCUMENT_KINDS, p.results())
    p.record(refused)
    return ready


def postpone(p: Pass, groups: dict[tuple[str, UUID], tuple[int, ...]], stop: PassStopped) -> None:
    """The budget is spent: every record not settled yet waits until ``stop.until``."""
    results, snap = p.results(), p.snap
    waiting = [
        results.waits(
            snap.state(kind, document_id),
            until=stop.until,
            reason=stop.reason,
            row_ids=row_ids,
            in_flight_key=snap.state(kind, document_id).in_flight_key,
        )
        for (kind, document_id), row_ids in groups.items()
        if (kind, document_id) not in p.state.settled
    ]
    if stop.daily:
        with p.env.uow_factory() as uow:
            uow.outbox.park(p.env.company_id, stop.until, stop.reason)
            uow.commit()
    p.record(waiting)


__all__ = ["CompanyExport", "send"]
