"""When to try a call again, and after how long."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from ._clock import Jitter
from ._errors import InvalidRequest, RateLimited, RetriableError, ServerError, XeroError
from ._limits import MAX_INLINE_WAIT_SECONDS

#: Xero accepts Idempotency-Key values of at most 128 characters.
MAX_IDEMPOTENCY_KEY_LENGTH = 128


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with full jitter; ``Retry-After`` wins when present.

    Attempt ``n`` (1-based) that failed retriably waits a random time in
    ``[0, min(max_delay, base_delay * 2 ** (n - 1))]`` before the next attempt. No wait
    longer than ``max_inline_wait`` happens in-process: the error is raised instead, so the
    caller can reschedule the work. A daily rate limit is always raised. A write answered
    with a 5xx is raised too: Xero may have saved it before failing, and its key is not
    known to cover a failed answer, so the caller looks it up before sending it again.
    """

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_inline_wait: float = MAX_INLINE_WAIT_SECONDS

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise InvalidRequest("max_attempts must be at least 1 (1 means no retries)")

    def delay(
        self, attempt: int, error: XeroError, jitter: Jitter, *, write: bool = False
    ) -> float | None:
        """Seconds to wait before trying again, or ``None`` to raise ``error`` now."""
        if attempt >= self.max_attempts:
            return None
        if write and isinstance(error, ServerError):
            return None
        if isinstance(error, RateLimited):
            if error.limit == "day" or error.retry_after > self.max_inline_wait:
                return None
            return error.retry_after
        if not isinstance(error, RetriableError):
            return None
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return min(jitter.uniform(0.0, ceiling), self.max_inline_wait)


def new_idempotency_key() -> str:
    """A fresh key for one logical write."""
    return uuid.uuid4().hex


def check_idempotency_key(key: str, *, room: int = 0) -> str:
    """Returns ``key`` if Xero will accept it with ``room`` characters appended."""
    if not key or not key.isascii() or not key.isprintable():
        raise InvalidRequest(
            "idempotency_key must be a non-empty printable ASCII string, e.g. 'po-1042-v3'"
        )
    if len(key) + room > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise InvalidRequest(
            f"idempotency_key is {len(key)} characters; Xero accepts at most "
            f"{MAX_IDEMPOTENCY_KEY_LENGTH - room} here: pass a shorter key or a hash"
        )
    return key


def chunk_key(key: str, chunk_index: int) -> str:
    """The Idempotency-Key of one chunk of a batched write, derived from the caller's key.

    Keys too long to carry the suffix are shortened to a SHA-256 digest first, so every
    key is accepted and each chunk still has its own stable key.
    """
    suffix = f":{chunk_index}"
    if len(key) + len(suffix) > MAX_IDEMPOTENCY_KEY_LENGTH:
        key = hashlib.sha256(key.encode()).hexdigest()
    return key + suffix


KeyFactory = Callable[[], str]
