"""How a handler reaches the sandbox's state."""

from starlette.requests import HTTPConnection

from xero_sandbox.state import SandboxState


def sandbox_of(connection: HTTPConnection) -> SandboxState:
    """The `SandboxState` of the app serving this request."""
    sandbox: SandboxState = connection.app.state.sandbox
    return sandbox
