"""Import jobs: start one, run it to the end, pause on Xero's rate limits, resume.

The job row is the truth. Each batch of records commits together with the job's counts
and cursor, so a job stopped anywhere (a restart, a daily limit) resumes from its cursor
and a record is never half-imported. Upserts are idempotent, so a batch read twice
changes nothing the second time.

One runner at a time runs a job: it claims the job's lease and renews it on a heartbeat
while it runs; a job whose runner died is taken over once the lease runs out. Database
work runs on threads of its own (``offload``), so a busy database never stops the event
loop, and an error that stops a runner is recorded on its job.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.exc import OperationalError

from ledgerlink.domain.errors import DomainError, InvalidValue
from ledgerlink.observability.metrics import IMPORT_JOB_SECONDS
from ledgerlink.store.clock import utc_now
from ledgerlink.store.errors import StoreError
from ledgerlink.store.repositories.import_jobs import (
    DONE,
    FAILED,
    NEEDS_RECONNECT,
    RUNNING,
    ImportJob,
    ImportJobRepository,
    RefreshMarkRepository,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.gateway import NeedsReconnect, NotConnected
from ledgerlink.sync.imports.clients import XeroClients
from ledgerlink.sync.imports.fetch import (
    BULK_PAGE_SIZE,
)
from ledgerlink.sync.imports.kinds import ALL, REFRESH, SELECTED, ImportKind, parse_kind
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.sync.imports.steps import HEARTBEAT_SECONDS, JobSteps, LeaseLost
from ledgerlink.sync.job_leases import BUSY_PAUSE_SECONDS, BUSY_RETRIES, JobLeases
from xero_client import AuthError, RateLimited, XeroClient, XeroError

logger = logging.getLogger(__name__)

UowFactory = Callable[[], SqlUnitOfWork]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
Progress = Callable[[ImportJob], None]
ReconnectNeeded = Callable[[UUID, str], None]

MAX_PICKED = 1000
#: The company setting (in ``CompanySettings.options``) for scheduled refreshes.
REFRESH_SETTING = "xero_refresh_minutes"


class ImportRunner:
    """Starts and runs import jobs for any company.

    Args:
        uow_factory: makes units of work on the database.
        clients: hands out a Xero client per company (the gateway).
        clock: the current time (UTC).
        sleep: waits out a rate limit (tests pass one that moves the sandbox's clock).
        on_progress: called with the job after every committed batch.
        on_reconnect_needed: called with the company and Xero's message on a refused token.
        page_size: contacts per call for "import all" and refreshes (Xero's most is 1000).
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
        on_reconnect_needed: ReconnectNeeded | None = None,
        page_size: int = BULK_PAGE_SIZE,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self._uow_factory = uow_factory
        self._clients = clients
        self._clock = clock
        self._sleep = sleep
        self._on_progress = on_progress
        self._on_reconnect_needed = on_reconnect_needed
        self._heartbeat_seconds = heartbeat_seconds
        self._leases = JobLeases(uow_factory, ImportJobRepository, clock, "import")
        self._retrying = self._leases.retrying
        self._write = self._leases.write
        self._steps = JobSteps(uow_factory, clock, page_size, self._notify)

    # -- starting -------------------------------------------------------------------

    def start(
        self,
        company_id: UUID,
        kind: ImportKind | str,
        *,
        xero_ids: Sequence[str] = (),
        import_all: bool = False,
        search: str | None = None,
        refresh: bool = False,
    ) -> ImportJob:
        """Record a new job (queued); ``run`` does the work.

        Raises:
            InvalidValue: an unknown kind, no records picked, or ids that are not text.
        """
        kind = parse_kind(kind) if isinstance(kind, str) else kind
        ids = _check_ids(xero_ids, kind)
        search = search.strip() if search and search.strip() else None
        if refresh:
            mode = REFRESH
        elif ids:
            if import_all:
                raise InvalidValue("all", "pick records (xero_ids) or import all, not both")
            mode = SELECTED
        elif import_all or search or kind.picked_whole:
            mode = ALL
        else:
            raise InvalidValue(
                "xero_ids",
                f"pick the {kind.value} to import by their Xero ids, "
                'or import them all with "all": true',
            )
        now = self._clock()
        job = ImportJob(
            company_id=company_id,
            kind=kind.value,
            mode=mode,
            created_at=now,
            xero_ids=ids,
            search=search,
        )
        with self._uow_factory() as uow:
            if uow.companies.get(company_id) is None:
                raise InvalidValue("company", f"no company {company_id}")
            ImportJobRepository(uow.session).add(job)
            uow.commit()
        return job

    # -- running --------------------------------------------------------------------

    async def run(self, job_id: UUID) -> ImportJob:
        """Run the job to its end (done, failed or needing a reconnect) and return it.

        The runner holds the job's lease and renews it while it runs, so one runner at a
        time runs a job; a job another runner holds is returned as it stands.
        """
        job, _ = await self._leases.run(
            job_id, self._work, self._heartbeat_seconds, recorded=_observe_duration
        )
        return job

    async def run_or_record(self, job_id: UUID) -> ImportJob | None:
        """``run``, recording on the job (failed, with a message) an error that stops it
        before it starts, unless another runner holds it."""
        return await self._leases.run_or_record(self.run, job_id)

    async def _work(self, job: ImportJob, owner: str) -> None:
        job.state, job.message, job.resume_at = RUNNING, None, None
        job.started_at = job.started_at or self._clock()
        try:
            await self._save(job, owner)
            async with self._clients.client(job.company_id) as client:
                await self._run_with_pauses(job, client, owner)
        except LeaseLost:
            raise
        except (AuthError, NeedsReconnect) as error:
            job.state = NEEDS_RECONNECT
            job.message = (
                f"Xero refused the connection ({error}); connect the company to Xero "
                "again, then run the import again"
            )
            if self._on_reconnect_needed is not None:
                self._on_reconnect_needed(job.company_id, str(error))
        except NotConnected as error:
            job.state = FAILED
            job.message = error.message
            job.errors.append(error.message)
        except (XeroError, DomainError, StoreError) as error:
            job.state = FAILED
            job.message = f"the import stopped: {error}"
            job.errors.append(str(error))
        except Exception as error:
            # A fault of ours: the job says so instead of being retried forever.
            logger.exception("import job %s failed", job.id)
            job.state = FAILED
            job.message = f"the import stopped on an unexpected error: {error!r}"
            job.errors.append(repr(error))
        if job.state in (NEEDS_RECONNECT, FAILED):
            job.finished_at = self._clock()

    async def resume_due(self, now: datetime) -> list[ImportJob]:
        """Run every unfinished job nobody holds whose wait is over (the worker calls this).

        A job whose runner died is taken over here once its lease has run out.
        """
        due = await in_thread(self._leases.resumable, now)
        ran = [await self.run_or_record(job.id) for job in due]
        return [job for job in ran if job is not None]

    async def run_due_refreshes(self, now: datetime) -> list[ImportJob]:
        """Refresh, incrementally, each kind a company imported whose interval has passed.

        The interval is the company setting ``xero_refresh_minutes`` (in
        ``CompanySettings.options``); companies without it are refreshed on demand only.
        """
        started = await in_thread(self._start_due_refreshes, now)
        ran = [await self.run_or_record(job.id) for job in started]
        return [job for job in ran if job is not None]

    def _start_due_refreshes(self, now: datetime) -> list[ImportJob]:
        started: list[ImportJob] = []
        with self._uow_factory() as uow:
            jobs = ImportJobRepository(uow.session)
            marks = RefreshMarkRepository(uow.session)
            for company in _all_companies(uow):
                minutes = company.settings.options.get(REFRESH_SETTING)
                if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
                    continue
                for mark in marks.list(company.id):
                    if mark.refreshed_at + timedelta(minutes=minutes) > now:
                        continue
                    if jobs.unfinished(company.id, mark.kind) is not None:
                        continue
                    job = ImportJob(
                        company_id=company.id, kind=mark.kind, mode=REFRESH, created_at=now
                    )
                    jobs.add(job)
                    started.append(job)
            uow.commit()
        return started

    async def _run_with_pauses(self, job: ImportJob, client: XeroClient, owner: str) -> None:
        # Links name the organisation the records came from.
        job.cursor["tenant_id"] = client.tenant_id
        busy = 0
        while True:
            try:
                await self._steps.run(job, client)
            except RateLimited as limited:
                await self._pause(job, limited, owner)
                continue
            except OperationalError as error:
                # The database stayed busy past its timeout: the batch was rolled back,
                # so the job goes on from its cursor after a pause.
                busy += 1
                if busy > BUSY_RETRIES:
                    raise
                logger.warning("import job %s: database busy (%s); going on", job.id, error)
                await asyncio.sleep(BUSY_PAUSE_SECONDS * busy)
                continue
            job.state = DONE
            job.finished_at = self._clock()
            job.total = job.processed if job.total is None else job.total
            job.message = (
                f"{job.created} created, {job.updated} updated, {job.unchanged} unchanged, "
                f"{job.skipped} skipped"
            )
            return

    async def _pause(self, job: ImportJob, limited: RateLimited, owner: str) -> None:
        await self._leases.pause(job, limited, owner, self._sleep, self._notify)

    async def _save(self, job: ImportJob, owner: str) -> None:
        await self._retrying(self._write, job, owner)

    # -- database work (on an import thread) --------------------------------------------

    def _notify(self, job: ImportJob) -> None:
        if self._on_progress is not None:
            self._on_progress(job)


def _observe_duration(job: ImportJob) -> None:
    """How long a job that ended took, for the import job metric."""
    if job.finished_at is not None:
        seconds = (job.finished_at - (job.started_at or job.finished_at)).total_seconds()
        IMPORT_JOB_SECONDS.labels(job.kind, job.state).observe(max(0.0, seconds))


def _check_ids(xero_ids: Sequence[str], kind: ImportKind) -> list[str]:
    if isinstance(xero_ids, str) or len(xero_ids) > MAX_PICKED:
        raise InvalidValue("xero_ids", f"give a list of at most {MAX_PICKED} Xero ids")
    ids: list[str] = []
    for index, value in enumerate(xero_ids):
        if not isinstance(value, str) or not value.strip() or len(value) > 64:
            raise InvalidValue(f"xero_ids[{index}]", f"{value!r} is not a Xero id")
        clean = value.strip() if kind is ImportKind.TAX_RATES else value.strip().lower()
        if clean not in ids:
            ids.append(clean)
    return ids


def _all_companies(uow: SqlUnitOfWork) -> list[Any]:
    found: list[Any] = []
    while True:
        page = uow.companies.list(limit=500, offset=len(found))
        found.extend(page)
        if len(page) < 500:
            return found
