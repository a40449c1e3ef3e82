"""The worker: drains the outbox, one company at a time, for as long as it runs.

Each pass takes the lease of every company with work waiting (one worker per company at
a time, so one organisation's budget is spent by one worker and no document is created
twice), claims its rows under the same lease and hands them to the exporter. Companies
with no budget left are parked until Xero's day resets while the others go on. When
idle it polls every ``poll_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import func, select

from ledgerlink.observability.logs import bind_log_context
from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.heartbeats import beat
from ledgerlink.store.outbox import OutboxMessage
from ledgerlink.store.tables.outbox import outbox
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.company_leases import CompanyLeases, LeaseLost, holder_of
from ledgerlink.sync.engine.clients import ClientFactory
from ledgerlink.sync.export.attachments import AttachmentExport
from ledgerlink.sync.export.kinds import KINDS
from ledgerlink.sync.export.organisation import OrganisationFactsCache
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.sync.export.run import CompanyExport
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.inbound import InboundEvents

log = logging.getLogger("ledgerlink.worker")
# How often a busy or idle worker says it is alive (readiness wants one within a minute).
HEARTBEAT_EVERY = timedelta(seconds=15)

Sleep = Callable[[float], Awaitable[None]]
CONNECT_RETRY_SECONDS = 300.0
#: ``drain`` waits for retries due within this long, and leaves later ones for later.
DRAIN_WINDOW_SECONDS = 60.0
#: After a failed pass the worker pauses this long, doubling with each failure in a row.
ERROR_PAUSE_SECONDS = 1.0
MAX_ERROR_PAUSE_SECONDS = 60.0
#: A company's lease is renewed this many times per lease length while it is exported.
LEASE_RENEWALS = 3
#: Companies (Xero organisations) one worker exports at the same time, by default.
DEFAULT_CONCURRENCY = 4


def default_worker_name() -> str:
    """``host:pid``: unique per process, stable for the process's life."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class WorkerConfig:
    """How a worker runs.

    ``name`` is what logs and listings show; its leases are held by the name and a random
    id of this run (``Worker.leases.holder``), so two workers started with the same name
    never send for one company at once. A killed worker's leases run out after
    ``lease_seconds``, then any worker takes its companies over.
    """

    name: str = field(default_factory=default_worker_name)
    poll_seconds: float = 0.25
    lease_seconds: float = 60.0
    claim_limit: int = 1000
    #: Companies (Xero organisations) exported at the same time by this worker.
    concurrency: int = DEFAULT_CONCURRENCY
    policy: ExportPolicy = field(default_factory=ExportPolicy)


@dataclass
class PassReport:
    """What one pass did."""

    companies: int = 0
    rows: int = 0
    documents: int = 0


class Worker:
    """Drains the outbox through ``clients``; see the module docstring."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        clients: ClientFactory,
        *,
        config: WorkerConfig | None = None,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self.config = config or WorkerConfig()
        self._clock = clock
        self._sleep = sleep
        self.total = PassReport()
        self._organisations = OrganisationFactsCache()
        self._beaten_at: datetime | None = None
        #: This run's leases (the name and a random id): the fence of every write it makes
        #: for a company, to Xero and to the store, the export's, files' and inbound's.
        self.leases = CompanyLeases(
            uow_factory,
            holder_of(self.config.name),
            lease=timedelta(seconds=self.config.lease_seconds),
            clock=clock,
        )
        self.inbound = InboundEvents(uow_factory, clients, leases=self.leases, clock=clock)
        self.attachments = AttachmentExport(uow_factory, clients, leases=self.leases, clock=clock)

    async def run_pass(self) -> PassReport:
        """Export everything claimable now, company by company."""
        report = PassReport()
        await asyncio.to_thread(self._heartbeat)
        await self.inbound.run_pass()  # what Xero reported changed, before sending more
        companies = await asyncio.to_thread(self._companies_to_export)
        gate = asyncio.Semaphore(max(1, self.config.concurrency))

        async def one(company_id: UUID) -> tuple[int, int]:
            async with gate:
                return await self._company(company_id)

        # Every company's work ends before the pass does, even when one of them fails.
        results = await asyncio.gather(*(one(c) for c in companies), return_exceptions=True)
        await self.attachments.run_pass()  # files and notes of the documents now in Xero
        failures = [result for result in results if isinstance(result, BaseException)]
        for result in results:
            if isinstance(result, BaseException) or not result[0]:
                continue
            rows, documents = result
            report.companies += 1
            report.rows += rows
            report.documents += documents
        self.total.companies += report.companies
        self.total.rows += report.rows
        self.total.documents += report.documents
        if failures:
            raise failures[0]
        return report

    def _heartbeat(self) -> None:
        """Stamp this worker's heartbeat, at most every ``HEARTBEAT_EVERY``."""
        now = self._clock()
        if self._beaten_at is not None and now - self._beaten_at < HEARTBEAT_EVERY:
            return
        with self._uow_factory() as uow:
            beat(uow.session, self.config.name, now)
            uow.commit()
        self._beaten_at = now

    def _companies_to_export(self) -> list[UUID]:
        with self._uow_factory() as uow:
            uow.read_only()
            now = self._clock()
            companies = self.leases.own(uow)
            for company_id in uow.outbox.companies_with_work(now, kinds=KINDS):
                if company_id not in companies:
                    companies.append(company_id)
        return companies

    def _claim(self, company_id: UUID) -> list[OutboxMessage]:
        holder = self.leases.holder
        with self._uow_factory() as uow:
            now = self._clock()
            if not self.leases.take_in(uow, company_id, now):
                return []
            rows = uow.outbox.claim(
                company_id,
                holder,
                now,
                self.leases.until(),
                kinds=KINDS,
                limit=self.config.claim_limit,
            )
            if not rows:
                uow.outbox.release_lease(company_id, holder)
            uow.commit()
        if rows:
            self.leases.taken(company_id, now)
        return rows

    def _renew_lease(self, company_id: UUID) -> bool:
        try:
            self.leases.hold(company_id)
        except LeaseLost:
            return False
        return True

    async def _keep_lease(self, company_id: UUID) -> None:
        """Renew the company's lease every third of its length while its export runs, so a
        slow export (Xero slow to answer, a busy machine) is never taken over halfway."""
        every = self.config.lease_seconds / LEASE_RENEWALS
        while True:
            await asyncio.sleep(every)
            try:
                held = await asyncio.to_thread(self._renew_lease, company_id)
            except Exception:  # the export's own writes renew it too; try again next time
                log.warning("company %s: could not renew its lease", company_id, exc_info=True)
                continue
            if not held:
                log.warning("company %s: another worker took its lease", company_id)
                return

    def _retry_later(self, rows: list[OutboxMessage], reason: str) -> None:
        with self._uow_factory() as uow:
            uow.outbox.retry(
                [row.id for row in rows],
                available_at=self._clock() + timedelta(seconds=CONNECT_RETRY_SECONDS),
                error=reason,
                only_claimed_by=self.leases.holder,
            )
            uow.commit()

    async def _company(self, company_id: UUID) -> tuple[int, int]:
        bind_log_context(company_id=company_id)  # this task's lines name the company
        rows = await asyncio.to_thread(self._claim, company_id)
        if not rows:
            return 0, 0
        documents = 0
        keeper = asyncio.create_task(self._keep_lease(company_id))
        try:
            async with self._clients(company_id) as client:
                bind_log_context(organisation=client.tenant_id)
                client.guard_writes(self.leases.guard(company_id))
                export = CompanyExport(
                    self._uow_factory,
                    client,
                    company_id,
                    self._clock,
                    self.config.policy,
                    renew=self.leases.renewer(company_id),
                    organisation=self._organisations,
                )
                documents = await export.run(rows)
        except LeaseLost as lost:  # its rows are the new holder's now: leave them be
            log.warning("%s; this worker stops exporting it", lost)
        except Exception as error:  # one company's trouble never stops the others
            if isinstance(error, GatewayError):
                reason = f"could not reach Xero: {error.message}"
                log.warning("company %s: %s", company_id, reason)
            else:
                reason = f"export stopped by an unexpected error: {type(error).__name__}: {error}"
                log.exception("company %s: %s", company_id, reason)
            await asyncio.to_thread(self._retry_later, rows, reason)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            await asyncio.to_thread(self.leases.release, company_id)
        log.info("company %s: %d row(s), %d document(s) settled", company_id, len(rows), documents)
        return len(rows), documents

    def pending(self, within_seconds: float = DRAIN_WINDOW_SECONDS) -> tuple[int, datetime | None]:
        """How many rows wait (for the kinds the worker sends) and are due within
        ``within_seconds``, and when the soonest is due."""
        horizon = self._clock() + timedelta(seconds=within_seconds)
        with self._uow_factory() as uow:
            uow.read_only()
            row = uow.session.execute(
                select(func.count(), func.min(outbox.c.available_at)).where(
                    outbox.c.reaches_xero.is_(True),
                    outbox.c.kind.in_(KINDS),
                    outbox.c.state.in_(("pending", "claimed")),
                    outbox.c.available_at <= horizon,
                )
            ).one()
        return int(row[0]), row[1]

    async def drain(self, *, max_seconds: float = 3600.0) -> PassReport:
        """Run passes until no work is left, waiting for retries due within a minute
        (work parked for longer, e.g. a spent daily budget, is left for later)."""
        started = self._clock()
        while True:
            report = await self.run_pass()
            if report.rows:
                continue
            count, soonest = self.pending()
            if count == 0:
                return self.total
            elapsed = (self._clock() - started).total_seconds()
            if elapsed > max_seconds:
                log.warning("stopping with %d row(s) still waiting", count)
                return self.total
            wait = self.config.poll_seconds
            if soonest is not None:
                due = (soonest - self._clock()).total_seconds()
                wait = min(max(wait, due), 5.0)
            await self._sleep(max(wait, 0.01))

    async def run(self, stop: asyncio.Event) -> PassReport:
        """Run until ``stop`` is set, polling every ``poll_seconds`` when idle.

        A pass that fails (the database busy or unreachable, a fault of ours) is logged and
        the next one follows after a pause, longer after each failure in a row.
        """
        failures = 0
        while not stop.is_set():
            try:
                report = await self.run_pass()
            except Exception:
                failures += 1
                pause = min(ERROR_PAUSE_SECONDS * 2 ** (failures - 1), MAX_ERROR_PAUSE_SECONDS)
                log.exception("pass failed (%d in a row); trying again in %.1f s", failures, pause)
                await self._sleep(pause)
                continue
            failures = 0
            if report.rows:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.config.poll_seconds)
        return self.total
