"""A worker's leases of companies, and the fence they make around its writes.

One row of ``sync_leases`` per company names the worker run that holds it and until when.
Each step of the worker that writes for a company (the export of its documents, their
files and notes, the inbound pass) takes the company's lease first and is fenced by it: a
worker that stalled past its lease while another took the company over stops

- before its next write to Xero: ``guard(company_id)``, given to the company's
  ``XeroClient.guard_writes``, runs before every POST and PUT (retries included);
- before its next write to the store: every transaction that records results extends the
  lease inside itself (``check``; ``fenced`` makes units of work whose every commit does)
  and is rolled back with ``LeaseLost`` when the lease is no longer this run's.

The holder is the worker *run*, not its name: ``holder_of(name)`` adds a random instance
id, so two processes started with the same ``--name`` fence each other as two differently
named ones do. Logs, heartbeats and listings show the name; a run that was killed leaves
its leases to run out, then any worker takes them over.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial
from uuid import UUID

from sqlalchemy.orm import Session

from ledgerlink.store.clock import Clock
from ledgerlink.store.outbox import OutboxRepository
from ledgerlink.store.uow import SqlUnitOfWork

#: Between a worker's name and its run's instance id in the holder of a lease.
INSTANCE_MARK = "#"
#: A lease found held is looked at again (before a write to Xero) after this part of it:
#: it was extended to a whole lease then, so no other worker can have taken it meanwhile.
FRESH_PART = 3


def holder_of(name: str) -> str:
    """The lease holder of one worker run named ``name``: the name and a random id."""
    return f"{name}{INSTANCE_MARK}{secrets.token_hex(4)}"


class LeaseLost(Exception):
    """Another worker took this company over: the step stops before it writes to Xero or
    to the store again (what it still holds is the new holder's to do)."""

    def __init__(self, company_id: UUID) -> None:
        super().__init__(f"company {company_id}: another worker took it over")
        self.company_id = company_id


class CompanyLeases:
    """The leases one worker run takes, keeps and gives back, under ``holder``."""

    def __init__(
        self,
        uow_factory: Callable[[], SqlUnitOfWork],
        holder: str,
        *,
        lease: timedelta,
        clock: Clock,
    ) -> None:
        self._uow_factory = uow_factory
        self.holder = holder
        self.lease = lease
        self._clock = clock
        #: When this run last found each company's lease its own (by its clock).
        self._held_at: dict[UUID, datetime] = {}

    def until(self) -> datetime:
        """When a lease taken or extended now runs out."""
        return self._clock() + self.lease

    def take_in(self, uow: SqlUnitOfWork, company_id: UUID, now: datetime) -> bool:
        """Take (or renew) the company's lease in ``uow``'s transaction; False when another
        live worker holds it. Call ``taken`` once the transaction is committed."""
        return uow.outbox.take_lease(company_id, self.holder, now, now + self.lease)

    def taken(self, company_id: UUID, at: datetime) -> None:
        """Note that the company's lease was this run's at ``at`` (committed)."""
        self._held_at[company_id] = at

    def take(self, company_id: UUID) -> bool:
        """Take (or renew) the company's lease in a transaction of its own."""
        with self._uow_factory() as uow:
            now = self._clock()
            taken = self.take_in(uow, company_id, now)
            uow.commit()
        if taken:
            self.taken(company_id, now)
        return taken

    def check(self, company_id: UUID, session: Session) -> None:
        """Extend the company's lease in ``session``'s transaction; raise ``LeaseLost``
        (the caller rolls the transaction back) when this run no longer holds it."""
        if not OutboxRepository(session).hold_lease(company_id, self.holder, self.until()):
            raise LeaseLost(company_id)

    def renewer(self, company_id: UUID) -> Callable[[Session], None]:
        """``check`` of one company, for the transactions that record its results."""
        return partial(self.check, company_id)

    def fenced(self, company_id: UUID) -> Callable[[], SqlUnitOfWork]:
        """Units of work whose every commit first checks the company is still this run's."""

        def fenced_uow() -> SqlUnitOfWork:
            return self._uow_factory().before_commit(self.renewer(company_id))

        return fenced_uow

    def hold(self, company_id: UUID) -> None:
        """Extend the company's lease in a transaction of its own; raise ``LeaseLost`` when
        another worker took it over (or it was given back) since this run took it."""
        now = self._clock()
        with self._uow_factory() as uow:
            held = uow.outbox.hold_lease(company_id, self.holder, now + self.lease)
            uow.commit()
        if not held:
            self._held_at.pop(company_id, None)
            raise LeaseLost(company_id)
        self._held_at[company_id] = now

    def guard(self, company_id: UUID) -> Callable[[], Awaitable[None]]:
        """The fence of writes to Xero, for ``XeroClient.guard_writes``: before every
        attempt the company must still be this run's, so a worker that stalled past its
        lease and was taken over stops before it sends what the new holder sends too.

        Within a third of the lease after it was last found held (and extended to a whole
        lease from then), no other worker can have taken it: the database is asked again
        only after that, so a busy step pays one look every third of a lease."""
        fresh = self.lease / FRESH_PART

        async def still_ours() -> None:
            held_at = self._held_at.get(company_id)
            if held_at is not None and self._clock() - held_at < fresh:
                return
            await asyncio.to_thread(self.hold, company_id)

        return still_ours

    def release(self, company_id: UUID) -> None:
        """Give the company back (only if this run still holds it)."""
        self._held_at.pop(company_id, None)
        with self._uow_factory() as uow:
            uow.outbox.release_lease(company_id, self.holder)
            uow.commit()

    def own(self, uow: SqlUnitOfWork) -> list[UUID]:
        """Companies whose lease this run holds (live or run out)."""
        return uow.outbox.own_leases(self.holder)
