"""Webhook events: what changed in a ledger, for the platform to deliver."""

from dataclasses import dataclass
from datetime import datetime

CONTACT = "CONTACT"
INVOICE = "INVOICE"
CREDITNOTE = "CREDITNOTE"
CREATE = "CREATE"
UPDATE = "UPDATE"


@dataclass(frozen=True)
class Event:
    """One webhook event, as Xero sends it (`eventCategory`, `eventType`, `resourceId`)."""

    category: str
    type: str
    resource_id: str
    at: datetime
