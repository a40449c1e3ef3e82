"""Creating documents: reconcile what may have landed, then batches of up to 50 (a batch sent
without an answer and not found goes again whole, under its key)."""

from __future__ import annotations

import enum
from typing import Any
from uuid import UUID

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.sync_links import linked_xero_ids
from ledgerlink.store.repositories.xero_links import XeroLink
from ledgerlink.sync.export.base import (
    ExportBase,
    Job,
    batch_key,
    in_flight_key,
    in_flight_version,
    key_generation,
)
from ledgerlink.sync.export.kinds import DocumentKind
from ledgerlink.sync.export.outcome import Disposition, Outcome
from ledgerlink.sync.export.reconcile import Found
from ledgerlink.sync.export.results import (
    PassStopped,
    stop_for,
)
from xero_client import (
    BatchResult,
    RateLimited,
    XeroError,
    XeroModel,
)


class Answer(enum.Enum):
    """What Xero's answer for one element of a create asks for next."""

    SAVED = "saved"  # in Xero: link it
    RATE_LIMITED = "rate limited"  # its chunk was not sent: wait for the budget
    UNSENT = "unsent"  # its chunk could not be sent: may have landed, looked up first
    AGAIN = "again"  # nothing saved through no fault of its own: sent again, under a new key
    REFUSED = "refused"  # Xero refused it: failed until a person acts


def answer_of(result: BatchResult[Any]) -> Answer:
    """Sort one element's answer; see ``Answer``."""
    if result.ok and result.id is not None and result.element is not None:
        return Answer.SAVED
    if isinstance(result.error, RateLimited):
        return Answer.RATE_LIMITED
    if result.error is not None:
        return Answer.UNSENT
    if result.refused_with_others or not result.errors:
        return Answer.AGAIN
    return Answer.REFUSED


class CreateSteps(ExportBase):
    """New documents in Xero, exactly once."""

    async def _reconcile(
        self, kind: DocumentKind, jobs: list[Job], updates: list[Job], cancels: list[Job]
    ) -> list[Job]:
        """Look up documents whose create may have landed; returns those still to create."""
        if not jobs:
            return []
        pairs = [(job.document, self._contact_for(job) or "") for job in jobs]

        def taken(xero_ids: list[str]) -> set[str]:
            with self.uow_factory() as uow:
                return linked_xero_ids(uow.session, self.company_id, kind.kind, xero_ids)

        try:
            found = await kind.find(self.client, pairs, taken)
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
            sent_version = in_flight_version(
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

    def _batches(self, kind: DocumentKind, fresh: list[Job], unfound: list[Job]) -> list[list[Job]]:
        """New documents in batches of up to the batch size; documents not found after a send
        without an answer go again with the documents they were sent with, under the same
        key, so that a send landing after the lookup is answered by that key, not repeated."""
        size = self.policy.batch_size
        groups: dict[str, list[Job]] = {}
        for job in unfound:
            sent = self._snap.state(kind.kind, job.document.id).in_flight_key or ""
            groups.setdefault(sent.split(":", 1)[-1], []).append(job)
        batches = []
        for jobs in (fresh, *groups.values()):
            for start in range(0, len(jobs), size):
                # In a set order: the same documents make the same request, byte for byte.
                batches.append(sorted(jobs[start : start + size], key=lambda j: str(j.document.id)))
        return batches

    def _reconciled(self, kind: DocumentKind, job: Job, hit: Found) -> Outcome:
        state = self._snap.state(kind.kind, job.document.id)
        _, status, total = kind.facts(hit.element)
        version = in_flight_version(state.in_flight_key) or job.document.version
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

    async def _create(self, kind: DocumentKind, jobs: list[Job]) -> None:
        snap = self._snap
        results = self._results()
        elements: list[XeroModel] = []
        notes: list[str | None] = []
        unbuilt: list[Outcome] = []
        built: list[Job] = []
        for job in jobs:
            status, note = kind.status_for(job.document, snap.settings)
            try:
                element = kind.to_xero(
                    job.document,
                    contact_id=self._contact_for(job) or "",
                    status=status,
                    settings=snap.settings,
                    defaults=snap.defaults,
                )
            except Exception as error:  # one document's trouble never stops the others
                unbuilt.append(self._unexpected(kind, job, "create", error))
                continue
            built.append(job)
            notes.append(note)
            elements.append(element)
        self._record(unbuilt)
        jobs = built
        if not jobs:
            return
        generation = max(
            key_generation(snap.state(kind.kind, j.document.id).in_flight_key) for j in jobs
        )
        key = batch_key(kind.kind, "create", [(j.document.id, j.document.version) for j in jobs])
        if generation:
            key = f"{key}-g{generation}"
        flights = {
            job.document.id: in_flight_key(job.document.version, generation, key) for job in jobs
        }
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
                        in_flight_key=flights[job.document.id],
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
            sort = answer_of(answer)
            if sort is Answer.SAVED:
                assert answer.id is not None and answer.element is not None
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
            elif sort is Answer.RATE_LIMITED:
                assert isinstance(answer.error, RateLimited)
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
            elif sort is Answer.UNSENT:
                assert answer.error is not None
                outcomes.append(self._create_failed(kind, job, answer.error, flights))
            elif sort is Answer.AGAIN:
                outcomes.append(
                    results.again(
                        state,
                        action="create",
                        summary=summary,
                        error=" / ".join(answer.errors),
                        row_ids=job.row_ids,
                        in_flight_key=in_flight_key(job.document.version, generation + 1, key),
                    )
                )
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
        # A failure other than a refusal may follow an attempt that landed (the client retries
        # inside one call): its key stays, and the document is looked up in Xero before it is
        # sent again.
        return self._results().failed(
            self._snap.state(kind.kind, job.document.id),
            action="create",
            summary=kind.summary(job.document),
            error=error,
            row_ids=job.row_ids,
            in_flight_key=flights[job.document.id],
        )


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
