"""The export worker against a real database and the real sandbox over HTTP.

A company here is bound to the sandbox's demo organisation through a client that holds a
``client_credentials`` token (a custom connection); the worker gets it from ``clients``.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import pytest

from ledgerlink.domain.bill import Bill
from ledgerlink.domain.parties import Supplier
from ledgerlink.domain.purchase_order import PurchaseOrder
from ledgerlink.store.records import CompanySettings
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.engine import Worker, WorkerConfig
from ledgerlink.sync.export.results import ExportPolicy
from ledgerlink.xero.outbound.settings import OPTIONS_KEY
from tests.integration.conftest import FakeClock
from xero_client import RateLimiter, RetryPolicy, XeroClient
from xero_sandbox import (
    DEMO_TENANT_ID,
    RunningSandbox,
    SandboxClock,
    SandboxConfig,
    serve_in_thread,
)

SANDBOX_START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
UowFactory = Callable[[], SqlUnitOfWork]


class ClientCredentials:
    """A custom connection's token for the sandbox's demo organisation."""

    def __init__(self, http: httpx.AsyncClient, root: str) -> None:
        self._http = http
        self._root = root
        self._token: str | None = None

    async def _fetch(self) -> str:
        answer = await self._http.post(
            f"{self._root}/connect/token",
            data={"grant_type": "client_credentials"},
            auth=("sandbox-client", "sandbox-secret"),
        )
        answer.raise_for_status()
        self._token = str(answer.json()["access_token"])
        return self._token

    async def access_token(self) -> str:
        return self._token or await self._fetch()

    async def refreshed_after(self, rejected: str) -> str:
        return await self._fetch()


#: One TLS context for every client here (making one per client loads the certificates
#: again each time, as ``ledgerlink.sync.gateway.tls_context`` avoids in production).
tls_context = functools.cache(httpx.create_ssl_context)


async def no_wait(seconds: float) -> None:
    """The client's backoff sleep: no real waiting in tests."""


class SandboxClients:
    """A ``ClientFactory``: every company goes to the sandbox's demo organisation."""

    def __init__(self, root: str, *, read_timeout: float = 5.0, attempts: int = 3) -> None:
        self.root = root
        self.read_timeout = read_timeout
        self.attempts = attempts
        #: Every request the clients sent, answered or not.
        self.sent: list[httpx.Request] = []
        #: Decides when each call may start (none: at once).
        self.limiter: RateLimiter | None = None

    async def _record(self, request: httpx.Request) -> None:
        self.sent.append(request)

    async def _answered(self, response: httpx.Response) -> None:
        """Called with each answer before its body is read (a test may hold it there)."""

    @asynccontextmanager
    async def __call__(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        timeout = httpx.Timeout(10.0, read=self.read_timeout)
        hooks = {"request": [self._record], "response": [self._answered]}
        async with httpx.AsyncClient(
            timeout=timeout, event_hooks=hooks, verify=tls_context()
        ) as http:
            yield XeroClient(
                DEMO_TENANT_ID,
                ClientCredentials(http, self.root),
                http=http,
                api_url=f"{self.root}/api.xro/2.0",
                sleep=no_wait,
                retry=RetryPolicy(max_attempts=self.attempts, base_delay=0.0, max_delay=0.0),
                limiter=self.limiter,
            )


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(seed="demo", limits="off")


@pytest.fixture
def sandbox(sandbox_config: SandboxConfig) -> Iterator[RunningSandbox]:
    with serve_in_thread(sandbox_config, SandboxClock.manual(SANDBOX_START)) as running:
        yield running


@pytest.fixture
def clients(sandbox: RunningSandbox) -> SandboxClients:
    return SandboxClients(sandbox.base_url)


async def skip_sleep(seconds: float) -> None:
    """The worker's sleep between passes in tests: the fake clock moves instead."""


#: Impatient clients give up on an answer after this long; held answers come much later.
READ_TIMEOUT = 0.3


def worker(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock, name: str, **config: Any
) -> Worker:
    """A worker named ``name`` on ``clients``, sleeping on the fake clock."""

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    policy = config.pop("policy", ExportPolicy(backoff_base_seconds=1.0))
    return Worker(
        uow_factory,
        clients,
        config=WorkerConfig(name=name, policy=policy, **config),
        clock=clock,
        sleep=advance,
    )


@pytest.fixture
def make_worker(
    uow_factory: UowFactory, clients: SandboxClients, clock: FakeClock
) -> Callable[..., Worker]:
    def build(**config: Any) -> Worker:
        return worker(uow_factory, clients, clock, "test-worker", **config)

    return build


@pytest.fixture
def impatient(sandbox: RunningSandbox) -> SandboxClients:
    """Clients that wait READ_TIMEOUT for an answer and send each call once."""
    return SandboxClients(sandbox.base_url, read_timeout=READ_TIMEOUT, attempts=1)


def set_export_settings(uow_factory: UowFactory, company_id: UUID, **options: Any) -> None:
    rounding = options.pop("unit_price_dp", 2)
    with uow_factory() as uow:
        company = uow.companies.get(company_id)
        assert company is not None
        settings = CompanySettings(
            rounding=rounding,
            line_amount_type=company.settings.line_amount_type,
            options={**company.settings.options, OPTIONS_KEY: options},
        )
        uow.companies.update_settings(company_id, settings)
        uow.commit()


def add_supplier(uow_factory: UowFactory, company_id: UUID, name: str) -> Supplier:
    with uow_factory() as uow:
        supplier = Supplier.create(company_id=company_id, name=name)
        uow.suppliers.add(supplier)
        uow.commit()
    return supplier


def line(**fields: Any) -> dict[str, Any]:
    return {
        "description": "Paper",
        "quantity": Decimal("3"),
        "unit_price": Decimal("33.33"),
        "account_code": "400",
        "tax_type": "INPUT2",
        "tax_rate": Decimal("15"),
        **fields,
    }


def approved_bill(
    uow_factory: UowFactory,
    company_id: UUID,
    supplier: Supplier,
    number: str,
    **fields: Any,
) -> Bill:
    bill = Bill(
        company_id=company_id,
        supplier_id=supplier.id,
        currency=fields.pop("currency", "NZD"),
        invoice_number=number,
        date=fields.pop("date", dt.date(2026, 3, 1)),
        due_date=fields.pop("due_date", dt.date(2026, 3, 31)),
        lines=fields.pop("lines", [line()]),
        **fields,
    )
    bill.submit()
    bill.approve()
    with uow_factory() as uow:
        uow.bills.add(bill)
        uow.commit()
    return bill


def approved_order(
    uow_factory: UowFactory, company_id: UUID, supplier: Supplier, number: str, **fields: Any
) -> PurchaseOrder:
    order = PurchaseOrder(
        company_id=company_id,
        supplier_id=supplier.id,
        currency=fields.pop("currency", "NZD"),
        number=number,
        date=fields.pop("date", dt.date(2026, 3, 1)),
        lines=fields.pop("lines", [line()]),
        **fields,
    )
    order.submit()
    order.approve()
    with uow_factory() as uow:
        uow.purchase_orders.add(order)
        uow.commit()
    return order


async def sandbox_get(sandbox: RunningSandbox, path: str, **params: Any) -> Any:
    """Read the sandbox's Accounting API as another client would."""
    async with httpx.AsyncClient(timeout=10) as http:
        token = await ClientCredentials(http, sandbox.base_url).access_token()
        answer = await http.get(
            f"{sandbox.base_url}/api.xro/2.0{path}",
            params=params,
            headers={
                "Authorization": f"Bearer {token}",
                "xero-tenant-id": DEMO_TENANT_ID,
                "Accept": "application/json",
            },
        )
        answer.raise_for_status()
        return answer.json(parse_float=Decimal)


async def sandbox_control(sandbox: RunningSandbox, method: str, path: str, body: Any = None) -> Any:
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.request(method, f"{sandbox.base_url}/_sandbox{path}", json=body)
        answer.raise_for_status()
        return answer.json() if answer.content else None


# The REST API over the same kind of database, as the API tests build it.
from tests.integration.api.conftest import (  # noqa: E402
    admin,
    client,
    container,
    member,
)

__all__ = ["admin", "client", "container", "member"]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema (skipped without LEDGERLINK_TEST_POSTGRES_URL)."""
    import os

    from tests.integration.conftest import POSTGRES_URL_VARIABLE, _fresh_postgres_schema

    admin_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not admin_url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is not set")
    yield from _fresh_postgres_schema(admin_url)
