"""One pass over one company's claimed outbox rows: plan, check, contacts, send, record.

Nothing here holds a database transaction across a call to Xero: the pass reads a
snapshot, records before each create that it is in flight (so that a worker killed
mid-call reconciles instead of creating twice), and records each step's outcomes in a
short transaction of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.orm import Session

from ledgerlink.domain.bill import Bill, BillStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.purchase_order import PurchaseOrder, PurchaseOrderStatus
from ledgerlink.store.clock import Clock
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.outbox_claims import park
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.contacts import create_contacts
from ledgerlink.sync.export.kinds import BILLS, PURCHASE_ORDERS, DocumentKind, status_change
from ledgerlink.sync.export.outcome import Disposition, Outcome, record
from ledgerlink.sync.export.reconcile import Found, find_bills, find_purchase_orders
from ledgerlink.sync.export.results import (
    ExportPolicy,
    PassStopped,
    Results,
    is_ambiguous,
    messages_of,
    stop_for,
)
from ledgerlink.sync.export.snapshot import Snapshot, load_snapshot
from ledgerlink.xero.outbound.checks import check_document
from ledgerlink.xero.outbound.contacts import contact_of
from xero_client import (
    FatalError,
    Invoice,
    NotFound,
    RateLimited,
    ValidationFailed,
    XeroClient,
    XeroError,
    XeroModel,
)

KINDS = ("supplier", "purchase_order", "bill")
_SENT_BILL = frozenset({BillStatus.APPROVED, BillStatus.PARTIALLY_PAID, BillStatus.PAID})
_SENT_ORDER = frozenset({PurchaseOrderStatus.APPROVED, PurchaseOrderStatus.FINISHED})

UowFactory = Callable[[], SqlUnitOfWork]
Renew = Callable[[Session], None]


def batch_key(kind: str, action: str, documents: Sequence[tuple[UUID, int]]) -> str:
    """An Idempotency-Key derived from the work: the same documents and versions, the same key."""
    text = "|".join(f"{i}:{v}" for i, v in sorted(documents))
    return f"ll-{kind}-{action}-{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def document_key(kind: str, action: str, document: Document | Supplier) -> str:
    return f"ll-{kind}-{action}-{document.id}-v{document.version}"


def _in_flight_version(key: str | None) -> int | None:
    if not key or not key.startswith("v"):
        return None
    head = key[1:].split(":", 1)[0]
    return int(head) if head.isdigit() else None


@dataclass
class Job:
    """One document to bring to Xero in this pass."""

    kind: str
    document: Document
    row_ids: tuple[int, ...]
    action: str  # "upsert" or "cancel"
    finish: bool = False  # a finished order: its bills follow
    forced: bool = False  # a bill sent as its order was finished


@dataclass
class CompanyExport:
    """Exports one company's claimed rows through ``client``; see ``run``."""

    uow_factory: UowFactory
    client: XeroClient
    company_id: UUID
    clock: Clock
    policy: ExportPolicy = field(default_factory=ExportPolicy)
    renew: Renew | None = None
    handled: int = 0
    _settled: set[tuple[str, UUID]] = field(default_factory=set)
    _contact_ids: dict[UUID, str] = field(default_factory=dict)
    _contact_problems: dict[UUID, tuple[str, ...]] = field(default_factory=dict)

    # -- recording -------------------------------------------------------------------

    def _results(self) -> Results:
        return Results(self.company_id, self.policy, self.clock())

    def _record(self, outcomes: Sequence[Outcome]) -> None:
        if not outcomes:
            return
        with self.uow_factory() as uow:
            record(uow.session, self.clock, self.client.tenant_id, outcomes)
            if self.renew is not None:
                self.renew(uow.session)
            uow.commit()
        for outcome in outcomes:
            self._snap.states[outcome.key] = outcome.state
            if outcome.disposition is not Disposition.KEEP:
                if outcome.key not in self._settled:
                    self.handled += 1
                self._settled.add(outcome.key)

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
                park(uow.session, self.company_id, stop.until, stop.reason)
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
                skipped.append(results.done(snap.state(kind, document_id), row_ids=rows))
            else:
                jobs.append(job)
        self._record(skipped)
        ready = self._check([job for job in jobs if job.action == "upsert"])
        supplier_rows = {d: tuple(r) for (k, d), r in groups.items() if k == "supplier"}
        await self._contacts(supplier_rows, ready)
        cancels = [job for job in jobs if job.action == "cancel"]
        orders = [j for j in ready if j.kind == "purchase_order"]
        orders += [j for j in cancels if j.kind == "purchase_order"]
        await self._kind_pass(PURCHASE_ORDERS, orders)
        bills = [j for j in ready if j.kind == "bill"]
        bills += self._bills_of_finished(orders, {j.document.id for j in bills})
        bills += [j for j in cancels if j.kind == "bill"]
        await self._kind_pass(BILLS, bills)
        await self._mark_billed([j for j in orders if j.finish])

    # -- planning and checks -----------------------------------------------------------

    def _plan(self, kind: str, document_id: UUID, rows: tuple[int, ...]) -> Job | None:
        snap = self._snap
        settings = snap.settings
        if kind == "purchase_order":
            order = snap.orders.get(document_id)
            if order is None or not settings.sends(kind):
                return None
            if order.status in _SENT_ORDER:
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
            if bill.status in _SENT_BILL or known:
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
            kind = KIND_OF[job.kind]
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

    async def _contacts(self, supplier_rows: dict[UUID, tuple[int, ...]], jobs: list[Job]) -> None:
        snap = self._snap
        results = self._results()
        wanted: dict[UUID, Supplier] = {}
        for supplier_id in supplier_rows:
            if supplier_id in snap.suppliers:
                wanted[supplier_id] = snap.suppliers[supplier_id]
        for job in jobs:
            used = getattr(job.document, "supplier_id", None)
            if isinstance(used, UUID) and used in snap.suppliers:
                wanted[used] = snap.suppliers[used]
        outcomes: list[Outcome] = []
        for supplier_id, rows in supplier_rows.items():
            if supplier_id not in snap.suppliers:
                state = snap.state("supplier", supplier_id)
                outcomes.append(results.done(state, row_ids=rows))
        new: list[Supplier] = []
        for supplier in wanted.values():
            link = snap.link("supplier", supplier.id)
            if link is None:
                new.append(supplier)
                continue
            self._contact_ids[supplier.id] = link.xero_id
            if supplier.id in supplier_rows and (link.synced_version or 0) < supplier.version:
                outcomes.append(await self._update_contact(supplier, link.xero_id, supplier_rows))
            elif supplier.id in supplier_rows:
                state = snap.state("supplier", supplier.id)
                outcomes.append(results.done(state, row_ids=supplier_rows[supplier.id]))
        self._record(outcomes)
        for start in range(0, len(new), self.policy.batch_size):
            chunk = new[start : start + self.policy.batch_size]
            await self._create_contacts(chunk, supplier_rows)

    async def _update_contact(
        self, supplier: Supplier, contact_id: str, supplier_rows: dict[UUID, tuple[int, ...]]
    ) -> Outcome:
        results = self._results()
        state = self._snap.state("supplier", supplier.id)
        rows = supplier_rows[supplier.id]
        summary = f"supplier {supplier.name} v{supplier.version}"
        try:
            await self.client.update_contact(
                contact_of(supplier, contact_id=contact_id),
                idempotency_key=document_key("supplier", "update", supplier),
            )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            if is_ambiguous(error) or not messages_of(error):
                return results.again(
                    state,
                    action="update",
                    summary=summary,
                    error=error,
                    row_ids=rows,
                    in_flight_key=None,
                )
            return results.refused(
                state, action="update", summary=summary, messages=messages_of(error), row_ids=rows
            )
        return results.sent(
            state,
            version=supplier.version,
            action="update",
            summary=summary,
            xero_id=contact_id,
            xero_status="ACTIVE",
            number=None,
            total_ours=None,
            total_xero=None,
            row_ids=rows,
        )

    async def _create_contacts(
        self, suppliers: list[Supplier], supplier_rows: dict[UUID, tuple[int, ...]]
    ) -> None:
        results = self._results()
        key = batch_key("supplier", "create", [(s.id, s.version) for s in suppliers])
        try:
            created = await create_contacts(self.client, suppliers, key)
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            for supplier in suppliers:
                self._contact_problems[supplier.id] = (f"contact not created: {error}",)
            self._record(
                [
                    results.again(
                        self._snap.state("supplier", s.id),
                        action="create",
                        summary=f"supplier {s.name}",
                        error=error,
                        row_ids=supplier_rows[s.id],
                        in_flight_key=None,
                    )
                    for s in suppliers
                    if s.id in supplier_rows
                ]
            )
            return
        outcomes = []
        for supplier in suppliers:
            state = self._snap.state("supplier", supplier.id)
            rows = supplier_rows.get(supplier.id, ())
            summary = f"supplier {supplier.name} v{supplier.version}"
            contact_id = created.contact_ids.get(supplier.id)
            if contact_id is not None:
                self._contact_ids[supplier.id] = contact_id
                note = "matched by name" if supplier.id in created.matched_by_name else None
                outcomes.append(
                    results.sent(
                        state,
                        version=supplier.version,
                        action="create",
                        summary=summary,
                        xero_id=contact_id,
                        xero_status="ACTIVE",
                        number=None,
                        total_ours=None,
                        total_xero=None,
                        row_ids=rows,
                        note=note,
                    )
                )
                continue
            refused = created.refused.get(supplier.id)
            if refused:
                self._contact_problems[supplier.id] = refused
                outcomes.append(
                    results.refused(
                        state, action="create", summary=summary, messages=refused, row_ids=rows
                    )
                )
            else:
                problem = f"contact not created: {created.error}"
                self._contact_problems[supplier.id] = (problem,)
                outcomes.append(
                    results.again(
                        state,
                        action="create",
                        summary=summary,
                        error=problem,
                        row_ids=rows,
                        in_flight_key=None,
                    )
                )
        self._record(outcomes)

    # -- documents ---------------------------------------------------------------------

    def _contact_for(self, job: Job) -> str | None:
        supplier_id = getattr(job.document, "supplier_id", None)
        return self._contact_ids.get(supplier_id) if isinstance(supplier_id, UUID) else None

    def _keep(self, job: Job) -> Disposition:
        return Disposition.KEEP if job.finish else Disposition.DONE

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
        creates += await self._reconcile(kind, in_flight, updates, cancels)
        for start in range(0, len(creates), self.policy.batch_size):
            await self._create(kind, creates[start : start + self.policy.batch_size])
        for job in updates:
            self._record([await self._update(kind, job)])
        for job in cancels:
            self._record([await self._cancel(kind, job)])

    def _without_contact(self, kind: DocumentKind, job: Job) -> Outcome:
        results = self._results()
        supplier_id = getattr(job.document, "supplier_id", None)
        state = self._snap.state(kind.kind, job.document.id)
        problems = self._contact_problems.get(supplier_id, ())  # type: ignore[arg-type]
        summary = kind.summary(job.document)
        if problems and not all(p.startswith("contact not created") for p in problems):
            return results.refused(
                state,
                action="contact",
                summary=summary,
                messages=tuple(f"supplier: {p}" for p in problems),
                row_ids=job.row_ids,
            )
        reason = problems[0] if problems else "the supplier's Xero contact is not known yet"
        return results.again(
            state,
            action="contact",
            summary=summary,
            error=reason,
            row_ids=job.row_ids,
            in_flight_key=state.in_flight_key,
        )

    def _never_sent(self, kind: DocumentKind, job: Job) -> Outcome:
        return self._results().done(
            self._snap.state(kind.kind, job.document.id),
            row_ids=job.row_ids,
            action="cancel",
            summary=kind.summary(job.document),
            answer="never reached Xero: nothing to withdraw",
            new_state="sent",
        )

    async def _reconcile(
        self, kind: DocumentKind, jobs: list[Job], updates: list[Job], cancels: list[Job]
    ) -> list[Job]:
        """Look up documents whose create may have landed; returns those still to create."""
        if not jobs:
            return []
        pairs = [(job.document, self._contact_for(job) or "") for job in jobs]
        exclude = {link.xero_id for (k, _), link in self._snap.links.items() if k == kind.kind}
        try:
            if kind.kind == "bill":
                found = await find_bills(
                    self.client,
                    [(d, c) for d, c in pairs if isinstance(d, Bill) and c],
                    exclude=exclude,
                )
            else:
                found = await find_purchase_orders(
                    self.client,
                    [(d, c) for d, c in pairs if isinstance(d, PurchaseOrder) and c],
                    exclude=exclude,
                )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            results = self._results()
            self._record(
                [
                    results.again(
                        self._snap.state(kind.kind, job.document.id),
                        action="lookup",
                        summary=kind.summary(job.document),
                        error=error,
                        row_ids=job.row_ids,
                        in_flight_key=self._snap.state(kind.kind, job.document.id).in_flight_key,
                    )
                    for job in jobs
                ]
            )
            return []
        remaining: list[Job] = []
        outcomes: list[Outcome] = []
        for job in jobs:
            hit = found.get(job.document.id)
            if hit is None:
                if job.action == "cancel":
                    outcomes.append(self._never_sent(kind, job))
                else:
                    remaining.append(job)
                continue
            outcomes.append(self._reconciled(kind, job, hit))
            sent_version = _in_flight_version(
                self._snap.state(kind.kind, job.document.id).in_flight_key
            )
            if job.action == "cancel":
                cancels.append(job)
            elif sent_version is None or sent_version < job.document.version:
                updates.append(job)
        self._record(outcomes)
        for outcome in outcomes:
            if outcome.link is not None:
                self._snap.links[(outcome.state.kind, str(outcome.state.document_id))] = _as_link(
                    outcome, self.client.tenant_id, self.clock
                )
        return remaining

    def _reconciled(self, kind: DocumentKind, job: Job, hit: Found) -> Outcome:
        state = self._snap.state(kind.kind, job.document.id)
        _, status, total = kind.facts(hit.element)
        version = _in_flight_version(state.in_flight_key) or job.document.version
        outcome = self._results().sent(
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
        return outcome

    def _status_for(self, kind: DocumentKind, job: Job) -> tuple[str, str | None]:
        status = self._snap.settings.status_for(kind.kind)
        document = job.document
        if isinstance(document, Bill) and document.due_date is None and status != "DRAFT":
            return "DRAFT", "sent as a draft: the bill has no due date yet"
        return status, None

    async def _create(self, kind: DocumentKind, jobs: list[Job]) -> None:
        snap = self._snap
        results = self._results()
        key = batch_key(kind.kind, "create", [(j.document.id, j.document.version) for j in jobs])
        elements: list[XeroModel] = []
        notes: list[str | None] = []
        for job in jobs:
            status, note = self._status_for(kind, job)
            notes.append(note)
            elements.append(
                kind.to_xero(
                    job.document,
                    contact_id=self._contact_for(job) or "",
                    status=status,
                    settings=snap.settings,
                    defaults=snap.defaults,
                )
            )
        flights = {job.document.id: f"v{job.document.version}:{key}" for job in jobs}
        self._record(
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
        try:
            answers = await kind.create(self.client, elements, key, snap.settings.unit_price_dp)
        except RateLimited as error:
            limited = stop_for(error, self.clock())
            self._record(
                [
                    results.waits(
                        snap.state(kind.kind, job.document.id),
                        until=limited.until,
                        reason=limited.reason,
                        row_ids=job.row_ids,
                        in_flight_key=None,
                    )
                    for job in jobs
                ]
            )
            raise limited from None
        except XeroError as error:
            self._record([self._create_failed(kind, job, error, flights) for job in jobs])
            return
        outcomes: list[Outcome] = []
        stop: PassStopped | None = None
        for answer in answers:
            job = jobs[answer.index]
            state = snap.state(kind.kind, job.document.id)
            summary = kind.summary(job.document)
            if answer.ok and answer.id is not None and answer.element is not None:
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
                        disposition=self._keep(job),
                        note=notes[answer.index],
                    )
                )
            elif answer.error is not None:
                if isinstance(answer.error, RateLimited):
                    stop = stop_for(answer.error, self.clock())
                    outcomes.append(
                        results.waits(
                            state,
                            until=stop.until,
                            reason=stop.reason,
                            row_ids=job.row_ids,
                            in_flight_key=flights[job.document.id],
                        )
                    )
                else:
                    outcomes.append(self._create_failed(kind, job, answer.error, flights))
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
        self._record(outcomes)
        if stop is not None:
            raise stop

    def _create_failed(
        self, kind: DocumentKind, job: Job, error: XeroError, flights: dict[UUID, str]
    ) -> Outcome:
        results = self._results()
        state = self._snap.state(kind.kind, job.document.id)
        summary = kind.summary(job.document)
        if is_ambiguous(error):
            return results.again(
                state,
                action="create",
                summary=summary,
                error=error,
                row_ids=job.row_ids,
                in_flight_key=flights[job.document.id],
            )
        if isinstance(error, XeroError) and _refusal(error):
            return results.refused(
                state,
                action="create",
                summary=summary,
                messages=messages_of(error),
                row_ids=job.row_ids,
            )
        return results.again(
            state,
            action="create",
            summary=summary,
            error=error,
            row_ids=job.row_ids,
            in_flight_key=None,
        )

    async def _update(self, kind: DocumentKind, job: Job) -> Outcome:
        snap = self._snap
        results = self._results()
        link = snap.link(kind.kind, job.document.id)
        assert link is not None
        state = snap.state(kind.kind, job.document.id)
        summary = kind.summary(job.document)
        element = kind.to_xero(
            job.document,
            contact_id=self._contact_for(job) or "",
            status=None,
            settings=snap.settings,
            defaults=snap.defaults,
            xero_id=link.xero_id,
        )
        try:
            answer = await kind.update(
                self.client,
                element,
                document_key(kind.kind, "update", job.document),
                snap.settings.unit_price_dp,
            )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            if _refusal(error):
                return results.refused(
                    state,
                    action="update",
                    summary=summary,
                    messages=messages_of(error),
                    row_ids=job.row_ids,
                )
            return results.again(
                state,
                action="update",
                summary=summary,
                error=error,
                row_ids=job.row_ids,
                in_flight_key=None,
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
            disposition=self._keep(job),
        )

    async def _cancel(self, kind: DocumentKind, job: Job) -> Outcome:
        snap = self._snap
        results = self._results()
        link = snap.link(kind.kind, job.document.id)
        assert link is not None
        state = snap.state(kind.kind, job.document.id)
        summary = kind.summary(job.document)
        try:
            if kind.kind == "bill":
                current = await kind.fetch(self.client, link.xero_id)
                target = _bill_withdrawal(current)
                if target is None:
                    return results.done(
                        state,
                        row_ids=job.row_ids,
                        action="cancel",
                        summary=summary,
                        answer="already deleted or voided in Xero",
                        new_state="sent",
                    )
                if target.startswith("payments"):
                    return results.refused(
                        state,
                        action="cancel",
                        summary=summary,
                        messages=(target,),
                        row_ids=job.row_ids,
                        fix="remove the bill's payments in Xero first, then retry the cancellation",
                    )
            else:
                target = "DELETED"
            answer = await kind.update(
                self.client,
                status_change(kind.kind, link.xero_id, target),
                document_key(kind.kind, "cancel", job.document),
                snap.settings.unit_price_dp,
            )
        except RateLimited as error:
            raise stop_for(error, self.clock()) from None
        except XeroError as error:
            if _refusal(error):
                return results.refused(
                    state,
                    action="cancel",
                    summary=summary,
                    messages=messages_of(error),
                    row_ids=job.row_ids,
                )
            return results.again(
                state,
                action="cancel",
                summary=summary,
                error=error,
                row_ids=job.row_ids,
                in_flight_key=None,
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

    async def _mark_billed(self, orders: list[Job]) -> None:
        """Finished orders whose bills went out: AUTHORISED → BILLED in Xero."""
        snap = self._snap
        results = self._results()
        outcomes: list[Outcome] = []
        for job in orders:
            state = snap.state("purchase_order", job.document.id)
            if state.state != "sent" or (job.kind, job.document.id) in self._settled:
                continue
            summary = PURCHASE_ORDERS.summary(job.document)
            answer = None
            if state.xero_status == "AUTHORISED" and state.xero_id:
                try:
                    element = await PURCHASE_ORDERS.update(
                        self.client,
                        status_change("purchase_order", state.xero_id, "BILLED"),
                        document_key("purchase_order", "billed", job.document),
                        2,
                    )
                    answer = "marked BILLED in Xero"
                    state = state.but(xero_status=PURCHASE_ORDERS.facts(element)[1])
                except RateLimited as error:
                    raise stop_for(error, self.clock()) from None
                except XeroError as error:
                    answer = f"not marked BILLED: {error}"
            outcomes.append(
                results.done(
                    state,
                    row_ids=job.row_ids,
                    action="finish",
                    summary=summary,
                    answer=answer or "finished; its bill follows under the bill settings",
                )
            )
        self._record(outcomes)


def _refusal(error: XeroError) -> bool:
    return isinstance(error, ValidationFailed | NotFound | FatalError)


def _bill_withdrawal(current: XeroModel) -> str | None:
    assert isinstance(current, Invoice)
    if current.status in ("DELETED", "VOIDED"):
        return None
    if (current.amount_paid or 0) > 0 or current.payments:
        return (
            f"payments exist: Xero will not void a bill with payments ({current.amount_paid} paid)"
        )
    return "VOIDED" if current.status in ("AUTHORISED", "PAID") else "DELETED"


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


KIND_OF: dict[str, DocumentKind] = {"purchase_order": PURCHASE_ORDERS, "bill": BILLS}

__all__ = ["CompanyExport", "ExportPolicy", "Job", "Snapshot", "SyncState", "batch_key"]
