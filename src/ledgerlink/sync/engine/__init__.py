"""The outbox worker: ``Worker(uow_factory, clients, config=WorkerConfig(...))``.

``await worker.run(stop)`` runs until ``stop`` is set; ``await worker.drain()`` exports
everything waiting and returns (``ledgerlink worker --once``).
"""

from ledgerlink.sync.engine.clients import ClientFactory
from ledgerlink.sync.engine.worker import (
    DEFAULT_CONCURRENCY,
    PassReport,
    Worker,
    WorkerConfig,
    default_worker_name,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "ClientFactory",
    "PassReport",
    "Worker",
    "WorkerConfig",
    "default_worker_name",
]
