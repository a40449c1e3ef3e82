"""What the worker does on a timer besides the outbox: resume and refresh imports, and
take over one-time exports whose runner died."""

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from ledgerlink.sync.exports import ExportRunner
from ledgerlink.sync.imports import ImportRunner

log = logging.getLogger(__name__)

SCHEDULE_EVERY_SECONDS = 60.0


async def run_import_schedule(
    runner: ImportRunner,
    stop: asyncio.Event,
    *,
    clock: Callable[[], datetime],
    every_seconds: float = SCHEDULE_EVERY_SECONDS,
    exports: ExportRunner | None = None,
) -> int:
    """Until `stop`: resume interrupted or rate-limited import jobs and start the refreshes
    whose interval (the company setting `xero_refresh_minutes`) has passed; with
    `exports`, go on with export jobs whose runner stopped (once their lease ran out).

    Returns how many jobs ran. A failing round is logged and the next one goes on.
    """
    ran = 0
    while not stop.is_set():
        try:
            now = clock()
            ran += len(await runner.resume_due(now))
            ran += len(await runner.run_due_refreshes(now))
            if exports is not None:
                ran += len(await exports.resume_due(now))
        except Exception:
            log.exception("scheduled imports failed this round; trying again later")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every_seconds)
    return ran
