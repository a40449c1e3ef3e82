"""Running an import job as a task of the serving process (the API's and the console's).

The job row is the truth: a job cut off by a restart is resumed by the worker once its
lease runs out (`ImportRunner.resume_due`).
"""

import asyncio
import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

from ledgerlink.store.repositories.import_jobs import ImportJob
from ledgerlink.sync.imports.runner import ImportRunner

log = logging.getLogger(__name__)

Tasks = set[asyncio.Task[ImportJob | None]]


def run_in_background(tasks: Tasks, job_id: UUID, runner: ImportRunner) -> None:
    """Start the job on the running loop, held in ``tasks`` until it ends."""
    task = asyncio.get_running_loop().create_task(runner.run_or_record(job_id))
    tasks.add(task)  # held, so the task is not collected before it ends
    task.add_done_callback(_settled(tasks))


def _settled(tasks: Tasks) -> Callable[[asyncio.Task[Any]], None]:
    def settled(task: asyncio.Task[ImportJob | None]) -> None:
        tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # The job's lease runs out and the worker takes it over.
            log.error("import job left to the worker", exc_info=task.exception())

    return settled
