"""Every Accounting API route, to be mounted under `/api.xro/2.0`."""

from starlette.routing import BaseRoute

from xero_sandbox.accounting import organisation


def routes() -> list[BaseRoute]:
    """The Accounting API routes; handlers expect `request.state.ledger` and `.now`."""
    return [*organisation.routes()]
