"""One pass over one company's claimed outbox rows: plan, check, contacts, send, record.

Nothing here holds a database transaction across a call to Xero: the pass reads a
snapshot, records before each create that it is in flight (so that a worker killed
mid-call reconciles instead of creating twice), and records each step's outcomes in a
short transaction of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.sync.export.base import (
    KINDS,
    SENT_BILL,
    SENT_ORDER,
    Job,
)
from ledgerlink.sync.export.change_steps import ChangeSteps
from ledgerlink.sync.export.contact_steps import ContactSteps
from ledgerlink.sync.export.contacts import without_contact
from ledgerlink.sync.export.create_steps import CreateSteps
from ledgerlink.sync.export.kinds import BILLS, DOCUMENT_KINDS, PURCHASE_ORDERS, DocumentKind
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.results import (
    PassStopped,
)
from ledgerlink.sync.export.snapshot import load_snapshot
from ledgerlink.xero.outbound.checks import check_document


class CompanyExport(ContactSteps, CreateSteps, ChangeSteps):
    """Exports one company's claimed rows through ``client``; see ``run``."""

    # -- the pass ----------------------------------------------------------------------

    async def run(self, rows: Sequence[OutboxMessage]) -> int:
        """Bring the documents of ``rows`` to Xero; returns how many were settled."""
        groups: dict[tuple[str, UUID], list[int]] = {}
        for row in rows:
            groups.setdefault((row.kind, row.document_id), []).append(row.id)
        ids = {kind: [d for (k, d) in groups if k == kind] for kind in KINDS}
        with self.uow_factory() as uow:
            self._snap = load_snapshot(
                uow,
                self.clock,
                self.company_id,
                orders=ids["purchase_order"],
                bills=ids["bill"],
                suppliers=ids["supplier"],
            )
        self._stored = set(self._snap.states)
        self._linked = set(self._snap.links)
        try:
            await self._pass(groups)
        except PassStopped as stop:
            self._postpone(groups, stop)
        return self.handled

    def _postpone(self, groups: dict[tuple[str, UUID], list[int]], stop: PassStopped) -> None:
        results = self._results()
        waiting = [
            results.waits(
                self._snap.state(kind, document_id),
                until=stop.until,
                reason=stop.reason,
                row_ids=tuple(row_ids),
                in_flight_key=self._snap.state(kind, document_id).in_flight_key,
            )
            for (kind, document_id), row_ids in groups.items()
            if (kind, document_id) not in self._settled
        ]
        if stop.daily:
            with self.uow_factory() as uow:
                uow.outbox.park(self.company_id, stop.until, stop.reason)
                uow.commit()
        self._record(waiting)

    async def _pass(self, groups: dict[tuple[str, UUID], list[int]]) -> None:
        snap = self._snap
        results = self._results()
        jobs: list[Job] = []
        skipped: list[Outcome] = []
        for (kind, document_id), row_ids in groups.items():
            rows = tuple(row_ids)
            if kind == "supplier":
                continue
            job = self._plan(kind, document_id, rows)
            if job is None:
                tracked = (kind, document_id) in snap.states
                state = snap.state(kind, document_id)
                skipped.append(results.done(state, row_ids=rows, save_state=tracked))
            else:
                jobs.append(job)
        self._record(skipped)
        upserts = [job for job in jobs if job.action == "upsert"]
        finish_only = [job for job in jobs if job.action == "finish"]
        if upserts or finish_only:
            await self._read_organisation()
        ready = self._check(upserts)
        bills = [j for j in ready if j.kind == "bill"]
        orders = [j for j in ready if j.kind == "purchase_order"]
        forced = self._bills_of_finished(orders + finish_only, {j.document.id for j in bills})
        supplier_rows = {d: tuple(r) for (k, d), r in groups.items() if k == "supplier"}
        await self._contacts(supplier_rows, ready + forced)
        cancels = [job for job in jobs if job.action == "cancel"]
        orders += [j for j in cancels if j.kind == "purchase_order"]
        await self._kind_pass(PURCHASE_ORDERS, orders)
        bills += forced
        bills += [j for j in cancels if j.kind == "bill"]
        await self._kind_pass(BILLS, bills)
        await self._mark_billed([j for j in orders if j.finish])
        self._record(
            [
                results.done(
                    snap.state(j.kind, j.document.id),
                    row_ids=j.row_ids,
                    action="finish",
                    summary=PURCHASE_ORDERS.summary(j.document),
                    answer="finished; the settings send bills only: its bill was sent",
                    save_state=False,
                )
                for j in finish_only
            ]
        )

    # -- planning and checks -----------------------------------------------------------

    async def _read_organisation(self) -> None:
        """Lock dates and currencies join the reference data the documents are checked on."""
        if self.organisation is None:
            return
        facts = await self.organisation.get(self.client, self.clock())
        if facts is not None:
            self._snap.reference = replace(
                self._snap.reference,
                currencies=facts.currencies,
                period_lock_date=facts.period_lock_date,
                end_of_year_lock_date=facts.end_of_year_lock_date,
            )

    def _plan(self, kind: str, document_id: UUID, rows: tuple[int, ...]) -> Job | None:
        snap = self._snap
        settings = snap.settings
        if kind == "purchase_order":
            order = snap.orders.get(document_id)
            if order is None:
                return None
            if not settings.sends(kind):
                # Orders stay here, but the bill of a finished one follows the bill settings.
                finished = order.status is PurchaseOrderStatus.FINISHED
                if finished and settings.sends("bill"):
                    return Job(kind, order, rows, "finish", finish=True)
                return None
            if order.status in SENT_ORDER:
                finish = order.status is PurchaseOrderStatus.FINISHED
                return Job(kind, order, rows, "upsert", finish=finish)
            if order.status is PurchaseOrderStatus.CANCELLED:
                return Job(kind, order, rows, "cancel")
            return None
        if kind == "bill":
            bill = snap.bills.get(document_id)
            if bill is None or not settings.sends(kind):
                return None
            if bill.status is BillStatus.CANCELLED:
                return Job(kind, bill, rows, "cancel")
            known = (kind, document_id) in snap.states or snap.link(kind, document_id)
            if bill.status in SENT_BILL or known:
                return Job(kind, bill, rows, "upsert")
        return None

    def _check(self, jobs: list[Job]) -> list[Job]:
        snap = self._snap
        results = self._results()
        ready: list[Job] = []
        refused: list[Outcome] = []
        for job in jobs:
            document = job.document
            supplier = snap.suppliers.get(getattr(document, "supplier_id", None))  # type: ignore[arg-type]
            problems = check_document(
                document, snap.reference, party=supplier, defaults=snap.defaults
            )
            if not problems:
                ready.append(job)
                continue
            kind = DOCUMENT_KINDS[job.kind]
            refused.append(
                results.refused(
                    snap.state(job.kind, document.id),
                    action="check",
                    summary=kind.summary(document),
                    messages=tuple(f"{p.field}: {p.message}" for p in problems),
                    fix="; ".join(dict.fromkeys(p.fix for p in problems)),
                    row_ids=job.row_ids,
                    checked_here=True,
                )
            )
        self._record(refused)
        return ready

    def _bills_of_finished(self, orders: list[Job], planned: set[UUID]) -> list[Job]:
        snap = self._snap
        if not snap.settings.sends("bill"):
            return []
        jobs = []
        for job in orders:
            if not job.finish:
                continue
            for bill_id in snap.bills_of_order.get(job.document.id, []):
                bill = snap.bills.get(bill_id)
                if bill is None or bill_id in planned or bill.status is BillStatus.CANCELLED:
                    continue
                if snap.link("bill", bill_id) is not None:
                    continue
                jobs.append(Job("bill", bill, (), "upsert", forced=True))
        return self._check(jobs)

    # -- contacts ----------------------------------------------------------------------

    async def _kind_pass(self, kind: DocumentKind, jobs: list[Job]) -> None:
        snap = self._snap
        results = self._results()
        creates: list[Job] = []
        updates: list[Job] = []
        cancels: list[Job] = []
        in_flight: list[Job] = []
        outcomes: list[Outcome] = []
        for job in jobs:
            document = job.document
            state = snap.state(kind.kind, document.id)
            link = snap.link(kind.kind, document.id)
            if job.action == "upsert" and self._contact_for(job) is None:
                outcomes.append(self._without_contact(kind, job))
            elif link is not None:
                if job.action == "cancel":
                    cancels.append(job)
                elif (link.synced_version or 0) < document.version:
                    updates.append(job)
                else:
                    outcomes.append(
                        results.done(state, row_ids=job.row_ids, new_state="sent")
                        if not job.finish
                        else Outcome(state=state, row_ids=job.row_ids, disposition=Disposition.KEEP)
                    )
            elif state.in_flight_key:
                in_flight.append(job)
            elif job.action == "cancel":
                outcomes.append(self._never_sent(kind, job))
            else:
                creates.append(job)
        self._record(outcomes)
        unfound = await self._reconcile(kind, in_flight, updates, cancels)
        for batch in self._batches(kind, creates, unfound):
            await self._create(kind, batch)
        for job in updates:
            self._record([await self._alone(kind, job, "update", self._update(kind, job))])
        for job in cancels:
            self._record([await self._alone(kind, job, "cancel", self._cancel(kind, job))])

    def _without_contact(self, kind: DocumentKind, job: Job) -> Outcome:
        supplier_id = getattr(job.document, "supplier_id", None)
        return without_contact(
            self._results(),
            self._snap.state(kind.kind, job.document.id),
            summary=kind.summary(job.document),
            row_ids=job.row_ids,
            problem=self._contact_problems.get(supplier_id),  # type: ignore[arg-type]
        )


__all__ = ["CompanyExport"]
