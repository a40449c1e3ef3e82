"""One pass's explicit state, and how its outcomes are written down.

``Env`` is what a pass talks to (store, Xero client, clock, policy); ``PassState`` is
what the pass has learnt so far (the snapshot, the states and links already stored, the
documents settled, the parties' contacts and why some have none). ``Pass`` holds both
and is handed to every step; a step returns what it decided and writes it through
``Pass.record``, nothing else changes the state.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from ledgerlink.store.clock import Clock
from ledgerlink.store.errors import DuplicateRecord
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.contacts import ContactProblem
from ledgerlink.sync.export.kind import DocumentKind
from ledgerlink.sync.export.organisation import OrganisationFactsCache
from ledgerlink.sync.export.outcome import Disposition, Outcome, record
from ledgerlink.sync.export.plan import Job
from ledgerlink.sync.export.results import ExportPolicy, LeaseLost, PassStopped, Results
from ledgerlink.sync.export.snapshot import Snapshot
from xero_client import XeroClient

UowFactory = Callable[[], SqlUnitOfWork]
#: Extends the company's lease inside a pass's write; raises ``LeaseLost`` when it was lost
#: (the write is then rolled back).
Renew = Callable[[Session], None]
log = logging.getLogger("ledgerlink.worker")


@dataclass(frozen=True)
class Env:
    """What one company's pass talks to."""

    uow_factory: UowFactory
    client: XeroClient
    company_id: UUID
    clock: Clock
    policy: ExportPolicy = field(default_factory=ExportPolicy)
    renew: Renew | None = None
    organisation: OrganisationFactsCache | None = None

    def results(self) -> Results:
        return Results(self.company_id, self.policy, self.clock())


@dataclass
class PassState:
    """What a pass has learnt so far."""

    snapshot: Snapshot
    #: The sync states already stored (updated, not inserted, when written again).
    stored: set[tuple[str, UUID]] = field(default_factory=set)
    #: The Xero links already stored, by ``(kind, entity id)``.
    linked: set[tuple[str, str]] = field(default_factory=set)
    #: Records whose rows are settled (or left claimed for a later step) in this pass.
    settled: set[tuple[str, UUID]] = field(default_factory=set)
    #: Xero contact ids of parties, by ``(party kind, party id)``.
    contacts: dict[tuple[str, UUID], str] = field(default_factory=dict)
    #: Why a party has no Xero contact in this pass.
    problems: dict[tuple[str, UUID], ContactProblem] = field(default_factory=dict)
    #: Why an item (by code) is not in Xero after the items stage of this pass.
    item_problems: dict[str, ContactProblem] = field(default_factory=dict)
    #: How many records were settled (done or failed).
    handled: int = 0
    #: When each outbox row of the pass was created, by row id (for the latency metric).
    created: dict[int, datetime] = field(default_factory=dict)

    @classmethod
    def of(cls, snapshot: Snapshot, created: dict[int, datetime] | None = None) -> PassState:
        return cls(
            snapshot,
            stored=set(snapshot.states),
            linked=set(snapshot.links),
            created=created or {},
        )

    def party(self, kind: DocumentKind, job: Job) -> tuple[str, UUID] | None:
        """The ``(party kind, id)`` a document is made out to."""
        return kind.party_of(job.document)

    def contact_for(self, kind: DocumentKind, job: Job) -> str | None:
        party = self.party(kind, job)
        return self.contacts.get(party) if party is not None else None


@dataclass
class Pass:
    """One company's pass: its environment and its state, handed to every step."""

    env: Env
    state: PassState

    @property
    def snap(self) -> Snapshot:
        return self.state.snapshot

    def results(self) -> Results:
        return self.env.results()

    def record(self, outcomes: Sequence[Outcome]) -> list[Outcome]:
        """Write outcomes and return them as written: one whose Xero record is already
        linked to another record here is failed on its own document, the others stand."""
        if not outcomes:
            return []
        try:
            self._write(outcomes)
        except DuplicateRecord:
            if len(outcomes) > 1:
                return [written for o in outcomes for written in self.record([o])]
            outcomes = [self._link_taken(outcomes[0])]
            self._write(outcomes)
        env, state = self.env, self.state
        if env.organisation is not None:
            errors = [o.error for o in outcomes if o.disposition is Disposition.FAILED]
            env.organisation.forget_if_stale(env.client.tenant_id, [e for e in errors if e])
        for outcome in outcomes:
            state.snapshot.states[outcome.key] = outcome.state
            if outcome.disposition is not Disposition.KEEP:
                final = outcome.disposition in (Disposition.DONE, Disposition.FAILED)
                if final and outcome.key not in state.settled:
                    state.handled += 1
                state.settled.add(outcome.key)
        return list(outcomes)

    async def save(self, outcomes: Sequence[Outcome]) -> list[Outcome]:
        """``record`` off the event loop: this pass waits for its write while the worker's
        other organisations go on sending."""
        if not outcomes:
            return []
        return await asyncio.to_thread(self.record, outcomes)

    def _write(self, outcomes: Sequence[Outcome]) -> None:
        env, state = self.env, self.state
        with env.uow_factory() as uow:
            written = record(
                uow.session,
                env.clock,
                env.client.tenant_id,
                outcomes,
                stored=state.stored,
                linked=state.linked,
                created=state.created,
            )
            if env.renew is not None:
                env.renew(uow.session)
            uow.commit()
        # Only once committed: a write rolled back leaves nothing stored or linked.
        state.stored |= written.states
        state.linked |= written.links

    def _link_taken(self, outcome: Outcome) -> Outcome:
        """The failure of a document whose Xero record another record here already holds."""
        kind, document_id = outcome.key
        xero_id = outcome.link.xero_id if outcome.link is not None else "?"
        name = kind.replace("_", " ")
        return self.results().refused(
            self.snap.state(kind, document_id),
            action="link",
            summary=f"{name} {document_id}",
            messages=(f"Xero's record {xero_id} is already linked to another {name} here",),
            fix=(
                f"two records here correspond to one {name} in Xero; rename one or merge "
                "them, then retry"
            ),
            row_ids=outcome.row_ids,
        )

    async def alone(
        self, kind: DocumentKind, job: Job, action: str, step: Awaitable[Outcome]
    ) -> Outcome:
        """Run one document's step; an unexpected error becomes that document's retry
        (failed after the last attempt) instead of stopping the pass."""
        try:
            return await step
        except (PassStopped, LeaseLost):
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
            return self.unexpected(kind, job, action, error)

    def unexpected(self, kind: DocumentKind, job: Job, action: str, error: Exception) -> Outcome:
        state = self.snap.state(kind.kind, job.document.id)
        return self.results().again(
            state,
            action=action,
            summary=kind.summary(job.document),
            error=f"stopped by an unexpected error: {type(error).__name__}: {error}",
            row_ids=job.row_ids,
            in_flight_key=state.in_flight_key,
        )

    def never_sent(self, kind: DocumentKind, job: Job) -> Outcome:
        return self.results().done(
            self.snap.state(kind.kind, job.document.id),
            row_ids=job.row_ids,
            action="cancel",
            summary=kind.summary(job.document),
            answer="never reached Xero: nothing to withdraw",
            new_state="sent",
        )

    def kept(self, job: Job) -> Disposition:
        """A document whose followers go next stays claimed until they went."""
        return Disposition.KEEP if job.finish else Disposition.DONE
