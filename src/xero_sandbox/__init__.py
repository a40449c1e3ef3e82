"""An offline Xero: identity, Accounting API and webhooks.

`create_app(config, clock)` builds the Starlette app; `serve_in_thread(config, clock)` serves
it on 127.0.0.1 and a free port for tests and benchmarks.
"""

from xero_sandbox.app import create_app
from xero_sandbox.clock import SandboxClock
from xero_sandbox.config import SandboxConfig
from xero_sandbox.server import RunningSandbox, serve_in_thread
from xero_sandbox.tenants import DEMO_TENANT_ID, EMPTY_TENANT_ID

__all__ = [
    "DEMO_TENANT_ID",
    "EMPTY_TENANT_ID",
    "RunningSandbox",
    "SandboxClock",
    "SandboxConfig",
    "create_app",
    "serve_in_thread",
]
