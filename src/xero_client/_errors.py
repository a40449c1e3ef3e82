"""Every error the client raises, grouped by what the caller should do about it.

::

    XeroError                     base; carries status, endpoint and Xero's message
    ├── RetriableError            try the same call again later (same Idempotency-Key)
    │   ├── ServerError           Xero answered 5xx
    │   ├── XeroTimeout           no answer in time; a write may or may not have landed
    │   ├── XeroConnectionError   the connection failed before an answer
    │   └── RequestInProgress     409: the same Idempotency-Key is still being processed
    ├── RateLimited               429 or a local budget is spent: wait ``retry_after`` seconds;
    │                             ``limit`` is "minute", "day", "concurrent" or "appminute"
    ├── AuthError                 the connection needs a person
    │   ├── NotConnected          no tokens are stored for this connection
    │   ├── ConnectionRevoked     the refresh token is dead (``invalid_grant``): re-connect
    │   ├── Unauthorized          401 even with a freshly refreshed access token
    │   └── Forbidden             403: missing scope or organisation not connected
    ├── ValidationFailed          400: fix the data; ``elements`` aligns messages to what was sent
    ├── NotFound                  404: the document does not exist in this organisation
    └── FatalError                do not retry; a bug, a bad request or an unexpected answer
        ├── InvalidRequest        the caller's arguments are wrong (names the field and the fix)
        ├── OAuthError            the identity service refused a request for another reason
        └── PagingError           Xero served the same page twice

No error ever holds an access or refresh token: only the HTTP status, the endpoint
(method and path) and the message Xero returned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

RateLimit = Literal["minute", "day", "concurrent", "appminute"]


class XeroError(Exception):
    """Base of every error raised by :mod:`xero_client`."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.endpoint = endpoint

    def __str__(self) -> str:
        where = []
        if self.status is not None:
            where.append(str(self.status))
        if self.endpoint:
            where.append(self.endpoint)
        return f"{self.message} ({' '.join(where)})" if where else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status={self.status!r}, "
            f"endpoint={self.endpoint!r})"
        )


class RetriableError(XeroError):
    """The call may succeed if tried again later with the same Idempotency-Key."""


class ServerError(RetriableError):
    """Xero answered with a 5xx status."""


class XeroTimeout(RetriableError):
    """No answer in time. A write may have been applied: retry with the same key."""


class XeroConnectionError(RetriableError):
    """The connection failed before Xero answered."""


class RequestInProgress(RetriableError):
    """Xero is still processing an earlier attempt with the same Idempotency-Key."""


class RateLimited(XeroError):
    """A Xero rate limit is spent; try again after ``retry_after`` seconds."""

    def __init__(
        self,
        message: str,
        *,
        limit: RateLimit,
        retry_after: float,
        status: int | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message, status=status, endpoint=endpoint)
        self.limit: RateLimit = limit
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return (
            f"RateLimited(message={self.message!r}, limit={self.limit!r}, "
            f"retry_after={self.retry_after!r}, status={self.status!r}, "
            f"endpoint={self.endpoint!r})"
        )


class AuthError(XeroError):
    """The connection to Xero needs attention from a person."""


class NotConnected(AuthError):
    """No tokens are stored for this connection."""


class ConnectionRevoked(AuthError):
    """The refresh token was refused (``invalid_grant``): connect to Xero again."""


class Unauthorized(AuthError):
    """Xero refused a freshly refreshed access token."""


class Forbidden(AuthError):
    """Xero refused the call: a scope is missing or the organisation is not connected."""


@dataclass(frozen=True)
class ElementErrors:
    """Xero's validation messages for one element of a request.

    ``index`` is the element's position in the request; ``None`` when Xero's answer did
    not say which element it meant.
    """

    index: int | None
    messages: tuple[str, ...]


class ValidationFailed(XeroError):
    """Xero refused the data. ``elements`` holds per-element messages in input order."""

    def __init__(
        self,
        message: str,
        *,
        elements: Sequence[ElementErrors] = (),
        echoed: Sequence[Mapping[str, Any]] = (),
        status: int | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message, status=status, endpoint=endpoint)
        self.elements = tuple(elements)
        #: The elements as Xero echoed them back, in the order of ``elements``.
        self.echoed = tuple(echoed)

    def aligned_to(self, sent: Sequence[Mapping[str, Any]]) -> ValidationFailed:
        """The same error with each element's ``index`` set to its position in ``sent``.

        Xero lists either every element sent (position is index) or only the failed ones;
        those are matched to the sent elements by their text fields (name, reference...).
        """
        if len(self.echoed) == len(sent):
            positions: list[int | None] = list(range(len(sent)))
        else:
            positions = _match_echoes(sent, self.echoed)
        elements = [
            ElementErrors(index=position, messages=e.messages)
            for position, e in zip(positions, self.elements, strict=False)
        ]
        return ValidationFailed(
            self.message,
            elements=elements,
            echoed=self.echoed,
            status=self.status,
            endpoint=self.endpoint,
        )

    def __str__(self) -> str:
        base = super().__str__()
        details = "; ".join(
            f"element {'?' if e.index is None else e.index}: {' / '.join(e.messages)}"
            for e in self.elements
            if e.messages
        )
        return f"{base}: {details}" if details else base


class NotFound(XeroError):
    """The resource does not exist in this organisation."""


class FatalError(XeroError):
    """Retrying will not help: the request or the answer is wrong."""


class InvalidRequest(FatalError, ValueError):
    """The caller's arguments are wrong; the message names the field and the fix."""


class OAuthError(FatalError):
    """The identity service refused a request (other than a dead refresh token)."""


class PagingError(FatalError):
    """Xero served a page it had already served; stopping instead of looping."""


def _match_echoes(
    sent: Sequence[Mapping[str, Any]], echoed: Sequence[Mapping[str, Any]]
) -> list[int | None]:
    used: set[int] = set()
    positions: list[int | None] = []
    for echo in echoed:
        found = None
        for i, element in enumerate(sent):
            if i not in used and _same_text_fields(element, echo):
                found = i
                break
        if found is not None:
            used.add(found)
        positions.append(found)
    return positions


def _same_text_fields(sent: Mapping[str, Any], echo: Mapping[str, Any]) -> bool:
    shared = [k for k, v in sent.items() if isinstance(v, str) and k in echo]
    return bool(shared) and all(echo[k] == sent[k] for k in shared)
