"""The Xero parts routes use, handed over by `bootstrap`: one gateway and the import runner."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, NoReturn, TypeVar

from fastapi import Depends, Request

from ledgerlink.api.problems import Problem
from ledgerlink.store.crypto import SecretKeyError
from ledgerlink.sync.gateway import XeroGateway
from ledgerlink.sync.imports import ImportRunner


@dataclass(frozen=True)
class XeroParts:
    """How the app reaches Xero; each part is built on first use (``SecretKeyError`` when
    Xero is not configured)."""

    gateway: Callable[[], XeroGateway]
    import_runner: Callable[[], ImportRunner]


def _not_configured() -> NoReturn:
    raise SecretKeyError("this app was built without Xero; build it with ledgerlink.bootstrap")


NO_XERO = XeroParts(gateway=_not_configured, import_runner=_not_configured)
T = TypeVar("T")


def _built(build: Callable[[], T]) -> T:
    try:
        return build()
    except SecretKeyError as missing:
        raise Problem(503, "Xero is not configured", str(missing)) from None


def get_gateway(request: Request) -> XeroGateway:
    """The app's one Xero gateway."""
    parts: XeroParts = request.app.state.xero
    return _built(parts.gateway)


def get_import_runner(request: Request) -> ImportRunner:
    """An import runner on the app's gateway, clock and database."""
    parts: XeroParts = request.app.state.xero
    return _built(parts.import_runner)


GatewayDep = Annotated[XeroGateway, Depends(get_gateway)]
ImportRunnerDep = Annotated[ImportRunner, Depends(get_import_runner)]
