"""The app's Xero parts as the console reaches them (the same gateway the API uses)."""

from __future__ import annotations

from uuid import UUID

from starlette.requests import Request

from ledgerlink.store.crypto import SecretKeyError
from ledgerlink.store.uow import SqlUnitOfWork
from ledgerlink.sync.connect import ConnectionReport, XeroConnector
from ledgerlink.sync.gateway import XeroGateway
from ledgerlink.sync.imports import ImportRunner


def gateway_of(request: Request) -> XeroGateway | None:
    """The app's Xero gateway, or None when this app was built without Xero."""
    try:
        gateway: XeroGateway = request.app.state.xero.gateway()
    except SecretKeyError:
        return None
    return gateway


def import_runner_of(request: Request) -> ImportRunner | None:
    try:
        runner: ImportRunner = request.app.state.xero.import_runner()
    except SecretKeyError:
        return None
    return runner


def connector_of(request: Request) -> XeroConnector | None:
    gateway = gateway_of(request)
    return None if gateway is None else XeroConnector(gateway)


def release(uow: SqlUnitOfWork) -> None:
    """End the request's read transaction before Xero's parts open their own sessions
    (on SQLite every transaction holds the database's write lock)."""
    uow.rollback()


async def connection_report(
    request: Request, company_id: UUID, uow: SqlUnitOfWork
) -> ConnectionReport | None:
    """The company's Xero connection, token health and budget (None: Xero not set up)."""
    release(uow)
    connector = connector_of(request)
    return None if connector is None else await connector.report(company_id)
