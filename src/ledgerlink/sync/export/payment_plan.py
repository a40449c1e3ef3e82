"""The pure planner of payments: what each claimed payment asks of a pass.

``plan_payments(snapshot, rows, settings, sent)`` reads no database, calls no one and
reads no clock. A payment goes only once every document it pays is in Xero: until then it
waits (``PaymentAction.WAIT``, retried, never failed). A payment that pays a document of no
kind sent to Xero is not sent. Xero's part of a split payment is one element per document
(or one batch payment): each element already in Xero (``PaymentSnapshot.elements``) is
never sent again. ``payment_batches`` cuts creates into requests of at most ``size`` Xero
elements.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from ledgerlink.domain.payments import Payment
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.sync.export.keys import sent_batch
from ledgerlink.sync.export.kind import PaymentKind
from ledgerlink.sync.export.kinds import PAYMENT_KINDS
from ledgerlink.sync.export.plan import Skipped, coalesce
from ledgerlink.xero.outbound.settings import ExportSettings, SplitPayments

#: The ``xero_number`` of a payment's link when Xero holds it as a batch payment.
BATCH = "BatchPayment"
#: The link kind of one Xero payment element of a payment here: entity ``"{id}:{index}"``.
ELEMENT = "payment_element"


def element_key(payment_id: UUID, index: int) -> str:
    """The entity id of the element paying allocation ``index`` of a payment."""
    return f"{payment_id}:{index}"


class PaymentAction(enum.StrEnum):
    """What one payment asks of this pass."""

    CREATE = "create"
    CURRENT = "current"  # in Xero: nothing to send
    CANCEL = "cancel"  # deleted here, in Xero: deleted there
    NEVER_SENT = "never sent"  # deleted before it reached Xero
    LOOK_UP = "look up"  # its create may have landed: looked up before anything else
    WAIT = "wait"  # a document it pays is not in Xero yet


@dataclass(frozen=True)
class Target:
    """One allocation of a payment: the document it pays and that document's Xero id."""

    index: int
    kind: str
    document_id: UUID
    xero_id: str | None


@dataclass(frozen=True)
class PaymentJob:
    """One payment and what this pass does with it."""

    kind: str
    payment: Payment
    row_ids: tuple[int, ...]
    action: PaymentAction
    #: One per allocation, in order.
    targets: tuple[Target, ...]
    #: Allocations whose Xero element exists already, by index: their Xero payment ids.
    sent: Mapping[int, str] = field(default_factory=dict)
    #: The in-flight mark of a create that may have landed.
    sent_key: str | None = None
    #: Why it waits (``PaymentAction.WAIT``).
    waiting_for: str | None = None
    #: True when its documents are paid by one Xero batch payment.
    as_batch: bool = False
    #: The Xero batch payment that holds it, once known.
    batch_id: str | None = None

    @property
    def summary(self) -> str:
        return PAYMENT_KINDS[self.kind].summary(self.payment)

    @property
    def withdraw(self) -> bool:
        return self.payment.status in PAYMENT_KINDS[self.kind].rules.cancel

    @property
    def unsent(self) -> tuple[Target, ...]:
        """The allocations whose Xero element is still to be made."""
        return tuple(t for t in self.targets if t.index not in self.sent)

    @property
    def size(self) -> int:
        """How many elements of a Xero request it takes."""
        return 1 if self.as_batch else max(1, len(self.unsent))


@dataclass
class PaymentSnapshot:
    """Payments by kind, their links, elements and states, and the documents they pay."""

    payments: dict[str, dict[UUID, Payment]] = field(default_factory=dict)
    #: The kind of each document paid (of a target kind that the settings send).
    target_kinds: dict[UUID, str] = field(default_factory=dict)
    #: Xero links of payments and of the documents they pay, by ``(kind, entity id)``.
    links: dict[tuple[str, str], XeroLink] = field(default_factory=dict)
    #: The Xero payment ids of elements already in Xero, by ``(payment id, index)``.
    elements: dict[tuple[UUID, int], str] = field(default_factory=dict)
    states: dict[tuple[str, UUID], SyncState] = field(default_factory=dict)

    def payment(self, kind: str, payment_id: UUID) -> Payment | None:
        return self.payments.get(kind, {}).get(payment_id)

    def xero_id(self, kind: str, entity_id: UUID) -> str | None:
        link = self.links.get((kind, str(entity_id)))
        return link.xero_id if link is not None else None


@dataclass(frozen=True)
class PaymentPlan:
    """The payments of a pass, decided."""

    skipped: tuple[Skipped, ...]
    jobs: tuple[PaymentJob, ...]
    batch_size: int

    def of(self, *actions: PaymentAction) -> list[PaymentJob]:
        return [j for j in self.jobs if j.action in actions]


def _targets(
    payment: Payment, snapshot: PaymentSnapshot, sent: Mapping[tuple[str, UUID], str]
) -> tuple[Target, ...] | None:
    """Each allocation's document, or None when one pays a document that is not sent."""
    targets = []
    for index, allocation in enumerate(payment.allocations):
        kind = snapshot.target_kinds.get(allocation.document_id)
        if kind is None:
            return None
        key = (kind, allocation.document_id)
        xero_id = sent.get(key) or snapshot.xero_id(kind, allocation.document_id)
        targets.append(Target(index, kind, allocation.document_id, xero_id))
    return tuple(targets)


def _waiting_for(targets: Sequence[Target]) -> str | None:
    missing = [t for t in targets if t.xero_id is None]
    if not missing:
        return None
    named = ", ".join(f"{t.kind.replace('_', ' ')} {t.document_id}" for t in missing)
    return f"waits for {named} to reach Xero: a payment goes after the documents it pays"


def job_for(
    kind: PaymentKind,
    payment: Payment,
    row_ids: tuple[int, ...],
    targets: tuple[Target, ...],
    snapshot: PaymentSnapshot,
    settings: ExportSettings,
) -> PaymentJob:
    """The job of one payment, from its status, links, elements and documents."""
    state = snapshot.states.get((kind.kind, payment.id))
    sent_key = (state.in_flight_key if state is not None else None) or None
    link = snapshot.links.get((kind.kind, str(payment.id)))
    linked = link is not None
    batch_id = link.xero_id if link is not None and link.xero_number == BATCH else None
    sent = {
        t.index: snapshot.elements[(payment.id, t.index)]
        for t in targets
        if (payment.id, t.index) in snapshot.elements
    }
    as_batch = batch_id is not None or (
        not linked and payment.is_split and settings.split_payments is SplitPayments.BATCH_PAYMENT
    )
    waiting_for = None
    if payment.status in kind.rules.cancel:
        if linked or sent:
            action = PaymentAction.CANCEL
        elif sent_key:
            action = PaymentAction.LOOK_UP
        else:
            action = PaymentAction.NEVER_SENT
    elif linked:
        action = PaymentAction.CURRENT
    elif sent_key:
        action = PaymentAction.LOOK_UP
    else:
        waiting_for = _waiting_for(targets)
        action = PaymentAction.WAIT if waiting_for else PaymentAction.CREATE
    return PaymentJob(
        kind.kind,
        payment,
        row_ids,
        action,
        targets,
        sent=sent,
        sent_key=sent_key,
        waiting_for=waiting_for,
        as_batch=as_batch,
        batch_id=batch_id,
    )


def _wanted(kind: PaymentKind, payment: Payment, settings: ExportSettings) -> bool:
    """True when the settings send the kind and the payment's status sends or cancels."""
    return kind.sends(settings) and payment.status in kind.rules.send | kind.rules.cancel


def plan_payments(
    snapshot: PaymentSnapshot,
    rows: Iterable[OutboxMessage],
    settings: ExportSettings,
    *,
    batch_size: int,
    sent: Mapping[tuple[str, UUID], str] | None = None,
    kinds: Mapping[str, PaymentKind] = PAYMENT_KINDS,
) -> PaymentPlan:
    """Decide the payments of ``rows``; ``sent`` holds the Xero ids of documents that
    reached Xero earlier in this pass, by ``(kind, id)``."""
    skipped: list[Skipped] = []
    jobs: list[PaymentJob] = []
    for (kind_name, payment_id), row_ids in coalesce(rows).items():
        kind = kinds.get(kind_name)
        payment = snapshot.payment(kind_name, payment_id)
        targets = _targets(payment, snapshot, sent or {}) if payment is not None else None
        if kind is None or payment is None or not targets or not _wanted(kind, payment, settings):
            skipped.append(Skipped(kind_name, payment_id, row_ids))
        else:
            jobs.append(job_for(kind, payment, row_ids, targets, snapshot, settings))
    return PaymentPlan(tuple(skipped), tuple(jobs), batch_size)


def payment_batches(
    fresh: Sequence[PaymentJob], unfound: Sequence[PaymentJob], size: int
) -> list[list[PaymentJob]]:
    """Creates in requests of at most ``size`` Xero elements, cut from the payments sorted by
    id; payments sent without an answer and not found go again with their batch mates,
    under the same key (see ``plan.batches``). A payment is never cut in two."""
    groups: dict[str, list[PaymentJob]] = {}
    for job in unfound:
        groups.setdefault(sent_batch(job.sent_key), []).append(job)
    out: list[list[PaymentJob]] = []
    for jobs in (fresh, *groups.values()):
        current: list[PaymentJob] = []
        used = 0
        for job in sorted(jobs, key=lambda j: str(j.payment.id)):
            if current and used + job.size > size:
                out.append(current)
                current, used = [], 0
            current.append(job)
            used += job.size
        if current:
            out.append(current)
    return out
