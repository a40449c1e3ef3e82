"""`create_app`: the sandbox as one Starlette app (identity, Accounting API, control)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route, Router
from starlette.types import ASGIApp, Receive, Scope, Send

from xero_sandbox import control, persistence, problems
from xero_sandbox.accounting import routes as accounting_routes
from xero_sandbox.clock import SandboxClock
from xero_sandbox.config import SandboxConfig
from xero_sandbox.fault_layer import IdentityFaults
from xero_sandbox.gateway import ApiGateway
from xero_sandbox.identity.authorize import authorize_decision, authorize_page
from xero_sandbox.identity.connections import delete_connection, list_connections
from xero_sandbox.identity.token_endpoint import revocation, token
from xero_sandbox.state import SandboxState

SAVE_INTERVAL_SECONDS = 1.0
API_ROOT = "/api.xro/2.0"


class _FoldConnectionsCase:
    """Xero answers `/connections` in any letter case (`/Connections` in its own docs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if path[1:12].lower() == "connections" and not path.startswith("/connections"):
                scope = {**scope, "path": "/connections" + path[12:]}
        await self.app(scope, receive, send)


async def _index(request: Request) -> Response:
    return problems.json_response(
        {
            "service": "xero-sandbox",
            "authorize": "/identity/connect/authorize",
            "token": "/connect/token",
            "revocation": "/connect/revocation",
            "connections": "/connections",
            "api": API_ROOT,
            "control": "/_sandbox",
            "organisations": "/_sandbox/orgs",
        }
    )


async def _save_on_change(sandbox: SandboxState, data_file: persistence.DataFile) -> None:
    signal = sandbox.change_signal = asyncio.Event()
    while True:
        await signal.wait()
        signal.clear()
        generation, snapshot = sandbox.changes, sandbox.snapshot()
        await asyncio.to_thread(data_file.write, generation, snapshot)
        # Real time on purpose: a burst of changes is written once per interval at most.
        await asyncio.sleep(SAVE_INTERVAL_SECONDS)


def create_app(config: SandboxConfig | None = None, clock: SandboxClock | None = None) -> Starlette:
    """A sandbox app; with `config.data` its state is loaded from and saved to that file."""
    config = config or SandboxConfig()
    sandbox = SandboxState(config, clock or SandboxClock())
    if config.data is not None:
        saved = persistence.load(config.data)
        if saved is not None:
            sandbox.restore(saved)

    data_file = persistence.DataFile(config.data) if config.data is not None else None

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[dict[str, Any]]:
        sandbox.webhooks.start()
        saver = None
        if data_file is not None:
            data_file.write(sandbox.changes, sandbox.snapshot())
            saver = asyncio.create_task(
                _save_on_change(sandbox, data_file), name="xero-sandbox-save"
            )
        try:
            yield {}
        finally:
            if saver is not None and data_file is not None:
                saver.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await saver
                sandbox.change_signal = None
                data_file.write(sandbox.changes, sandbox.snapshot())
            await sandbox.webhooks.stop()

    gateway = ApiGateway(sandbox, Router(routes=accounting_routes()))
    routes = [
        Route("/", _index, methods=["GET"]),
        Route("/identity/connect/authorize", authorize_page, methods=["GET"]),
        Route("/identity/connect/authorize", authorize_decision, methods=["POST"]),
        Route("/connect/token", token, methods=["POST"]),
        Route("/connect/revocation", revocation, methods=["POST"]),
        Route("/connections", list_connections, methods=["GET"]),
        Route("/connections/{id}", delete_connection, methods=["DELETE"]),
        Mount(API_ROOT, app=gateway),
        Mount("/_sandbox", routes=control.routes()),
    ]
    middleware = [
        Middleware(_FoldConnectionsCase),
        Middleware(IdentityFaults, faults=sandbox.faults),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.sandbox = sandbox
    return app
