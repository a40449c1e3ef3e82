"""A worker process for reliability tests: the real engine, a client for the sandbox.

    python -m tests.integration.sync.worker_process --database URL --sandbox URL --name W1

Runs until SIGTERM (or with ``--once`` until nothing is left), like ``ledgerlink worker``,
with the sandbox's ``client_credentials`` connection in place of the Xero gateway.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from ledgerlink.bootstrap import Container
from ledgerlink.cli.worker import run_worker
from ledgerlink.config import Settings
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.export.results import ExportPolicy
from tests.integration.sync.conftest import SandboxClients


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--lease", type=float, default=2.0)
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format=f"{args.name} %(asctime)s %(message)s")
    container = Container(Settings(database_url=args.database))
    worker = Worker(
        container.uow,
        SandboxClients(args.sandbox, read_timeout=10.0),
        config=WorkerConfig(
            name=args.name,
            poll_seconds=0.1,
            lease_seconds=args.lease,
            policy=ExportPolicy(backoff_base_seconds=0.2, max_attempts=8),
        ),
    )
    try:
        asyncio.run(run_worker(worker, once=args.once))
    finally:
        container.close()


if __name__ == "__main__":
    main()
