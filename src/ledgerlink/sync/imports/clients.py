"""How an import gets a Xero client for a company."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from xero_client import XeroClient


class XeroClients(Protocol):
    """Hands out a client connected to a company's Xero organisation.

    ``ledgerlink.sync.gateway`` fits: ``async with gateway.client(company_id) as client``.
    """

    def client(self, company_id: UUID) -> AbstractAsyncContextManager[XeroClient]: ...
