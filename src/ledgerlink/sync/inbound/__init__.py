"""What comes back from Xero: stored webhook events, fetched and applied here."""

from ledgerlink.sync.inbound.run import InboundEvents

__all__ = ["InboundEvents"]
