"""One-time exports: every customer (as a Xero contact) or every product (as a Xero item).

The job row is the truth. Records go in id order, ``BATCH_SIZE`` at a time: each batch is
matched against what Xero already holds (contacts by contact number or name, in any
letter case; items by code), the rest created in one call, and the links, sync states
and log written in one transaction with the job's counts and cursor. A job stopped
anywhere goes on from its cursor; a batch sent again carries the same Idempotency-Key and
is matched first, so nothing is created twice.

One runner at a time runs a job: it holds the job's lease and renews it on a heartbeat;
a job whose runner died is taken over by the worker once the lease runs out, and an error
that stops a runner is recorded on its job (failed, with the message): never left running.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from ledgerlink.domain.errors import DomainError, InvalidValue
from ledgerlink.store.clock import utc_now
from ledgerlink.store.errors import StoreError
from ledgerlink.store.repositories.export_jobs import (
    DONE,
    FAILED,
    NEEDS_RECONNECT,
    RUNNING,
    ExportJob,
    ExportJobRepository,
    record_count,
    record_ids_after,
)
from ledgerlink.store.repositories.sync_links import LinkHolder, link_holders, links_for
from ledgerlink.store.repositories.sync_log import SyncLogEntry, SyncLogRepository
from ledgerlink.store.repositories.sync_states import SyncState, SyncStateRepository
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.export.keys import batch_key
from ledgerlink.sync.exports.kinds import ExportKind, Record, Sent, export_kind
from ledgerlink.sync.gateway import NeedsReconnect, NotConnected
from ledgerlink.sync.imports.clients import XeroClients
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.sync.imports.steps import HEARTBEAT_SECONDS, LeaseLost
from ledgerlink.sync.job_leases import JobLeases
from xero_client import AuthError, RateLimited, XeroClient, XeroError

logger = logging.getLogger(__name__)

UowFactory = Callable[[], SqlUnitOfWork]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Any]
Progress = Callable[[ExportJob], None]

#: Records per batch: Xero takes up to 50 elements per create call.
BATCH_SIZE = 50


@dataclass(frozen=True)
class Batch:
    """One batch of records, those of them linked before the job, and what Xero did."""

    records: list[Record]
    linked: frozenset[UUID]
    sent: Sent


class ExportRunner:
    """Starts and runs one-time export jobs for any company.

    Args:
        uow_factory: makes units of work on the database.
        clients: hands out a Xero client per company (the gateway).
        clock: the current time (UTC).
        sleep: waits out a rate limit.
        on_progress: called with the job after every committed batch.
        heartbeat_seconds: how often a running job's lease is renewed.
    """

    def __init__(
        self,
        uow_factory: UowFactory,
        clients: XeroClients,
        *,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
        on_progress: Progress | None = None,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self._clock = clock
        self._sleep = sleep
        self._on_progress = on_progress
        self._heartbeat_seconds = heartbeat_seconds
        self._leases = JobLeases(uow_factory, ExportJobRepository, clock, "export")
        self._retrying = self._leases.retrying
        self._write = self._leases.write
        self._batch_size = batch_size

    # -- starting -------------------------------------------------------------------

    def start(self, company_id: UUID, kind: str) -> ExportJob:
        """Record a new job (queued), or give back the one of ``kind`` still under way.

        Raises:
            InvalidValue: an unknown kind or company.
        """
        chosen = export_kind(kind)
        with self._uow_factory() as uow:
            if uow.companies.get(company_id) is None:
                raise InvalidValue("company", f"no company {company_id}")
            jobs = ExportJobRepository(uow.session)
            running = jobs.unfinished(company_id, chosen.name.value, locking=True)
            if running is not None:
                return running
            job = ExportJob(company_id=company_id, kind=chosen.name.value, created_at=self._clock())
            job.total = record_count(uow.session, chosen.record_kind, company_id)
            jobs.add(job)
            uow.commit()
        return job

    # -- running --------------------------------------------------------------------

    async def run(self, job_id: UUID) -> ExportJob:
        """Run the job to its end (done, failed or needing a reconnect) and return it; a
        job another runner holds is returned as it stands."""
        job, ran = await self._leases.run(job_id, self._work, self._heartbeat_seconds)
        if ran:
            self._notify(job)
        return job

    async def run_or_record(self, job_id: UUID) -> ExportJob | None:
        """``run``, recording on the job (failed, with a message) an error that stops it
        before it starts, unless another runner holds it."""
        return await self._leases.run_or_record(self.run, job_id)

    async def resume_due(self, now: datetime) -> list[ExportJob]:
        """Run every unfinished job nobody holds whose wait is over (the worker calls this):
        a job whose runner died is taken over here once its lease has run out."""
        due = await in_thread(self._leases.resumable, now)
        ran = [await self.run_or_record(job.id) for job in due]
        return [job for job in ran if job is not None]

    async def _work(self, job: ExportJob, owner: str) -> None:
        job.state, job.message, job.resume_at = RUNNING, None, None
        job.started_at = job.started_at or self._clock()
        kind = export_kind(job.kind)
        try:
            await self._retrying(self._write, job, owner)
            async with self._clients.client(job.company_id) as client:
                await self._run_with_pauses(job, kind, client, owner)
        except LeaseLost:
            raise
        except (AuthError, NeedsReconnect) as error:
            job.state = NEEDS_RECONNECT
            job.message = (
                f"Xero refused the connection ({error}); connect the company to Xero "
                "again, then run the export again"
            )
        except NotConnected as error:
            job.state, job.message = FAILED, error.message
        except (XeroError, DomainError, StoreError) as error:
            job.state = FAILED
            job.message = f"the export stopped: {error}; run it again to go on from here"
        except Exception as error:
            logger.exception("export job %s failed", job.id)
            job.state = FAILED
            job.message = f"the export stopped on an unexpected error: {error!r}"
        if job.state in (NEEDS_RECONNECT, FAILED):
            job.finished_at = self._clock()

    async def _run_with_pauses(
        self, job: ExportJob, kind: ExportKind, client: XeroClient, owner: str
    ) -> None:
        job.cursor["tenant_id"] = client.tenant_id
        prepared = False
        while True:
            try:
                if not prepared:
                    job.api_calls += await kind.prepare(client)
                    prepared = True
                while await self._batch(job, kind, client, owner):
                    self._notify(job)
            except RateLimited as limited:
                await self._pause(job, limited, owner)
                continue
            break
        job.state = DONE
        job.finished_at = self._clock()
        job.message = (
            f"{job.done} {kind.label}s: {job.linked} linked to what Xero had, "
            f"{job.created} created, {job.already} already in Xero, {job.failed} failed"
        )

    async def _batch(
        self, job: ExportJob, kind: ExportKind, client: XeroClient, owner: str
    ) -> bool:
        """Send the next batch from the job's cursor; False when none is left."""
        records, linked = await self._retrying(self._next_records, job, kind)
        if not records:
            return False
        fresh = [r for r in records if r.id not in linked]
        key = batch_key(f"export-{kind.record_kind}", "create", [(r.id, r.version) for r in fresh])
        sent = await kind.send(client, fresh, key) if fresh else Sent()
        job.api_calls += sent.calls
        batch = Batch(records, linked, sent)
        await self._retrying(self._record, job, kind, client.tenant_id, batch, owner)
        return True

    async def _pause(self, job: ExportJob, limited: RateLimited, owner: str) -> None:
        await self._leases.pause(job, limited, owner, self._sleep, self._notify)

    # -- database work (on a thread) --------------------------------------------------

    def _next_records(
        self, job: ExportJob, kind: ExportKind
    ) -> tuple[list[Record], frozenset[UUID]]:
        """The next batch from the job's cursor, and those of it already linked to Xero."""
        with self._uow_factory() as uow:
            ids = record_ids_after(
                uow.session, kind.record_kind, job.company_id, job.cursor.get("after"),
                self._batch_size,
            )  # fmt: skip
            found = kind.load(uow, job.company_id, ids)
            linked = links_for(uow.session, job.company_id, kind.record_kind, ids)
        return [found[i] for i in ids if i in found], frozenset(UUID(i) for i in linked)

    def _record(
        self,
        job: ExportJob,
        kind: ExportKind,
        tenant_id: str,
        batch: Batch,
        owner: str,
    ) -> None:
        """Write the batch's links, sync states and log with the job's counts and cursor."""
        now = self._clock()
        with self._uow_factory() as uow:
            sent = batch.sent
            found = {**sent.created, **{i: x for i, (x, _) in sent.linked.items()}}
            holders = link_holders(uow.session, tenant_id, kind.record_kind, found.values())
            taken: set[str] = set()
            log: list[SyncLogEntry] = []
            for record in batch.records:
                if record.id in batch.linked:
                    job.count("already")
                    continue
                entry = self._settle(uow, job, kind, tenant_id, record, sent, holders, taken)
                log.append(entry)
            SyncLogRepository(uow.session, self._clock).add_many(log)
            job.cursor["after"] = str(batch.records[-1].id)
            if not ExportJobRepository(uow.session).save(job, now, owner=owner):
                raise LeaseLost(job.id)
            uow.commit()

    def _settle(
        self,
        uow: SqlUnitOfWork,
        job: ExportJob,
        kind: ExportKind,
        tenant_id: str,
        record: Record,
        sent: Sent,
        holders: Mapping[str, LinkHolder],
        taken: set[str],
    ) -> SyncLogEntry:
        """Count one record not linked before the job, link it (with its sync state) when
        Xero took or matched it; its sync log entry."""
        name = kind.describe(record)
        if record.id in sent.refused:
            reason, fix = sent.refused[record.id]
            job.fail(record.id, name, reason)
            return _entry(job, kind, record, "failed", reason, fix)
        matched = sent.linked.get(record.id)
        xero_id = matched[0] if matched is not None else sent.created.get(record.id)
        if xero_id is None:
            reason = "Xero gave no answer for it"
            job.fail(record.id, name, reason)
            return _entry(job, kind, record, "failed", reason, "run the export again")
        holder = holders.get(xero_id.lower())
        if xero_id.lower() in taken or (holder is not None and holder.entity_id != str(record.id)):
            reason = (
                f"Xero's {kind.xero_label} {xero_id} that {kind.label} {name} matched is "
                f"already linked to another {kind.label}"
            )
            fix = f"rename the {kind.label} or merge the two, then run the export again"
            job.fail(record.id, name, reason)
            return _entry(job, kind, record, "failed", reason, fix)
        uow.xero_links.upsert(
            job.company_id, kind.record_kind, record.id, tenant_id=tenant_id,
            xero_id=xero_id, synced_version=record.version,
        )  # fmt: skip
        taken.add(xero_id.lower())
        job.count("linked" if matched is not None else "created")
        how = matched[1] if matched is not None else "created"
        answer = "; ".join(filter(None, [f"Xero {xero_id} ({how})", kind.note(record)]))
        SyncStateRepository(uow.session, self._clock).save(
            SyncState(
                company_id=job.company_id, kind=kind.record_kind, document_id=record.id,
                state="sent", synced_version=record.version, xero_id=xero_id.lower(),
                xero_status="ACTIVE",
            )
        )  # fmt: skip
        return _entry(job, kind, record, "sent", answer)

    def _notify(self, job: ExportJob) -> None:
        if self._on_progress is not None:
            self._on_progress(job)


def _entry(
    job: ExportJob,
    kind: ExportKind,
    record: Record,
    outcome: str,
    answer: str,
    fix: str | None = None,
) -> SyncLogEntry:
    return SyncLogEntry(
        company_id=job.company_id,
        kind=kind.record_kind,
        document_id=record.id,
        action="export",
        outcome=outcome,
        summary=f"{kind.label} {kind.describe(record)} v{record.version}",
        answer=answer,
        fix=fix,
    )
