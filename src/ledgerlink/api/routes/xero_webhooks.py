"""`POST /xero/webhooks`: Xero's signed events, stored for the worker to apply.

A post whose `x-xero-signature` is not the base64 HMAC-SHA256 of its raw body under the
webhook key (`LEDGERLINK_XERO_WEBHOOK_KEY`) gets 401 with an empty body; a signed one gets
200 once its events are committed, whatever it holds (`WebhookWriter` stores posts that
arrive together in one transaction; on SQLite, in the spool beside the database when the
worker holds its write lock). Events are stored once each, for the company connected to
their organisation; events of other organisations are counted and dropped.

Xero posts often and wants an answer within seconds, so the endpoint is a plain ASGI
middleware (`WebhookEndpoint`) ahead of FastAPI's routing: no dependencies, no models,
only the signature check and the store.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from ledgerlink.api.deps import Clock
from ledgerlink.api.webhook_writer import WebhookWriter
from ledgerlink.config import Settings
from ledgerlink.observability.metrics import WEBHOOK_EVENTS
from ledgerlink.store.repositories.webhook_events import IncomingEvent

PATH = "/xero/webhooks"
SIGNATURE_HEADER = b"x-xero-signature"
#: Xero's webhook posts are a few kilobytes; a larger body is refused before it is read.
MAX_BODY_BYTES = 1024 * 1024

log = logging.getLogger("ledgerlink.webhooks")


def signature_of(body: bytes, key: str) -> str:
    """What Xero puts in `x-xero-signature` for `body`."""
    digest = hmac.new(key.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def is_signed(body: bytes, key: str, signature: str | None) -> bool:
    """Constant-time check of the signature (a missing one is wrong)."""
    if not signature:
        return False
    return hmac.compare_digest(signature_of(body, key).encode(), signature.encode())


#: Each field of an event, and the longest it is stored (as stored: ids in lower case,
#: category and type in upper case, which may lengthen them: "ß" is "SS").
_FIELDS = (("tenantId", 64), ("eventCategory", 40), ("eventType", 40), ("resourceId", 64),
           ("eventDateUtc", 64))  # fmt: skip


def _is_storable(value: str, max_length: int) -> bool:
    """A short text a database stores as it is: no NUL, no lone surrogate."""
    if not 0 < len(value) <= max_length or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _event(item: Any) -> IncomingEvent | None:
    if not isinstance(item, dict):
        return None
    values = [value for name, _ in _FIELDS if isinstance(value := item.get(name), str)]
    if len(values) != len(_FIELDS):
        return None
    tenant_id, category, event_type, resource_id, moment = values
    category, event_type = category.upper(), event_type.upper()
    stored = (tenant_id.lower(), category, event_type, resource_id.lower(), moment)
    if not all(_is_storable(v, length) for v, (_, length) in zip(stored, _FIELDS, strict=True)):
        return None
    try:
        at = datetime.fromisoformat(moment)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    except (ValueError, OverflowError):  # not a time, or one past year 1 or 9999 in UTC
        return None
    return IncomingEvent(tenant_id, category, event_type, resource_id, at)


def parse_events(body: bytes) -> tuple[list[IncomingEvent], int]:
    """The well-formed events of a body, and how many elements were not."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: too deep
        return [], 0
    items = data.get("events") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return [], 0
    events = [_event(item) for item in items]
    good = [event for event in events if event is not None]
    return good, len(events) - len(good)


class BodyTooLarge(Exception):
    """The body is larger than ``MAX_BODY_BYTES``."""


class Disconnected(Exception):
    """The client went away before its body was read."""


async def read_limited(scope: Scope, receive: Receive, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read only up to `limit` bytes (by its Content-Length, then as it streams).

    Raises:
        BodyTooLarge: the body says or turns out to be larger than `limit`.
        Disconnected: the client went away first.
    """
    declared = _header(scope, b"content-length") or b""
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


class WebhookEndpoint:
    """ASGI middleware answering `POST /xero/webhooks` itself; everything else goes on to
    ``app``. Reads the settings, the writer and the clock from the app's state."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        try:
            status = await receive_events(scope, receive)
        except Disconnected:
            return
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-length", b"0")]})  # fmt: skip
        await send({"type": "http.response.body", "body": b""})


async def receive_events(scope: Scope, receive: Receive) -> int:
    """Store a post's events; the status to answer (401 unless signed with the key)."""
    state = scope["app"].state
    settings: Settings = state.settings
    key = settings.webhook_key
    if key is None:
        log.warning("webhook refused: LEDGERLINK_XERO_WEBHOOK_KEY is not set (production)")
        return 401
    try:
        body = await read_limited(scope, receive)
    except BodyTooLarge:
        log.warning("webhook refused: the body is over %d bytes", MAX_BODY_BYTES)
        return 413
    signature = _header(scope, SIGNATURE_HEADER)
    if not is_signed(body, key, None if signature is None else signature.decode("latin-1")):
        log.warning("webhook refused: the x-xero-signature header does not match the body")
        return 401
    events, malformed = parse_events(body)
    WEBHOOK_EVENTS.labels("malformed").inc(malformed)
    if not events:
        return 200
    writer: WebhookWriter = state.webhook_writer
    clock: Clock = state.clock
    try:
        # Off the event loop: the insert may wait for another receiver's transaction.
        outcome = await asyncio.to_thread(writer.store, events, clock())
    except Exception:
        # Xero posts again later when the answer is not 200; nothing is lost.
        log.exception("webhook: %d event(s) could not be stored; Xero will retry", len(events))
        return 503
    WEBHOOK_EVENTS.labels("stored").inc(outcome.stored)
    WEBHOOK_EVENTS.labels("spooled").inc(outcome.spooled)
    WEBHOOK_EVENTS.labels("duplicate").inc(outcome.duplicates)
    WEBHOOK_EVENTS.labels("dropped").inc(outcome.dropped)
    log.info(
        "webhook: %d event(s) stored, %d spooled, %d already stored, %d for no company here, "
        "%d malformed",
        outcome.stored,
        outcome.spooled,
        outcome.duplicates,
        outcome.dropped,
        malformed,
    )
    return 200
