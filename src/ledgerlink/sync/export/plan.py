"""The pure planner: what one pass over claimed outbox rows does, decided from a snapshot.

``plan(snapshot, rows, policy)`` reads no database, calls no one and reads no clock. It
coalesces the rows per record and decides per document (``Action``): nothing to send,
create, update, already current, cancel, never sent (a cancel with nothing in Xero),
look up first (a create may have landed) or finish (an order whose bills follow while the
order itself is not sent). A finished document's followers that are not in Xero yet join
the plan (``Job.leader``). Kinds are ordered by stage (parties, items, documents,
payments, allocations) and, within one, as the registry lists them. ``batches`` cuts the
creates of one kind into requests of at most ``policy.batch_size``.

What a kind means is read from its ``Rules`` in the registry: no kind is named here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from ledgerlink.domain.document import Document
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.sync.export.keys import sent_batch
from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.kinds import DOCUMENT_KINDS, PARTY_KINDS
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.sync.export.snapshot import Snapshot

Rows = dict[tuple[str, UUID], tuple[int, ...]]


class Action(enum.StrEnum):
    """What one document asks of this pass."""

    CREATE = "create"
    UPDATE = "update"  # in Xero at an older version
    CURRENT = "current"  # in Xero at this version: nothing to send
    CANCEL = "cancel"  # in Xero: taken back
    NEVER_SENT = "never sent"  # cancelled before reaching Xero: done without a call
    LOOK_UP = "look up"  # its create may have landed: looked up before anything else
    FINISH = "finish"  # not sent itself (the settings), its followers go


@dataclass(frozen=True)
class Job:
    """One document and what this pass does with it."""

    kind: str
    document: Document
    row_ids: tuple[int, ...]
    action: Action
    #: The document is to be taken back (CANCEL, NEVER_SENT, or LOOK_UP before one).
    withdraw: bool = False
    #: Its followers go in this pass: its Xero record is marked finished after them.
    finish: bool = False
    #: Set on a follower sent because this document (``(kind, id)``) finished.
    leader: tuple[str, UUID] | None = None
    #: The in-flight mark of a create that may have landed (``keys.in_flight_key``).
    sent_key: str | None = None

    @property
    def needs_party(self) -> bool:
        """True when the document goes (or may go) to Xero under its party's contact."""
        return not self.withdraw and self.action is not Action.FINISH


@dataclass(frozen=True)
class Skipped:
    """A record with nothing to send (gone, in no status that is sent, or of no kind that
    is sent): its rows are done."""

    kind: str
    document_id: UUID
    row_ids: tuple[int, ...]


@dataclass(frozen=True)
class Plan:
    """A pass, decided: jobs by kind in stage order, and the party rows."""

    #: Documents with nothing to send; their rows are done.
    skipped: tuple[Skipped, ...]
    #: Every other document, by kind, in the order they go: sends, followers, withdrawals.
    jobs: Mapping[str, tuple[Job, ...]]
    #: Document kinds in the order of their stages (parties come before all of them).
    order: tuple[str, ...]
    #: Outbox rows of parties (contacts), by party kind and id.
    parties: Mapping[str, Mapping[UUID, tuple[int, ...]]]
    batch_size: int

    def of(self, kind: str) -> tuple[Job, ...]:
        return tuple(self.jobs.get(kind, ()))

    def all_jobs(self) -> list[Job]:
        return [job for kind in self.order for job in self.jobs.get(kind, ())]

    def batches(self, kind: str) -> list[list[Job]]:
        """The create requests of ``kind`` when every document has its contact."""
        creates = [j for j in self.of(kind) if j.action is Action.CREATE]
        return batches(creates, [], self.batch_size)


def coalesce(rows: Iterable[OutboxMessage]) -> Rows:
    """The claimed rows per record, in the order the records first appear."""
    groups: dict[tuple[str, UUID], list[int]] = {}
    for row in rows:
        groups.setdefault((row.kind, row.document_id), []).append(row.id)
    return {key: tuple(ids) for key, ids in groups.items()}


def stage_order(kinds: Mapping[str, DocumentKind]) -> tuple[str, ...]:
    """Document kinds by stage, then in the order ``kinds`` lists them."""
    listed = list(kinds)
    return tuple(sorted(listed, key=lambda k: (kinds[k].rules.stage, listed.index(k))))


class Intent(enum.Enum):
    """What a document's status and the settings ask for, before its link is read."""

    SEND = "send"
    SEND_AND_FINISH = "send, then its followers"
    WITHDRAW = "withdraw"
    FINISH_ONLY = "only its followers"


def intent(
    kind: DocumentKind, document: Document, snapshot: Snapshot, kinds: Mapping[str, DocumentKind]
) -> Intent | None:
    """What ``document`` asks for, or None when it asks for nothing.

    A kind the settings do not send still lets the followers of a finished document go.
    """
    rules = kind.rules
    status = document.status
    settings = snapshot.settings
    if not kind.sends(settings):
        followers = kinds.get(rules.followers or "")
        follow = followers is not None and followers.sends(settings)
        return Intent.FINISH_ONLY if status in rules.finish and follow else None
    if status in rules.cancel:
        return Intent.WITHDRAW
    known = (kind.kind, document.id) in snapshot.states or snapshot.link(kind.kind, document.id)
    if status in rules.send or (rules.follow_when_known and known):
        return Intent.SEND_AND_FINISH if status in rules.finish else Intent.SEND
    return None


def job_for(
    kind: str,
    document: Document,
    row_ids: tuple[int, ...],
    wants: Intent,
    snapshot: Snapshot,
    leader: tuple[str, UUID] | None = None,
) -> Job:
    """The job of a document that asks for ``wants``, from its link and sync state."""
    if wants is Intent.FINISH_ONLY:
        return Job(kind, document, row_ids, Action.FINISH, finish=True)
    withdraw = wants is Intent.WITHDRAW
    finish = wants is Intent.SEND_AND_FINISH
    link = snapshot.link(kind, document.id)
    state = snapshot.states.get((kind, document.id))
    sent_key = state.in_flight_key if state is not None else None
    if link is not None:
        if withdraw:
            action = Action.CANCEL
        elif (link.synced_version or 0) < document.version:
            action = Action.UPDATE
        else:
            action = Action.CURRENT
    elif sent_key:
        action = Action.LOOK_UP
    else:
        action = Action.NEVER_SENT if withdraw else Action.CREATE
    return Job(kind, document, row_ids, action, withdraw, finish, leader, sent_key or None)


def _followers(
    snapshot: Snapshot,
    leaders: Sequence[Job],
    planned: set[tuple[str, UUID]],
    kinds: Mapping[str, DocumentKind],
) -> list[Job]:
    """The followers of finished documents that are not in Xero yet, each once."""
    jobs: list[Job] = []
    for leader in leaders:
        kind = kinds[leader.kind].rules.followers
        followers = kinds.get(kind or "")
        if kind is None or followers is None or not followers.sends(snapshot.settings):
            continue
        for follower_id in snapshot.followers.get((leader.kind, leader.document.id), []):
            document = snapshot.document(kind, follower_id)
            if document is None or (kind, follower_id) in planned:
                continue
            if document.status in followers.rules.cancel or snapshot.link(kind, follower_id):
                continue
            planned.add((kind, follower_id))
            jobs.append(job_for(kind, document, (), Intent.SEND, snapshot, leader=_key(leader)))
    return jobs


def plan(
    snapshot: Snapshot,
    rows: Iterable[OutboxMessage],
    policy: ExportPolicy,
    kinds: Mapping[str, DocumentKind] = DOCUMENT_KINDS,
    party_kinds: Iterable[str] = PARTY_KINDS,
) -> Plan:
    """Decide the pass over ``rows``; see the module's docstring."""
    groups = coalesce(rows)
    parties = tuple(party_kinds)
    party_rows: dict[str, dict[UUID, tuple[int, ...]]] = {k: {} for k in parties}
    skipped: list[Skipped] = []
    sends: dict[str, list[Job]] = {k: [] for k in kinds}
    withdrawals: dict[str, list[Job]] = {k: [] for k in kinds}
    for (kind_name, record_id), row_ids in groups.items():
        if kind_name in parties:
            party_rows[kind_name][record_id] = row_ids
            continue
        kind = kinds.get(kind_name)
        document = snapshot.document(kind_name, record_id)
        wants = None
        if kind is not None and document is not None:
            wants = intent(kind, document, snapshot, kinds)
        if document is None or wants is None:
            skipped.append(Skipped(kind_name, record_id, row_ids))
            continue
        job = job_for(kind_name, document, row_ids, wants, snapshot)
        (withdrawals if job.withdraw else sends)[kind_name].append(job)
    planned = {
        (j.kind, j.document.id) for js in (*sends.values(), *withdrawals.values()) for j in js
    }
    leaders = [j for js in sends.values() for j in js if j.finish]
    forced = _followers(snapshot, leaders, planned, kinds)
    order = stage_order(kinds)
    jobs = {
        kind: tuple(sends[kind] + [j for j in forced if j.kind == kind] + withdrawals[kind])
        for kind in order
    }
    return Plan(
        skipped=tuple(skipped),
        jobs=jobs,
        order=order,
        parties=party_rows,
        batch_size=policy.batch_size,
    )


def _key(job: Job) -> tuple[str, UUID]:
    return (job.kind, job.document.id)


def batches(fresh: Sequence[Job], unfound: Sequence[Job], size: int) -> list[list[Job]]:
    """Creates in requests of up to ``size``, cut from the documents sorted by id (the same
    documents make the same requests, byte for byte, whatever order they were claimed in).

    Documents sent without an answer and not found go again with the documents they were
    sent with, under the same key, so that a send landing after the lookup is answered by
    that key, not repeated.
    """
    groups: dict[str, list[Job]] = {}
    for job in unfound:
        groups.setdefault(sent_batch(job.sent_key), []).append(job)
    out: list[list[Job]] = []
    for jobs in (fresh, *groups.values()):
        ordered = sorted(jobs, key=lambda j: str(j.document.id))
        out.extend(ordered[start : start + size] for start in range(0, len(ordered), size))
    return out
