"""`ledgerlink worker`: drain the outbox to Xero until Ctrl-C or SIGTERM (`--once`: drain
what is waiting and exit)."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Annotated

import typer

from ledgerlink.bootstrap import build
from ledgerlink.cli.common import console
from ledgerlink.observability.logs import configure_logging
from ledgerlink.observability.metrics import serve_metrics
from ledgerlink.store.clock import utc_now
from ledgerlink.sync.engine import (
    DEFAULT_CONCURRENCY,
    Worker,
    WorkerConfig,
    default_worker_name,
)
from ledgerlink.sync.exports import ExportRunner
from ledgerlink.sync.imports import ImportRunner
from ledgerlink.sync.schedule import SCHEDULE_EVERY_SECONDS, run_import_schedule


async def run_worker(
    worker: Worker,
    *,
    once: bool,
    announce: Callable[[], None] | None = None,
    imports: ImportRunner | None = None,
    refresh_every: float = SCHEDULE_EVERY_SECONDS,
    exports: ExportRunner | None = None,
) -> None:
    """Run ``worker`` until SIGINT/SIGTERM, or (``once``) until nothing is left to send.

    With ``imports``, interrupted import jobs are resumed and scheduled refreshes run
    every ``refresh_every`` seconds beside it. ``announce`` is called once the worker is
    ready (its signal handlers installed).
    """
    if once:
        if announce is not None:
            announce()
        await worker.drain()
        return
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if announce is not None:
        announce()
    if imports is None:
        await worker.run(stop)
        return
    await asyncio.gather(
        worker.run(stop),
        run_import_schedule(
            imports, stop, clock=utc_now, every_seconds=refresh_every, exports=exports
        ),
    )


def register(app: typer.Typer) -> None:
    """Add the `worker` command to ``app``."""

    @app.command("worker")
    def worker_command(
        once: Annotated[
            bool, typer.Option("--once", help="Send what is waiting, then exit.")
        ] = False,
        name: Annotated[
            str | None,
            typer.Option(
                help="This worker's name, shown in logs. Its leases are held by the name "
                "and a random id of this run, so two workers given one name never send "
                "for one company at once; a killed worker's work resumes once its leases "
                "run out (--lease). Default: host:pid."
            ),
        ] = None,
        poll: Annotated[float, typer.Option(help="Seconds between polls when idle.")] = 0.25,
        lease: Annotated[
            float, typer.Option(help="Seconds a company's work stays claimed by this worker.")
        ] = 60.0,
        refresh_every: Annotated[
            float,
            typer.Option(
                help="Seconds between rounds that resume paused imports and run the "
                "scheduled refreshes (companies' xero_refresh_minutes setting)."
            ),
        ] = SCHEDULE_EVERY_SECONDS,
        concurrency: Annotated[
            int,
            typer.Option(
                min=1,
                help="Companies (Xero organisations) this worker sends for at the same time.",
            ),
        ] = DEFAULT_CONCURRENCY,
        metrics_port: Annotated[
            int | None,
            typer.Option(
                min=1,
                max=65535,
                help="Serve this worker's Prometheus metrics at http://HOST:PORT/metrics "
                "(HOST is LEDGERLINK_HOST). Default: LEDGERLINK_METRICS_PORT, or none.",
            ),
        ] = None,
    ) -> None:
        """Send suppliers and customers (as Xero contacts), items, purchase orders, bills,
        sales invoices, credit notes, payments, refunds and store credit (as credit notes),
        each credit use (an allocation, a refund paid out, an overpayment) and stock takes to
        Xero, with their later edits and cancellations; resume paused imports, take over
        one-time exports whose runner stopped, and run the scheduled refreshes."""
        container = build()
        configure_logging(container.settings.log_format)
        port = metrics_port or container.settings.metrics_port
        if port is not None:
            serve_metrics(port, container.settings.host)
        config = WorkerConfig(
            name=name or default_worker_name(),
            poll_seconds=poll,
            lease_seconds=lease,
            concurrency=concurrency,
        )
        worker = container.worker(config)

        def announce() -> None:
            console.print(
                f"worker {config.name}: sending to Xero for up to {config.concurrency} "
                "companies at once (Ctrl-C to stop)"
            )

        try:
            asyncio.run(
                run_worker(
                    worker,
                    once=once,
                    announce=announce,
                    imports=container.import_runner(),
                    refresh_every=refresh_every,
                    exports=container.export_runner(),
                )
            )
        finally:
            container.close()
        total = worker.total
        console.print(
            f"worker {config.name}: {total.documents} document(s) settled from "
            f"{total.rows} change(s) in {total.companies} company pass(es)"
        )
