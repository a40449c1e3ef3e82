"""What an admin asks for now, from the REST API or the console: a comparison with Xero
run within the request, and a pull started as a job of the serving process.

Both answer the same way wherever they are asked: a comparison that could not run raises
`CompareRefused` (not connected, Xero's rate limit, Xero failed), each with its words; a
pull of a company not connected is not started (None).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from ledgerlink.store.clock import Clock
from ledgerlink.store.repositories.pull_jobs import PullJob, PullJobRepository
from ledgerlink.store.repositories.reconciliations import FAILED, Reconciliation
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.gateway import GatewayError
from ledgerlink.sync.imports.offload import in_thread
from ledgerlink.sync.inbound.pull import PullRunner
from ledgerlink.sync.inbound.reconcile import Reconciler
from xero_client import RateLimited

if TYPE_CHECKING:  # the worker imports this package: no import of the engine at run time
    from ledgerlink.sync.engine.clients import ClientFactory

log = logging.getLogger("ledgerlink.inbound")

NOT_CONNECTED, RATE_LIMITED, XERO_FAILED = "not_connected", "rate_limited", "xero_failed"


class CompareRefused(Exception):
    """A comparison with Xero that did not run to the end; ``why`` is one of
    not_connected, rate_limited (``retry_after`` seconds) or xero_failed."""

    def __init__(self, why: str, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.why = why
        self.message = message
        self.retry_after = retry_after


async def compare_now(
    uow_factory: Callable[[], SqlUnitOfWork],
    clock: Clock,
    clients: ClientFactory,
    company_id: UUID,
) -> Reconciliation:
    """Compare the company's linked documents with Xero now: the nightly run's steps.

    A run that reached Xero is kept, done or failed; `CompareRefused` says why it failed.
    """
    try:
        async with clients(company_id) as client:
            run = await Reconciler(uow_factory, clock).run(company_id, client)
    except RateLimited as limited:
        wait = max(int(limited.retry_after), 1)
        message = f"Xero's {limited.limit} limit is spent; try again in {wait} seconds"
        raise CompareRefused(RATE_LIMITED, message, retry_after=wait) from None
    except GatewayError as error:
        raise CompareRefused(NOT_CONNECTED, error.message) from None
    if run.state == FAILED:
        raise CompareRefused(XERO_FAILED, run.message or "the comparison with Xero failed")
    return run


PullTasks = set[asyncio.Task[Any]]


def _start(runner: PullRunner, uow_factory: Any, company_id: UUID) -> PullJob | None:
    with uow_factory() as uow:
        if not PullJobRepository(uow.session).connected(company_id):
            return None
    return runner.start(company_id)


async def start_pull(
    uow_factory: Callable[[], SqlUnitOfWork],
    clock: Clock,
    clients: ClientFactory,
    company_id: UUID,
    tasks: PullTasks,
) -> PullJob | None:
    """A pull job of the company, running as a task held in ``tasks`` until it ends; None
    (and nothing started) when the company is not connected to Xero."""
    runner = PullRunner(uow_factory, clients, clock=clock)
    job = await in_thread(_start, runner, uow_factory, company_id)
    if job is None:
        return None
    task = asyncio.get_running_loop().create_task(runner.run(job))
    tasks.add(task)  # held, so the task is not collected before it ends
    task.add_done_callback(_settled(tasks))
    return job


def _settled(tasks: PullTasks) -> Callable[[asyncio.Task[Any]], None]:
    def settled(task: asyncio.Task[Any]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("pull job stopped", exc_info=task.exception())

    return settled
