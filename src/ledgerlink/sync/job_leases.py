"""What the import and one-time export runners share: their job's lease (claimed, renewed
on a heartbeat, lost to a runner that took over), its waits on Xero's rate limits, and the
database work they run on threads, again after a pause while the database is busy."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar
from uuid import UUID, uuid4

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from ledgerlink.domain.errors import InvalidValue
from ledgerlink.store.repositories.job_leases import (
    FAILED,
    RUNNING,
    WAITING,
    LeasedJob,
    LeasedJobRepository,
)
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.sync.imports.steps import LEASE_SECONDS, LeaseLost
from xero_client import RateLimited

logger = logging.getLogger(__name__)

T = TypeVar("T")
J = TypeVar("J", bound=LeasedJob)

#: Times a database that stays busy past its timeout is tried again, pausing longer each time.
BUSY_RETRIES = 5
BUSY_PAUSE_SECONDS = 1.0


class JobLeases(Generic[J]):
    """One kind of job's lease and database work, for its runner.

    Args:
        uow_factory: makes units of work on the database.
        repository: the jobs' repository on a session.
        clock: the current time (UTC).
        noun: what the jobs are called in the log ("import", "export").
    """

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        repository: Callable[[Session], LeasedJobRepository[J]],
        clock: Callable[[], datetime],
        noun: str,
    ) -> None:
        self._uow_factory = uow_factory
        self._repository = repository
        self._clock = clock
        self._noun = noun

    async def retrying(self, work: Callable[..., T], *args: Any) -> T:
        """Run database ``work`` on a thread, again after a pause while it is busy."""
        for attempt in range(1, BUSY_RETRIES + 1):
            try:
                return await in_thread(work, *args)
            except OperationalError as error:
                logger.warning("%s jobs: database busy (%s); trying again", self._noun, error)
                await asyncio.sleep(BUSY_PAUSE_SECONDS * attempt)
        return await in_thread(work, *args)

    async def run(
        self,
        job_id: UUID,
        work: Callable[[J, str], Awaitable[None]],
        heartbeat_seconds: float,
        *,
        recorded: Callable[[J], None] | None = None,
    ) -> tuple[J, bool]:
        """Claim the job's lease, do its ``work`` under a heartbeat and record its end (then
        call ``recorded``); the job, and False when another runner held it (as it stands).

        An error that stops the runner is recorded on the job: failed, with the message.
        """
        owner = uuid4().hex
        claimed, job = await self.retrying(self.claim, job_id, owner)
        if job is None:
            raise InvalidValue("job_id", f"no {self._noun} job {job_id}")
        if not claimed:
            return job, False
        heartbeat = asyncio.create_task(self.heartbeat(job.id, owner, heartbeat_seconds))
        try:
            await work(job, owner)
            job.lease_until, job.lease_owner = None, None
            await self.retrying(self.write, job, owner)
            if recorded is not None:
                recorded(job)
        except LeaseLost:
            logger.warning("%s job %s: another runner took it over", self._noun, job.id)
        except Exception as error:
            logger.exception("%s job %s: its end could not be recorded", self._noun, job.id)
            message = f"the {self._noun} stopped on an unexpected error: {error!r}"
            await self.retrying(self.fail, job.id, message, owner)
            job.state, job.message = FAILED, message
        finally:
            heartbeat.cancel()
        return job, True

    async def run_or_record(self, run: Callable[[UUID], Awaitable[J]], job_id: UUID) -> J | None:
        """``run`` the job, recording on it (failed, with a message) an error that stops it
        before it starts, unless another runner holds it."""
        try:
            return await run(job_id)
        except InvalidValue:
            raise
        except Exception as error:
            logger.exception("%s job %s could not start", self._noun, job_id)
            message = f"the {self._noun} stopped on an unexpected error: {error!r}"
            await self.retrying(self.fail, job_id, message, None)
            return None

    async def heartbeat(self, job_id: UUID, owner: str, seconds: float) -> None:
        """Renew the job's lease until cancelled, or until another runner holds it."""
        while True:
            await asyncio.sleep(seconds)
            try:
                held = await in_thread(self.renew, job_id, owner)
            except OperationalError as error:
                logger.warning("%s job %s: lease not renewed (%s)", self._noun, job_id, error)
                continue
            if not held:
                return

    async def pause(
        self,
        job: J,
        limited: RateLimited,
        owner: str,
        sleep: Callable[[float], Awaitable[Any]],
        notify: Callable[[J], None],
    ) -> None:
        """Wait out Xero's rate limit, the job saved as waiting (with when it resumes)."""
        wait = max(float(limited.retry_after), 1.0)
        resume_at = self._clock() + timedelta(seconds=wait)
        job.state, job.resume_at = WAITING, resume_at
        # Held past the wait, so no worker takes it over while this process waits.
        job.lease_until = resume_at + timedelta(seconds=LEASE_SECONDS)
        job.message = (
            f"waiting for Xero's rate limit ({limited.limit}), resumes at "
            f"{resume_at:%Y-%m-%d %H:%M:%S} UTC"
        )
        await self.retrying(self.write, job, owner)
        notify(job)
        await sleep(wait)
        job.state, job.message, job.resume_at = RUNNING, None, None
        await self.retrying(self.write, job, owner)

    # -- database work (on a thread) --------------------------------------------------

    def write(self, job: J, owner: str) -> None:
        """Save the job while runner ``owner`` holds it; LeaseLost when it no longer does."""
        with self._uow_factory() as uow:
            if not self._repository(uow.session).save(job, self._clock(), owner=owner):
                raise LeaseLost(job.id)
            uow.commit()

    def claim(self, job_id: UUID, owner: str) -> tuple[bool, J | None]:
        """Whether runner ``owner`` took the job's lease, and the job as it stands."""
        now = self._clock()
        with self._uow_factory() as uow:
            jobs = self._repository(uow.session)
            claimed = jobs.claim(job_id, owner, now, now + timedelta(seconds=LEASE_SECONDS))
            uow.commit()
            return claimed, jobs.get_any(job_id)

    def renew(self, job_id: UUID, owner: str) -> bool:
        with self._uow_factory() as uow:
            until = self._clock() + timedelta(seconds=LEASE_SECONDS)
            held = self._repository(uow.session).renew(job_id, owner, until)
            uow.commit()
            return held

    def fail(self, job_id: UUID, message: str, owner: str | None) -> None:
        with self._uow_factory() as uow:
            self._repository(uow.session).fail(job_id, message, self._clock(), owner=owner)
            uow.commit()

    def resumable(self, now: datetime) -> list[J]:
        with self._uow_factory() as uow:
            return self._repository(uow.session).resumable(now)
