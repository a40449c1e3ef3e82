"""Connecting a company to its Xero organisation, and what its connection looks like.

    connector = XeroConnector(gateway)
    link = await connector.start(company_id, user_id)        # send the admin to link.url
    outcome = await connector.complete(state, code)          # on the redirect back
    if outcome.status == "choose_organisation":
        outcome = await connector.choose(company_id, tenant_id)

OAuth 2.0 authorization code with PKCE and a `state` that is single use, expires after 10
minutes, and is bound to the company and user who asked. One Xero organisation belongs to
at most one company of an installation.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from ledgerlink.store.rate_budget import DatabaseRateLimiter, RateBudget
from ledgerlink.store.repositories.xero_connections import (
    ConsentRefused,
    Organisation,
    OrganisationTaken,
    XeroConnection,
)
from ledgerlink.sync.connect_grant import auth_event_id, connections_of_consent
from ledgerlink.sync.gateway import IDENTITY_TIMEOUT_SECONDS, XeroGateway
from xero_client import (
    DEFAULT_SCOPES,
    REFRESH_MARGIN,
    AuthError,
    ConnectionRevoked,
    Unauthorized,
    XeroError,
)

logger = logging.getLogger(__name__)

FailureReason = Literal[
    "access_denied",
    "xero_error",
    "state_unknown",
    "state_used",
    "state_expired",
    "organisation_taken",
    "no_organisation",
    "not_choosing",
    "unknown_organisation",
    "xero_unreachable",
]
TokenHealth = Literal["ok", "refreshing", "needs_reconnect"]
ReportStatus = Literal["not_connected", "choose_organisation", "connected", "needs_reconnect"]


class ConnectFailed(Exception):
    """Connecting did not succeed; `message` says why and what to do, `status` the HTTP code."""

    def __init__(
        self,
        reason: FailureReason,
        message: str,
        *,
        status: int = 400,
        company_id: UUID | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.status = status
        self.company_id = company_id


@dataclass(frozen=True)
class ConsentLink:
    """Where to send the admin (Xero's consent page), valid until `expires_at`."""

    url: str
    expires_at: datetime


@dataclass(frozen=True)
class ConnectOutcome:
    """After the consent: connected to `organisation`, or an organisation to pick."""

    status: Literal["connected", "choose_organisation"]
    company_id: UUID
    organisation: Organisation | None
    choices: tuple[Organisation, ...] = ()


@dataclass(frozen=True)
class ConnectionReport:
    """A company's connection as a status page shows it (never any token)."""

    company_id: UUID
    status: ReportStatus
    organisation: Organisation | None
    scopes: tuple[str, ...]
    token_health: TokenHealth | None
    token_expires_at: datetime | None
    problem: str | None
    budget: RateBudget | None
    choices: tuple[Organisation, ...]
    connected_at: datetime | None

    @property
    def connected(self) -> bool:
        return self.status == "connected"

    def choice(self, wanted: str) -> Organisation | None:
        """The organisation of `choices` with this tenant id or name (any letter case)."""
        return next((o for o in self.choices if is_organisation(o, wanted)), None)


def is_organisation(organisation: Organisation, wanted: str) -> bool:
    """True when `wanted` is the organisation's tenant id or its name (any letter case)."""
    wanted = wanted.strip()
    name = organisation.tenant_name or ""
    return wanted == organisation.tenant_id or wanted.casefold() == name.casefold()


_REFUSED: dict[str, FailureReason] = {
    "unknown": "state_unknown",
    "used": "state_used",
    "expired": "state_expired",
}


class XeroConnector:
    """Connects, inspects and disconnects companies, through one `XeroGateway`."""

    def __init__(self, gateway: XeroGateway) -> None:
        self.gateway = gateway

    async def start(self, company_id: UUID, user_id: UUID | None) -> ConsentLink:
        """A consent URL for the company, remembered with its PKCE verifier."""
        async with self.gateway.http(IDENTITY_TIMEOUT_SECONDS) as http:
            request = self.gateway.oauth(http).authorization_request(DEFAULT_SCOPES)
        expires_at = await self.gateway.write(
            lambda repo: repo.add_consent(company_id, user_id, request.state, request.code_verifier)
        )
        return ConsentLink(request.url, expires_at)

    async def complete(
        self,
        state: str | None,
        code: str | None,
        *,
        error: str | None = None,
        error_description: str | None = None,
    ) -> ConnectOutcome:
        """Finish a consent from Xero's redirect (`code` and `state`, or `error`).

        Raises:
            ConnectFailed: the state is unknown, used or expired; Xero reported an error;
                or the organisation belongs to another company here.
        """
        if not state:
            raise ConnectFailed(
                "state_unknown",
                "the redirect from Xero has no state; start connecting again from ledgerlink",
            )
        try:
            pending = await self.gateway.write(lambda repo: repo.take_consent(state))
        except ConsentRefused as refused:
            if error:
                raise _xero_error(error, error_description, None) from None
            raise ConnectFailed(_REFUSED[refused.reason], refused.message) from None
        company_id = pending.company_id
        if error or not code:
            raise _xero_error(error or "invalid_request", error_description, company_id)
        async with self.gateway.http(IDENTITY_TIMEOUT_SECONDS) as http:
            oauth = self.gateway.oauth(http)
            try:
                tokens = await oauth.exchange_code(code, pending.code_verifier)
                event_id = auth_event_id(tokens.access_token)
                found = await connections_of_consent(
                    http, self.gateway.endpoints, tokens.access_token, event_id
                )
            except XeroError as failed:
                raise ConnectFailed(
                    "xero_error",
                    f"Xero refused to complete the connection ({failed}); start connecting again",
                    status=502,
                    company_id=company_id,
                ) from None
        organisations = [
            Organisation(c.tenant_id, c.tenant_name, c.id)
            for c in found
            if c.tenant_type.upper() in ("ORGANISATION", "")
        ]
        if not organisations:
            raise ConnectFailed(
                "no_organisation",
                "the consent in Xero did not include any organisation; connect again and "
                "choose the organisation to connect",
                company_id=company_id,
            )
        await self.gateway.write(
            lambda repo: repo.save_grant(
                company_id,
                tokens,
                auth_event_id=event_id,
                choices=organisations,
                user_id=pending.user_id,
            )
        )
        logger.info(
            "company %s granted access to %d Xero organisation(s)", company_id, len(organisations)
        )
        if len(organisations) == 1:
            return await self._bind(company_id, organisations[0])
        return ConnectOutcome("choose_organisation", company_id, None, tuple(organisations))

    async def choose(self, company_id: UUID, tenant_id: str) -> ConnectOutcome:
        """Bind the organisation the admin picked among those of the last consent."""
        connection = await self.gateway.read(lambda repo: repo.get(company_id))
        if connection is None or connection.status != "choosing":
            raise ConnectFailed(
                "not_choosing",
                "there is no organisation to choose: connect to Xero first "
                f"(GET /api/v1/companies/{company_id}/xero/connect)",
                status=409,
                company_id=company_id,
            )
        chosen = [c for c in connection.choices if c.tenant_id == tenant_id]
        if not chosen:
            allowed = ", ".join(f"{c.tenant_id} ({c.tenant_name})" for c in connection.choices)
            raise ConnectFailed(
                "unknown_organisation",
                f"tenant_id {tenant_id!r} was not among the organisations of the consent; "
                f"choose one of: {allowed}",
                status=422,
                company_id=company_id,
            )
        outcome = await self._bind(company_id, chosen[0], keep_grant=True)
        unchosen = [c for c in connection.choices if c.tenant_id != tenant_id]
        await self._release(company_id, unchosen)
        return outcome

    async def _bind(
        self, company_id: UUID, organisation: Organisation, *, keep_grant: bool = False
    ) -> ConnectOutcome:
        try:
            await self.gateway.write(lambda repo: repo.bind(company_id, organisation))
        except OrganisationTaken as taken:
            # The other company keeps its connection (it is the same one in Xero). Unless
            # the admin may still choose another organisation, this grant is dropped.
            if not keep_grant:
                await self.gateway.write(lambda repo: repo.remove(company_id))
            raise ConnectFailed(
                "organisation_taken", str(taken), status=409, company_id=company_id
            ) from None
        logger.info("company %s connected to Xero organisation %s", company_id, organisation)
        return ConnectOutcome("connected", company_id, organisation)

    async def _release(self, company_id: UUID, unchosen: list[Organisation]) -> None:
        """Disconnect in Xero the organisations the consent covered but nobody here uses,
        so they do not count against the app's connections."""
        used = await self.gateway.read(
            lambda repo: {c.tenant_id for c in unchosen if repo.company_of_tenant(c.tenant_id)}
        )
        spare = [c for c in unchosen if c.tenant_id not in used and c.connection_id]
        if not spare:
            return
        async with self.gateway.http(IDENTITY_TIMEOUT_SECONDS) as http:
            oauth = self.gateway.oauth(http)
            try:
                token = await self.gateway.token_source(company_id, oauth).access_token()
                for organisation in spare:
                    await oauth.delete_connection(token, organisation.connection_id)
            except XeroError as failed:
                logger.warning("releasing unchosen Xero organisations: %s", failed)

    async def report(self, company_id: UUID, *, check: bool = False) -> ConnectionReport:
        """The company's connection; with `check`, ask Xero whether it still stands."""
        connection = await self.gateway.read(lambda repo: repo.get(company_id))
        if connection is not None and check and connection.status == "connected":
            await self._check(connection)
            connection = await self.gateway.read(lambda repo: repo.get(company_id))
        if connection is None:
            return ConnectionReport(
                company_id, "not_connected", None, (), None, None, None, None, (), None
            )
        return await self._report(connection)

    async def _report(self, connection: XeroConnection) -> ConnectionReport:
        organisation = None
        budget = None
        if connection.tenant_id is not None:
            organisation = Organisation(
                connection.tenant_id, connection.tenant_name, connection.connection_id or ""
            )
            reader = DatabaseRateLimiter(self.gateway.sessions, clock=self.gateway.clock)
            budget = await asyncio.to_thread(reader.budget, connection.tenant_id)
        health: TokenHealth
        if connection.status == "needs_reconnect":
            health = "needs_reconnect"
        elif connection.expires_at <= self.gateway.clock() + REFRESH_MARGIN:
            health = "refreshing"
        else:
            health = "ok"
        status: ReportStatus = (
            "choose_organisation" if connection.status == "choosing" else connection.status
        )
        return ConnectionReport(
            company_id=connection.company_id,
            status=status,
            organisation=organisation,
            scopes=connection.scopes,
            token_health=health,
            token_expires_at=connection.expires_at,
            problem=connection.problem,
            budget=budget,
            choices=connection.choices,
            connected_at=connection.created_at,
        )

    async def _check(self, connection: XeroConnection) -> None:
        company_id = connection.company_id
        async with self.gateway.http(IDENTITY_TIMEOUT_SECONDS) as http:
            source = self.gateway.token_source(company_id, self.gateway.oauth(http))
            try:
                token = await source.access_token()
                try:
                    found = await connections_of_consent(http, self.gateway.endpoints, token, None)
                except Unauthorized:
                    token = await source.refreshed_after(token)
                    found = await connections_of_consent(http, self.gateway.endpoints, token, None)
            except ConnectionRevoked:
                return  # the token store marked the connection while it held the lock
            except AuthError as refused:
                problem = str(refused)
                await self.gateway.write(lambda r: r.mark_needs_reconnect(company_id, problem))
                return
            except XeroError as failed:
                raise ConnectFailed(
                    "xero_unreachable",
                    f"could not ask Xero about the connection ({failed}); try again later",
                    status=502,
                    company_id=company_id,
                ) from None
        if not any(c.tenant_id == connection.tenant_id for c in found):
            problem = "the organisation was disconnected from this app in Xero"
            await self.gateway.write(lambda r: r.mark_needs_reconnect(company_id, problem))

    async def disconnect(self, company_id: UUID) -> bool:
        """Disconnect in Xero (remove the connection, revoke the refresh token) and here.

        What was synced stays linked (xero_links), so a later re-connect carries on.
        Returns False when the company was not connected.
        """
        connection = await self.gateway.read(lambda repo: repo.get(company_id))
        if connection is None:
            return False
        async with self.gateway.http(IDENTITY_TIMEOUT_SECONDS) as http:
            oauth = self.gateway.oauth(http)
            if connection.connection_id and connection.status == "connected":
                source = self.gateway.token_source(company_id, oauth)
                try:
                    token = await source.access_token()
                    await oauth.delete_connection(token, connection.connection_id)
                except XeroError as failed:
                    logger.warning("removing the Xero connection of %s: %s", company_id, failed)
            tokens = await self.gateway.read(lambda repo: repo.load_tokens(company_id))
            if tokens is not None and tokens.refresh_token:
                try:
                    await oauth.revoke(tokens.refresh_token)
                except XeroError as failed:
                    logger.warning("revoking the Xero grant of %s: %s", company_id, failed)
        await self.gateway.write(lambda repo: repo.remove(company_id))
        logger.info("company %s disconnected from Xero", company_id)
        return True


def _xero_error(error: str, description: str | None, company_id: UUID | None) -> ConnectFailed:
    if error == "access_denied":
        return ConnectFailed(
            "access_denied",
            "access was not granted in Xero (the consent page was cancelled); nothing was "
            "connected. Start connecting again and choose 'Allow access'",
            company_id=company_id,
        )
    said = f"{error}: {description}" if description else error
    return ConnectFailed(
        "xero_error",
        f"Xero did not connect ({said}); start connecting again",
        company_id=company_id,
    )
