"""Idempotency-Keys and in-flight marks: derived from the work, so a resend reuses them.

Xero answers a key it has seen with the answer it gave first. A call left unanswered is
sent again under its key (a straggler of the first attempt is then answered once); a
call Xero answered with a refusal goes again, once a person asks for it after a fix,
under a key of the next generation (``key_generation``), or Xero would repeat the refusal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol
from uuid import UUID


class Versioned(Protocol):
    """A record with an id and a version (a document or a party)."""

    @property
    def id(self) -> UUID: ...

    @property
    def version(self) -> int: ...


def batch_key(kind: str, action: str, documents: Sequence[tuple[UUID, int]]) -> str:
    """An Idempotency-Key derived from the work: the same documents and versions, the same key."""
    text = "|".join(f"{i}:{v}" for i, v in sorted(documents))
    return f"ll-{kind}-{action}-{hashlib.sha256(text.encode()).hexdigest()[:40]}"


def document_key(kind: str, action: str, document: Versioned, generation: int = 0) -> str:
    """The Idempotency-Key of one change of one document (its update or cancellation).

    ``generation`` counts the times a person asked to send the document again after a
    refusal (``key_generation`` of its sync state's mark): each goes under a key of its own.
    """
    key = f"ll-{kind}-{action}-{document.id}-v{document.version}"
    return key if generation == 0 else f"{key}-g{generation}"


def in_flight_key(version: int, generation: int, key: str) -> str:
    """What a document records while its create may be in flight: ``v3:g0:<batch key>``."""
    return f"v{version}:g{generation}:{key}"


def in_flight_version(key: str | None) -> int | None:
    """The version a possibly landed create carried (from ``in_flight_key``)."""
    if not key or not key.startswith("v"):
        return None
    head = key[1:].split(":", 1)[0]
    return int(head) if head.isdigit() else None


def key_generation(key: str | None) -> int:
    """How many times a create was found not to have landed and must go under a new key.

    A create whose fate was unknown is sent again under the same key (so a straggler of
    the first attempt is answered once); a key Xero then refuses as a whole (spent on a
    request that never arrived complete) is replaced by the next generation.
    """
    parts = (key or "").split(":", 2)
    if len(parts) == 3 and parts[1].startswith("g") and parts[1][1:].isdigit():
        return int(parts[1][1:])
    return 0


def sent_batch(key: str | None) -> str:
    """The batch key inside an in-flight mark (the batch a document was sent in)."""
    return (key or "").split(":", 1)[-1]
