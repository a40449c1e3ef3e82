"""The JSON bodies Xero posts to a webhook receiver."""

import json
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from xero_sandbox.accounting import Event

_RESOURCE_PATHS = {"CONTACT": "Contacts", "INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}


@dataclass(frozen=True)
class QueuedEvent:
    """A ledger event waiting for delivery, with its sequence number and organisation."""

    sequence: int
    tenant_id: str
    event: Event


def queued_to_dict(queued: QueuedEvent) -> dict[str, Any]:
    """A queued event as JSON values."""
    event = queued.event
    return {
        "sequence": queued.sequence,
        "tenant_id": queued.tenant_id,
        "category": event.category,
        "type": event.type,
        "resource_id": event.resource_id,
        "at": event.at.isoformat(),
    }


def queued_from_dict(data: dict[str, Any]) -> QueuedEvent:
    """Undo `queued_to_dict`."""
    event = Event(
        category=data["category"],
        type=data["type"],
        resource_id=data["resource_id"],
        at=datetime.fromisoformat(data["at"]),
    )
    return QueuedEvent(int(data["sequence"]), data["tenant_id"], event)


def event_date(moment: datetime) -> str:
    """Xero's `eventDateUtc`: UTC to the millisecond, without an offset."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}"


def entropy() -> str:
    """A random 20-letter string, as in Xero's payloads."""
    return "".join(secrets.choice(string.ascii_uppercase) for _ in range(20))


def event_json(queued: QueuedEvent, api_root: str) -> dict[str, Any]:
    """One element of `events`."""
    event = queued.event
    resource = _RESOURCE_PATHS.get(event.category, event.category.title() + "s")
    return {
        "resourceUrl": f"{api_root}/api.xro/2.0/{resource}/{event.resource_id}",
        "resourceId": event.resource_id,
        "eventDateUtc": event_date(event.at),
        "eventType": event.type,
        "eventCategory": event.category,
        "tenantId": queued.tenant_id,
        "tenantType": "ORGANISATION",
    }


def batch_body(batch: list[QueuedEvent], api_root: str) -> bytes:
    """The raw body of one delivery (an empty batch is the intent-to-receive probe)."""
    body: dict[str, Any] = {
        "events": [event_json(queued, api_root) for queued in batch],
        "firstEventSequence": batch[0].sequence if batch else 0,
        "lastEventSequence": batch[-1].sequence if batch else 0,
        "entropy": entropy(),
    }
    return json.dumps(body, separators=(",", ":")).encode("utf-8")
