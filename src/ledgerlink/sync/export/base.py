"""What every step of a company's export pass shares: its state, keys and recording."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.orm import Session

from ledgerlink.domain.bill import BillStatus
from ledgerlink.domain.document import Document
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.purchase_order import PurchaseOrderStatus
from ledgerlink.store.clock import Clock
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.contacts import ContactProblem
from ledgerlink.sync.export.kinds import DocumentKind
from ledgerlink.sync.export.organisation import OrganisationFactsCache
from ledgerlink.sync.export.outcome import Disposition, Outcome, record
from ledgerlink.sync.export.results import (
    ExportPolicy,
    PassStopped,
    Results,
)
from ledgerlink.sync.export.snapshot import Snapshot
from xero_client import XeroClient

KINDS = ("supplier", "purchase_order", "bill")
SENT_BILL = frozenset({BillStatus.APPROVED, BillStatus.PARTIALLY_PAID, BillStatus.PAID})
SENT_ORDER = frozenset({PurchaseOrderStatus.APPROVED, PurchaseOrderStatus.FINISHED})

UowFactory = Callable[[], SqlUnitOfWork]
log = logging.getLogger("ledgerlink.worker")
Renew = Callable[[Session], None]


def batch_key(kind: str, action: str, documents: Sequence[tuple[UUID, int]]) -> str:
    """An Idempotency-Key derived from the work: the same documents and versions, the same key."""
    text = "|".join(f"{i}:{v}" for i, v in sorted(documents))
    return f"ll-{kind}-{action}-{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def document_key(kind: str, action: str, document: Document | Supplier) -> str:
    """The Idempotency-Key of one change of one document (its update or cancellation)."""
    return f"ll-{kind}-{action}-{document.id}-v{document.version}"


def in_flight_key(version: int, generation: int, key: str) -> str:
    """What a document records while its create may be in flight: ``v3:g0:<batch key>``."""
    return f"v{version}:g{generation}:{key}"


def in_flight_version(key: str | None) -> int | None:
    """The version a possibly landed create carried (from ``in_flight_key``)."""
    if not key or not key.startswith("v"):
        return None
    head = key[1:].split(":", 1)[0]
    return int(head) if head.isdigit() else None


def key_generation(key: str | None) -> int:
    """How many times a create was found not to have landed and must go under a new key.

    A create whose fate was unknown is sent again under the same key (so a straggler of
    the first attempt is answered once); a key Xero then refuses as a whole (spent on a
    request that never arrived complete) is replaced by the next generation.
    """
    parts = (key or "").split(":", 2)
    if len(parts) == 3 and parts[1].startswith("g") and parts[1][1:].isdigit():
        return int(parts[1][1:])
    return 0


@dataclass
class Job:
    """One document to bring to Xero in this pass."""

    kind: str
    document: Document
    row_ids: tuple[int, ...]
    action: str  # "upsert", "cancel", or "finish" (an order not sent itself: its bills go)
    finish: bool = False  # a finished order: its bills follow
    forced: bool = False  # a bill sent as its order was finished


@dataclass
class ExportBase:
    """One company's pass: the client, the snapshot and what has been settled so far."""

    uow_factory: UowFactory
    client: XeroClient
    company_id: UUID
    clock: Clock
    policy: ExportPolicy = field(default_factory=ExportPolicy)
    renew: Renew | None = None
    handled: int = 0
    _snap: Snapshot = field(init=False)
    #: The sync states already stored (updated, not inserted, when written again).
    _stored: set[tuple[str, UUID]] = field(default_factory=set)
    #: The Xero links already stored, by ``(kind, entity id)``.
    _linked: set[tuple[str, str]] = field(default_factory=set)
    _settled: set[tuple[str, UUID]] = field(default_factory=set)
    _contact_ids: dict[UUID, str] = field(default_factory=dict)
    organisation: OrganisationFactsCache | None = None
    #: Why a supplier has no Xero contact in this pass.
    _contact_problems: dict[UUID, ContactProblem] = field(default_factory=dict)

    def _results(self) -> Results:
        return Results(self.company_id, self.policy, self.clock())

    def _record(self, outcomes: Sequence[Outcome]) -> list[Outcome]:
        """Write outcomes and return them as written: one whose Xero record is already
        linked to another record here is failed on its own document, the others stand."""
        if not outcomes:
            return []
        try:
            self._write(outcomes)
        except DuplicateRecord:
            if len(outcomes) > 1:
                return [written for o in outcomes for written in self._record([o])]
            outcomes = [self._link_taken(outcomes[0])]
            self._write(outcomes)
        if self.organisation is not None:
            errors = [o.error for o in outcomes if o.disposition is Disposition.FAILED]
            self.organisation.forget_if_stale(self.client.tenant_id, [e for e in errors if e])
        for outcome in outcomes:
            self._snap.states[outcome.key] = outcome.state
            if outcome.disposition is not Disposition.KEEP:
                final = outcome.disposition in (Disposition.DONE, Disposition.FAILED)
                if final and outcome.key not in self._settled:
                    self.handled += 1
                self._settled.add(outcome.key)
        return list(outcomes)

    def _write(self, outcomes: Sequence[Outcome]) -> None:
        stored, linked = set(self._stored), set(self._linked)
        try:
            with self.uow_factory() as uow:
                record(
                    uow.session,
                    self.clock,
                    self.client.tenant_id,
                    outcomes,
                    stored=self._stored,
                    linked=self._linked,
                )
                if self.renew is not None:
                    self.renew(uow.session)
                uow.commit()
        except BaseException:
            self._stored, self._linked = stored, linked
            raise

    def _link_taken(self, outcome: Outcome) -> Outcome:
        """The failure of a document whose Xero record another record here already holds."""
        kind, document_id = outcome.key
        xero_id = outcome.link.xero_id if outcome.link is not None else "?"
        name = kind.replace("_", " ")
        return self._results().refused(
            self._snap.state(kind, document_id),
            action="link",
            summary=f"{name} {document_id}",
            messages=(f"Xero's record {xero_id} is already linked to another {name} here",),
            fix=(
                f"two records here correspond to one {name} in Xero; rename one or merge "
                "them, then retry"
            ),
            row_ids=outcome.row_ids,
        )

    async def _alone(
        self, kind: DocumentKind, job: Job, action: str, step: Awaitable[Outcome]
    ) -> Outcome:
        """Run one document's step; an unexpected error becomes that document's retry
        (failed after the last attempt) instead of stopping the pass."""
        try:
            return await step
        except PassStopped:
            raise
        except Exception as error:  # one document's trouble never stops the others
            log.exception(
                "%s %s: %s failed",
                kind.kind,
                job.document.id,
                action,
                extra={
                    "document_id": job.document.id,
                    "outbox_id": ",".join(map(str, job.row_ids)),
                },
            )
            return self._unexpected(kind, job, action, error)

    def _unexpected(self, kind: DocumentKind, job: Job, action: str, error: Exception) -> Outcome:
        state = self._snap.state(kind.kind, job.document.id)
        return self._results().again(
            state,
            action=action,
            summary=kind.summary(job.document),
            error=f"stopped by an unexpected error: {type(error).__name__}: {error}",
            row_ids=job.row_ids,
            in_flight_key=state.in_flight_key,
        )

    def _contact_for(self, job: Job) -> str | None:
        supplier_id = getattr(job.document, "supplier_id", None)
        return self._contact_ids.get(supplier_id) if isinstance(supplier_id, UUID) else None

    def _keep(self, job: Job) -> Disposition:
        return Disposition.KEEP if job.finish else Disposition.DONE

    def _never_sent(self, kind: DocumentKind, job: Job) -> Outcome:
        return self._results().done(
            self._snap.state(kind.kind, job.document.id),
            row_ids=job.row_ids,
            action="cancel",
            summary=kind.summary(job.document),
            answer="never reached Xero: nothing to withdraw",
            new_state="sent",
        )
