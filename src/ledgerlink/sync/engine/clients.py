"""How the worker gets a Xero client for a company: ``clients(company_id)``.

Any callable that returns an async context manager of a ready ``XeroClient`` will do;
``XeroGateway.client`` (tokens and rate budget from the database) is the one ledgerlink
runs with.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from xero_client import XeroClient


class ClientFactory(Protocol):
    """``async with clients(company_id) as xero: ...``"""

    def __call__(self, company_id: UUID, /) -> AbstractAsyncContextManager[XeroClient]: ...
