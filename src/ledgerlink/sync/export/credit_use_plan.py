"""The pure planner of the ALLOCATIONS stage: what each use of a refund or store credit
asks of a pass.

``plan_uses(snapshot, rows, settings, sent)`` reads no database, calls no one and reads no
clock. A use (an outbox record of kind ``credit_use``, see ``domain.events``) reaches Xero
in one of three ways (``Way``):

- ``ALLOCATION``: a refund of an invoice, or store credit added by hand used on an invoice:
  the credit's credit note allocated to the invoice;
- ``PAID_OUT``: a refund whose money left the bank: a payment of its credit note;
- ``PAYMENT``: store credit an overpayment left, used on an invoice: a payment of that
  invoice through the overpayment's bank account (Syncro's rule), since the credit itself
  never reached Xero;
- ``OVERPAYMENT``: the rest of an overpayment, when the settings send it to Xero
  (``overpayments: xero_overpayment``): a ``RECEIVE-OVERPAYMENT`` bank transaction under
  the customer's contact, once that contact is in Xero;
- ``OVERPAYMENT_ALLOCATION``: store credit sent as a Xero overpayment, used on an invoice:
  that overpayment allocated to the invoice.

A use goes only once what it needs is in Xero (the credit note, the invoice): until then it
waits (``UseAction.WAIT``, never failed). A use in Xero already (linked) is never sent
again; one whose send may have landed is looked up first (``LOOK_UP``).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from uuid import UUID

from ledgerlink.domain.events import CREDIT_USE
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.repositories.sync_states import SyncState
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.sync.export.kind import Stage
from ledgerlink.sync.export.plan import Skipped, coalesce
from ledgerlink.xero.outbound.settings import ExportSettings

#: The stage uses of credit belong to: after every document and payment.
USES_STAGE = Stage.ALLOCATIONS


class Way(enum.StrEnum):
    """How a use reaches Xero."""

    ALLOCATION = "allocation"
    PAID_OUT = "paid out"
    PAYMENT = "payment"
    OVERPAYMENT = "overpayment"
    OVERPAYMENT_ALLOCATION = "overpayment allocation"


#: Ways that need the credit's own Xero record (a credit note or an overpayment).
ON_CREDIT = frozenset({Way.ALLOCATION, Way.PAID_OUT, Way.OVERPAYMENT_ALLOCATION})
#: Ways that go to an invoice.
ON_INVOICE = frozenset({Way.ALLOCATION, Way.PAYMENT, Way.OVERPAYMENT_ALLOCATION})
#: Ways that move money through a bank account.
THROUGH_BANK = frozenset({Way.PAID_OUT, Way.PAYMENT, Way.OVERPAYMENT})


class UseAction(enum.StrEnum):
    """What one use asks of this pass."""

    CREATE = "create"
    CURRENT = "current"  # in Xero: nothing to send
    LOOK_UP = "look up"  # its send may have landed: looked up before anything else
    WAIT = "wait"  # what it needs is not in Xero yet


@dataclass(frozen=True)
class Use:
    """One use of credit, as its outbox event tells it."""

    id: UUID
    credit_kind: str
    credit_id: UUID
    amount: Decimal
    version: int
    #: The invoice it is used on (None: paid out).
    target_id: UUID | None = None
    #: The bank account a refund is paid out of.
    bank_account_code: str | None = None

    @classmethod
    def of(cls, row: OutboxMessage) -> Use | None:
        """The use a row's event carries, or None (a row without one, e.g. a retry's)."""
        payload = row.payload
        try:
            return cls(
                id=row.document_id,
                credit_kind=str(payload["credit_kind"]),
                credit_id=UUID(str(payload["credit_id"])),
                amount=Decimal(str(payload["amount"])),
                version=row.version,
                target_id=UUID(str(payload["target_id"])) if payload.get("target_id") else None,
                bank_account_code=payload.get("bank_account_code"),
            )
        except (KeyError, ValueError, ArithmeticError):
            return None


@dataclass(frozen=True)
class Credit:
    """What a use needs of its credit: the customer, the date, whether it was made by hand,
    and for an overpayment's credit the bank account the overpayment came through."""

    kind: str
    id: UUID
    date: dt.date
    currency: str
    made_by_hand: bool
    number: str | None = None
    source_account_code: str | None = None
    customer_id: UUID | None = None
    #: The record that sent an overpayment's rest to Xero as an overpayment, if it was.
    overpayment_use: UUID | None = None
    #: The overpayment's reference (the payment's).
    reference: str | None = None


@dataclass
class UseSnapshot:
    """Uses, their credits, the invoices they go to, links and sync states."""

    uses: dict[UUID, Use] = field(default_factory=dict)
    credits: dict[tuple[str, UUID], Credit] = field(default_factory=dict)
    #: The kind and date of each invoice used on.
    targets: dict[UUID, tuple[str, dt.date, str | None]] = field(default_factory=dict)
    #: Xero links of uses (``(CREDIT_USE, id)``), credits and invoices, by (kind, entity id).
    links: dict[tuple[str, str], XeroLink] = field(default_factory=dict)
    states: dict[tuple[str, UUID], SyncState] = field(default_factory=dict)

    def xero_id(self, kind: str, entity_id: UUID) -> str | None:
        link = self.links.get((kind, str(entity_id)))
        return link.xero_id if link is not None else None


@dataclass(frozen=True)
class UseJob:
    """One use and what this pass does with it."""

    use: Use
    credit: Credit
    row_ids: tuple[int, ...]
    action: UseAction
    way: Way
    #: The Xero credit note (ALLOCATION, PAID_OUT) or overpayment (OVERPAYMENT_ALLOCATION).
    credit_xero_id: str | None
    #: The invoice's kind, number and Xero id (ALLOCATION, PAYMENT).
    target_kind: str | None
    target_number: str | None
    target_xero_id: str | None
    #: The account money moves through (PAID_OUT, PAYMENT).
    account_code: str | None
    date: dt.date
    sent_key: str | None = None
    waiting_for: str | None = None
    #: The Xero record it is, once known.
    xero_id: str | None = None
    #: The customer's Xero contact (OVERPAYMENT).
    contact_id: str | None = None

    @property
    def summary(self) -> str:
        credit = self.credit.kind.replace("_", " ")
        named = f" {self.credit.number}" if self.credit.number else ""
        if self.way is Way.PAID_OUT:
            what = f"paid out of {self.account_code}"
        elif self.way is Way.OVERPAYMENT:
            what = f"received into {self.account_code} as an overpayment"
        else:
            label = (self.target_kind or "invoice").replace("_", " ")
            what = f"used on {label} {self.target_number or self.use.target_id}"
        return (
            f"{credit}{named}: {self.credit.currency} {self.use.amount} {what} "
            f"({self.way.value} in Xero)"
        )


@dataclass(frozen=True)
class UsePlan:
    skipped: tuple[Skipped, ...]
    jobs: tuple[UseJob, ...]
    batch_size: int

    def of(self, *actions: UseAction) -> list[UseJob]:
        return [j for j in self.jobs if j.action in actions]


def way_of(use: Use, credit: Credit) -> Way:
    if use.id == credit.overpayment_use:
        return Way.OVERPAYMENT
    if not credit.made_by_hand:
        return Way.OVERPAYMENT_ALLOCATION if credit.overpayment_use else Way.PAYMENT
    if use.bank_account_code is not None or use.target_id is None:
        return Way.PAID_OUT
    return Way.ALLOCATION


def _sends(way: Way, settings: ExportSettings) -> bool:
    if way is Way.OVERPAYMENT:
        return settings.send_payments
    if way in (Way.PAYMENT, Way.OVERPAYMENT_ALLOCATION):
        return settings.send_payments and settings.send_sales_invoices
    if way is Way.ALLOCATION:
        return settings.send_credit_notes and settings.send_sales_invoices
    return settings.send_credit_notes


def waiting_for(job: UseJob) -> str | None:
    missing = []
    if job.way is Way.OVERPAYMENT and job.contact_id is None:
        missing.append(f"customer {job.credit.customer_id}")
    if job.way is Way.OVERPAYMENT_ALLOCATION and job.credit_xero_id is None:
        missing.append(f"the overpayment of store credit {job.credit.id}")
    elif job.way in ON_CREDIT and job.credit_xero_id is None:
        missing.append(f"{job.credit.kind.replace('_', ' ')} {job.credit.number or job.credit.id}")
    if job.way in ON_INVOICE and job.target_xero_id is None:
        label = (job.target_kind or "invoice").replace("_", " ")
        missing.append(f"{label} {job.target_number or job.use.target_id}")
    if not missing:
        return None
    return (
        f"waits for {' and '.join(missing)} to reach Xero: credit is used in Xero after what "
        "it comes from and goes to are there"
    )


def with_overpayment(job: UseJob, overpayment_id: str) -> UseJob:
    """A use that waited for its overpayment, once the overpayment reached Xero in this
    pass: it goes now, unless it still waits for its invoice."""
    ready = replace(job, credit_xero_id=overpayment_id, waiting_for=None)
    waiting = waiting_for(ready)
    action = UseAction.WAIT if waiting else UseAction.CREATE
    return replace(ready, action=action, waiting_for=waiting)


def job_for(
    use: Use,
    credit: Credit,
    row_ids: tuple[int, ...],
    snapshot: UseSnapshot,
    sent: Mapping[tuple[str, UUID], str],
) -> UseJob:
    """The job of one use, from its link, state, credit and invoice."""
    way = way_of(use, credit)
    target = snapshot.targets.get(use.target_id) if use.target_id else None
    target_kind = target[0] if target else None
    target_xero_id = None
    if target_kind is not None and use.target_id is not None:
        target_xero_id = sent.get((target_kind, use.target_id)) or snapshot.xero_id(
            target_kind, use.target_id
        )
    if way is Way.OVERPAYMENT_ALLOCATION:
        assert credit.overpayment_use is not None
        credit_xero_id = snapshot.xero_id(CREDIT_USE, credit.overpayment_use)
    else:
        credit_xero_id = sent.get((credit.kind, credit.id)) or snapshot.xero_id(
            credit.kind, credit.id
        )
    account = use.bank_account_code if use.bank_account_code else credit.source_account_code
    contact = None
    if way is Way.OVERPAYMENT and credit.customer_id is not None:
        contact = sent.get(("customer", credit.customer_id)) or snapshot.xero_id(
            "customer", credit.customer_id
        )
    dates = [credit.date] + ([target[1]] if target else [])
    state = snapshot.states.get((CREDIT_USE, use.id))
    sent_key = (state.in_flight_key if state is not None else None) or None
    job = UseJob(
        use,
        credit,
        row_ids,
        UseAction.CREATE,
        way,
        credit_xero_id if way in ON_CREDIT else None,
        target_kind,
        target[2] if target else None,
        target_xero_id if way in ON_INVOICE else None,
        account if way in THROUGH_BANK else None,
        max(dates),
        sent_key=sent_key,
        contact_id=contact,
    )
    linked = snapshot.xero_id(CREDIT_USE, use.id)
    if linked is not None:
        return replace(job, action=UseAction.CURRENT, xero_id=linked)
    waiting = waiting_for(job)
    if sent_key:
        return replace(job, action=UseAction.LOOK_UP)
    if waiting:
        return replace(job, action=UseAction.WAIT, waiting_for=waiting)
    return job


def plan_uses(
    snapshot: UseSnapshot,
    rows: Iterable[OutboxMessage],
    settings: ExportSettings,
    *,
    batch_size: int,
    sent: Mapping[tuple[str, UUID], str] | None = None,
) -> UsePlan:
    """Decide the uses of ``rows``; ``sent`` holds the Xero ids of documents that reached
    Xero earlier in this pass, by ``(kind, id)``. A use whose credit or invoice is gone, or
    that the settings do not send, is skipped."""
    skipped: list[Skipped] = []
    jobs: list[UseJob] = []
    for (kind, use_id), row_ids in coalesce(rows).items():
        use = snapshot.uses.get(use_id)
        credit = snapshot.credits.get((use.credit_kind, use.credit_id)) if use else None
        if use is None or credit is None or kind != CREDIT_USE:
            skipped.append(Skipped(kind, use_id, row_ids))
            continue
        way = way_of(use, credit)
        if not _sends(way, settings) or (way in ON_INVOICE and use.target_id is None):
            skipped.append(Skipped(kind, use_id, row_ids))
            continue
        if way in ON_INVOICE and use.target_id not in snapshot.targets:
            skipped.append(Skipped(kind, use_id, row_ids))
            continue
        jobs.append(job_for(use, credit, row_ids, snapshot, sent or {}))
    return UsePlan(tuple(skipped), tuple(jobs), batch_size)
