"""What the console needs besides the app's database: its session signer, its sleep."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property

from starlette.requests import Request

from ledgerlink.web.session import SessionSigner

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class ConsoleParts:
    """``secret_key`` gives the installation's key (read on first use, as Xero's parts are);
    ``secure_cookies``: the session cookie goes over HTTPS only (outside development);
    ``sleep`` is how a sign-in waits after failed ones (injected, so tests never sleep)."""

    secret_key: Callable[[], str]
    sleep: Sleep
    secure_cookies: bool

    @cached_property
    def signer(self) -> SessionSigner:
        return SessionSigner(self.secret_key())


def parts_of(request: Request) -> ConsoleParts:
    parts: ConsoleParts = request.app.state.console
    return parts
