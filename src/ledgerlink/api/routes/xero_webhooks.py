"""`POST /xero/webhooks`: Xero's signed events, stored for the worker to apply.

A post whose `x-xero-signature` is not the base64 HMAC-SHA256 of its raw body under the
webhook key (`LEDGERLINK_XERO_WEBHOOK_KEY`) gets 401 with an empty body; a signed one gets
200 once its events are committed, whatever it holds (`WebhookWriter` stores posts that
arrive together in one transaction). Events are stored once each, for the company
connected to their organisation; events of other organisations are counted and dropped.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from ledgerlink.api.deps import Clock
from ledgerlink.api.webhook_writer import WebhookWriter
from ledgerlink.config import Settings
from ledgerlink.observability.metrics import WEBHOOK_EVENTS
from ledgerlink.store.repositories.webhook_events import IncomingEvent

SIGNATURE_HEADER = "x-xero-signature"
#: Xero's webhook posts are a few kilobytes; a larger body is refused before it is read.
MAX_BODY_BYTES = 1024 * 1024

log = logging.getLogger("ledgerlink.webhooks")
router = APIRouter(tags=["xero"])


def signature_of(body: bytes, key: str) -> str:
    """What Xero puts in `x-xero-signature` for `body`."""
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def is_signed(body: bytes, key: str, signature: str | None) -> bool:
    """Constant-time check of the signature (a missing one is wrong)."""
    if not signature:
        return False
    return hmac.compare_digest(signature_of(body, key).encode(), signature.encode())


def _event(item: Any) -> IncomingEvent | None:
    if not isinstance(item, dict):
        return None
    fields = ("tenantId", "eventCategory", "eventType", "resourceId", "eventDateUtc")
    values = [item.get(name) for name in fields]
    texts = [value for value in values if isinstance(value, str) and 0 < len(value) <= 64]
    if len(texts) != len(fields):
        return None
    tenant_id, category, event_type, resource_id, moment = texts
    try:
        at = datetime.fromisoformat(moment)
    except ValueError:
        return None
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return IncomingEvent(tenant_id, category.upper(), event_type.upper(), resource_id, at)


def parse_events(body: bytes) -> tuple[list[IncomingEvent], int]:
    """The well-formed events of a body, and how many elements were not."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return [], 0
    items = data.get("events") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], 0
    events = [_event(item) for item in items]
    good = [event for event in events if event is not None]
    return good, len(events) - len(good)


class BodyTooLarge(Exception):
    """The body is larger than ``MAX_BODY_BYTES``."""


async def read_limited(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read only up to `limit` bytes (by its Content-Length, then as it streams).

    Raises:
        BodyTooLarge: the body says or turns out to be larger than `limit`.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/xero/webhooks",
    include_in_schema=False,
    response_class=Response,
)
async def receive(request: Request) -> Response:
    """Store Xero's events; 401 (empty) unless signed with the webhook key."""
    settings: Settings = request.app.state.settings
    key = settings.webhook_key
    if key is None:
        log.warning("webhook refused: LEDGERLINK_XERO_WEBHOOK_KEY is not set (production)")
        return Response(status_code=401)
    try:
        body = await read_limited(request)
    except BodyTooLarge:
        log.warning("webhook refused: the body is over %d bytes", MAX_BODY_BYTES)
        return Response(status_code=413)
    if not is_signed(body, key, request.headers.get(SIGNATURE_HEADER)):
        log.warning("webhook refused: the x-xero-signature header does not match the body")
        return Response(status_code=401)
    events, malformed = parse_events(body)
    WEBHOOK_EVENTS.labels("malformed").inc(malformed)
    if not events:
        return Response(status_code=200)
    writer: WebhookWriter = request.app.state.webhook_writer
    clock: Clock = request.app.state.clock
    try:
        # Off the event loop: the insert may wait for the database's write lock.
        outcome = await asyncio.to_thread(writer.store, events, clock())
    except Exception:
        # Xero posts again later when the answer is not 200; nothing is lost.
        log.exception("webhook: %d event(s) could not be stored; Xero will retry", len(events))
        return Response(status_code=503)
    WEBHOOK_EVENTS.labels("stored").inc(outcome.stored)
    WEBHOOK_EVENTS.labels("duplicate").inc(outcome.duplicates)
    WEBHOOK_EVENTS.labels("dropped").inc(outcome.dropped)
    log.info(
        "webhook: %d event(s) stored, %d already stored, %d for no company here, %d malformed",
        outcome.stored,
        outcome.duplicates,
        outcome.dropped,
        malformed,
    )
    return Response(status_code=200)
