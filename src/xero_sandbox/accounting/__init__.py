"""The sandbox's Accounting API: one in-memory `Ledger` per organisation, and its routes."""

from xero_sandbox.accounting.events import Event
from xero_sandbox.accounting.ledger import Ledger
from xero_sandbox.accounting.routes import routes

__all__ = ["Event", "Ledger", "routes"]
