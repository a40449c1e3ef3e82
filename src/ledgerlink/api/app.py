"""The REST API: `create_app(uow_factory)` builds it; `bootstrap` supplies the parts."""

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, FastAPI

from ledgerlink.api import docs, health, openapi_errors, problems
from ledgerlink.api.deps import Clock, UowFactory
from ledgerlink.api.routes import (
    attachments,
    companies,
    credits,
    items,
    members,
    outbox,
    parties,
    payments,
    purchasing,
    sales,
    stock,
    supplier_credits,
    sync,
    tokens,
    xero_connection,
    xero_exports,
    xero_imports,
    xero_pull,
    xero_settings,
    xero_webhooks,
)
from ledgerlink.api.url_text import check_url_text
from ledgerlink.api.webhook_writer import WebhookWriter
from ledgerlink.api.xero_parts import NO_XERO, XeroParts
from ledgerlink.config import Settings

API_PREFIX = "/api/v1"

ROUTERS = (
    companies.router,
    members.router,
    parties.router,
    items.router,
    stock.router,
    purchasing.router,
    sales.router,
    payments.router,
    credits.router,
    supplier_credits.router,
    attachments.router,
    outbox.router,
    xero_connection.router,
    xero_imports.router,
    xero_exports.router,
    xero_pull.router,
    xero_settings.router,
    sync.router,
    tokens.router,
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(
    uow_factory: UowFactory,
    *,
    settings: Settings | None = None,
    clock: Clock = utc_now,
    title: str = "ledgerlink",
    xero: XeroParts = NO_XERO,
    console: Callable[[FastAPI], None] | None = None,
) -> FastAPI:
    """The FastAPI app; every route runs in a unit of work made by `uow_factory`.

    Routes that need configuration (Xero's URLs and credentials) read
    `request.app.state.settings`; those that reach Xero use the parts in `xero`.
    `console` adds the web console (its pages from `/`); without it `/` links to the docs.
    """
    app = FastAPI(
        title=title,
        summary="Purchasing and billing in step with Xero.",
        version="0.1.0",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.uow_factory = uow_factory
    app.state.webhook_writer = writer = WebhookWriter(uow_factory, at_once=True)
    app.router.on_shutdown.append(writer.close)
    app.state.clock = clock
    app.state.settings = settings or Settings()
    app.state.xero = xero
    app.state.import_tasks = set()
    app.state.export_tasks = set()
    problems.install(app)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(check_url_text)])
    for router in ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(xero_connection.callback_router, dependencies=[Depends(check_url_text)])
    if console is not None:
        console(app)
    docs.install(app, API_PREFIX, home=console is None)
    openapi_errors.install(app, API_PREFIX)
    app.include_router(health.router)
    app.add_middleware(xero_webhooks.WebhookEndpoint)  # outermost: ahead of all routing

    return app
