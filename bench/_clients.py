"""The benchmarks' Xero clients: the tests' sandbox clients without their request log.

``SandboxClients`` keeps every request it sent (bodies included) for the tests to inspect;
over a long benchmark that list alone grows by tens of MiB, which is the benchmark's
memory, not the worker's.
"""

import httpx
from tests.integration.sync.conftest import SandboxClients


class QuietClients(SandboxClients):
    """``SandboxClients`` that keeps no record of the requests it sent."""

    async def _record(self, request: httpx.Request) -> None:
        return None
