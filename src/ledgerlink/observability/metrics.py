"""The process's Prometheus metrics, counted where things happen.

Counters and histograms live in this process; gauges read from the database (outbox depth,
rate budget) are added at scrape time by the API's ``/metrics``.
"""

from collections.abc import Iterable
from wsgiref.simple_server import WSGIServer

import httpx
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

REGISTRY = CollectorRegistry(auto_describe=True)

SENDS = Counter(
    "ledgerlink_sends",
    "Documents settled by the worker, by kind and outcome (sent, failed, pending, resolved)",
    ["kind", "outcome"],
    registry=REGISTRY,
)
XERO_CALLS = Counter(
    "ledgerlink_xero_calls",
    "Answers from Xero, by HTTP status",
    ["status"],
    registry=REGISTRY,
)
XERO_RATE_LIMITED = Counter(
    "ledgerlink_xero_rate_limited",
    "429 answers from Xero, by the limit spent (minute, day, appminute)",
    ["limit"],
    registry=REGISTRY,
)
APPROVAL_TO_XERO = Histogram(
    "ledgerlink_approval_to_xero_seconds",
    "From a document's change (its approval) to Xero holding it",
    ["kind"],
    buckets=(1, 5, 15, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600),
    registry=REGISTRY,
)
WEBHOOK_EVENTS = Counter(
    "ledgerlink_webhook_events",
    "Events Xero posted, by outcome (stored, spooled: for the worker to store, duplicate, "
    "dropped: no company, malformed)",
    ["outcome"],
    registry=REGISTRY,
)
IMPORT_JOB_SECONDS = Histogram(
    "ledgerlink_import_job_seconds",
    "How long import jobs ran, by kind and final state",
    ["kind", "state"],
    buckets=(1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600),
    registry=REGISTRY,
)


async def count_xero_answer(response: httpx.Response) -> None:
    """An httpx response hook: counts Xero's answer, and which limit a 429 names."""
    XERO_CALLS.labels(str(response.status_code)).inc()
    if response.status_code == 429:
        limit = response.headers.get("X-Rate-Limit-Problem", "unknown").lower()
        XERO_RATE_LIMITED.labels(limit).inc()


class _Fixed(Collector):
    def __init__(self, metrics: Iterable[Metric]) -> None:
        self._metrics = list(metrics)

    def collect(self) -> Iterable[Metric]:
        return self._metrics


def exposition(read_now: Iterable[Metric] = ()) -> bytes:
    """The text exposition of this process's metrics and of ``read_now``."""
    extra = CollectorRegistry(auto_describe=False)
    extra.register(_Fixed(read_now))
    return generate_latest(REGISTRY) + generate_latest(extra)


def serve_metrics(port: int, host: str = "127.0.0.1") -> WSGIServer:
    """Serve this process's metrics at ``http://host:port/metrics`` from a background
    thread (for workers, which serve no API); ``shutdown()`` stops it."""
    server, _thread = start_http_server(port, addr=host, registry=REGISTRY)
    return server
