"""`XeroGateway`: the one way ledgerlink gets a ready `XeroClient` for a company.

    gateway = XeroGateway(session_factory, settings)
    async with gateway.client(company_id) as xero:
        accounts = await xero.list_accounts()

The client it hands out reads the company's tokens from the database (encrypted at rest),
refreshes them single-flight across every process of the installation, and keeps within
the organisation's rate budget shared by all of them. A company that is not connected
raises `NotConnected`; one whose access Xero revoked raises `NeedsReconnect` (and the
connection is marked so, for status pages).
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from uuid import UUID

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ledgerlink.config import Settings
from ledgerlink.observability.metrics import count_xero_answer
from ledgerlink.store.clock import Clock, utc_now
from ledgerlink.store.crypto import SecretBox, secret_box
from ledgerlink.store.rate_budget import DatabaseRateLimiter
from ledgerlink.store.repositories.xero_connections import (
    XeroConnection,
    XeroConnectionRepository,
)
from ledgerlink.store.xero_tokens import DatabaseTokenStore
from xero_client import (
    ConnectionRevoked,
    OAuth2Client,
    OAuthTokenSource,
    RateLimiter,
    Sleep,
    Unauthorized,
    XeroClient,
    XeroEndpoints,
)

T = TypeVar("T")

#: How long to wait for Xero before giving up on one call.
XERO_TIMEOUT_SECONDS = 30.0
#: How long to wait for Xero's identity service. A refresh holds the connection's lock
#: (on SQLite, the database's write lock): it must give up before other writers do
#: (`SQLITE_BUSY_TIMEOUT_MS`).
IDENTITY_TIMEOUT_SECONDS = 8.0


class GatewayError(Exception):
    """The company cannot reach Xero until a person acts; the message says what to do."""

    def __init__(self, company_id: UUID, message: str) -> None:
        super().__init__(message)
        self.company_id = company_id
        self.message = message


class NotConnected(GatewayError):
    """The company has no Xero organisation bound yet."""


class NeedsReconnect(GatewayError):
    """Xero no longer accepts the company's tokens (revoked, expired or disconnected)."""


def endpoints_of(settings: Settings) -> XeroEndpoints:
    """Where Xero lives for this installation (Xero's hosts, or the sandbox's one root)."""
    login = settings.xero_login_url.rstrip("/")
    identity = settings.xero_identity_url.rstrip("/")
    api = settings.xero_api_url.rstrip("/")
    return XeroEndpoints(
        authorize_url=f"{login}/identity/connect/authorize",
        token_url=f"{identity}/connect/token",
        revocation_url=f"{identity}/connect/revocation",
        connections_url=f"{api}/connections",
        api_url=f"{api}/api.xro/2.0",
    )


def box_of(settings: Settings) -> SecretBox:
    """The installation's `SecretBox`; refuses a production setup without a secret key."""
    return secret_box(settings.environment, settings.secret_key, settings.var_dir)


@dataclass(frozen=True)
class _XeroClock:
    """`xero_client`'s clock protocol over ledgerlink's clock callable."""

    clock: Clock

    def now(self) -> datetime:
        return self.clock()


def not_connected_message(company_id: UUID, choices: Sequence[str] = ()) -> str:
    """Why the company cannot reach Xero, and the command that fixes it.

    `choices` are the organisations its last consent covered, when one is still to be chosen.
    """
    if choices:
        return (
            f"company {company_id} is not connected to Xero: its consent covered several "
            f"organisations ({', '.join(choices)}); choose an organisation with "
            "`ledgerlink connect --company NAME --organisation NAME|TENANT_ID` or "
            f"POST /api/v1/companies/{company_id}/xero/organisation"
        )
    return (
        f"company {company_id} is not connected to Xero; an admin connects it with "
        f"GET /api/v1/companies/{company_id}/xero/connect or `ledgerlink connect --company NAME`"
    )


def reconnect_message(company_id: UUID, problem: str | None) -> str:
    why = f" ({problem})" if problem else ""
    return (
        f"Xero no longer accepts the connection of company {company_id}{why}; an admin "
        f"connects it again with GET /api/v1/companies/{company_id}/xero/connect"
    )


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings of every HTTP client to Xero, made once per process: loading the
    trusted certificates costs more than a whole batch of bills, and a worker opens clients
    for every organisation on every pass."""
    return httpx.create_ssl_context()


class XeroGateway:
    """Builds Xero clients for companies, from the installation's settings and database.

    Args:
        session_factory: sessions on the installation's database.
        settings: Xero's URLs, the app's credentials and the secret key.
        clock: the current time (aware UTC); token expiry and rate windows follow it.
        box: encrypts tokens at rest (built from the settings if omitted).
        limiter: the rate limiter (a `DatabaseRateLimiter` shared by all processes if
            omitted).
        sleep: what the client and limiter wait with (`asyncio.sleep` if omitted).
        transport: the HTTP transport (tests may route to an in-process app).
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        settings: Settings,
        *,
        clock: Clock = utc_now,
        box: SecretBox | None = None,
        limiter: RateLimiter | None = None,
        sleep: Sleep | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.sessions = session_factory
        self.settings = settings
        self.clock = clock
        self.box = box or box_of(settings)
        self.endpoints = endpoints_of(settings)
        self._sleep = sleep
        self.limiter: RateLimiter = limiter or DatabaseRateLimiter(
            session_factory, clock=clock, sleep=sleep
        )
        self._transport = transport
        #: How many token refreshes the clients of this gateway performed (not requested).
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"XeroGateway(api_url={self.endpoints.api_url!r})"

    # -- database --------------------------------------------------------------------------
    async def read(self, work: Callable[[XeroConnectionRepository], T]) -> T:
        """Run `work` on the connections repository in a read-only transaction."""
        return await asyncio.to_thread(self._run, work, False)

    async def write(self, work: Callable[[XeroConnectionRepository], T]) -> T:
        """Run `work` on the connections repository and commit."""
        return await asyncio.to_thread(self._run, work, True)

    def _run(self, work: Callable[[XeroConnectionRepository], T], commit: bool) -> T:
        with self.sessions() as session:
            result = work(XeroConnectionRepository(session, self.clock, self.box))
            if commit:
                session.commit()
            return result

    def token_store(self, company_id: UUID) -> DatabaseTokenStore:
        return DatabaseTokenStore(self.sessions, company_id, self.box, clock=self.clock)

    # -- HTTP ------------------------------------------------------------------------------
    def http(self, timeout: float = XERO_TIMEOUT_SECONDS) -> httpx.AsyncClient:
        """A new HTTP client for Xero (close it, or use it in `async with`)."""
        return httpx.AsyncClient(
            transport=self._transport,
            verify=tls_context(),
            timeout=timeout,
            event_hooks={"response": [count_xero_answer]},
        )

    def oauth(self, http: httpx.AsyncClient) -> OAuth2Client:
        """The app's OAuth client on `http`."""
        settings = self.settings
        return OAuth2Client(
            settings.xero_client_id,
            settings.xero_client_secret or None,
            settings.xero_redirect_uri,
            http,
            endpoints=self.endpoints,
            clock=_XeroClock(self.clock),
        )

    def token_source(self, company_id: UUID, oauth: OAuth2Client) -> OAuthTokenSource:
        return OAuthTokenSource(self.token_store(company_id), oauth, clock=_XeroClock(self.clock))

    async def connection(self, company_id: UUID) -> XeroConnection:
        """The company's bound connection; raises `NotConnected` or `NeedsReconnect`."""
        found = await self.read(lambda repo: repo.get(company_id))
        if found is None or found.tenant_id is None:
            choices = (
                [c.tenant_name or c.tenant_id for c in found.choices]
                if found is not None and found.status == "choosing"
                else []
            )
            raise NotConnected(company_id, not_connected_message(company_id, choices))
        if found.status == "needs_reconnect":
            raise NeedsReconnect(company_id, reconnect_message(company_id, found.problem))
        return found

    @asynccontextmanager
    async def client(self, company_id: UUID) -> AsyncIterator[XeroClient]:
        """A ready client for the company's organisation, for the `async with` block.

        Raises:
            NotConnected: the company has no organisation bound.
            NeedsReconnect: Xero refused the company's tokens (now or during the block).
        """
        connection = await self.connection(company_id)
        assert connection.tenant_id is not None
        async with self.http() as http, self.http(IDENTITY_TIMEOUT_SECONDS) as identity:
            source = self.token_source(company_id, self.oauth(identity))
            client = XeroClient(
                connection.tenant_id,
                source,
                self.limiter,
                http,
                api_url=self.endpoints.api_url,
                sleep=self._sleep,
            )
            try:
                yield client
            except (ConnectionRevoked, Unauthorized) as refused:
                problem = str(refused)
                await self.write(lambda repo: repo.mark_needs_reconnect(company_id, problem))
                raise NeedsReconnect(company_id, reconnect_message(company_id, problem)) from None
            finally:
                self.refresh_count += source.refresh_count
