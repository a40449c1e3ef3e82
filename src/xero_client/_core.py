"""The request loop every call goes through: limits, auth, retries, idempotency, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, Self, TypeVar

import httpx

from . import _wire
from ._auth import TokenSource, XeroAuth
from ._batch import BatchResult, element_outcome, messages, plan_chunks, refused_chunk
from ._clock import Jitter, Sleep, asyncio_sleep, system_jitter
from ._errors import (
    ElementErrors,
    FatalError,
    InvalidRequest,
    NotFound,
    ValidationFailed,
    XeroConnectionError,
    XeroError,
    XeroTimeout,
)
from ._limits import LimitObservation, NoRateLimiter, RateLimiter
from ._models import XeroModel
from ._oauth import XeroEndpoints
from ._paging import DEFAULT_PAGE_SIZE, Paginator
from ._responses import error_for
from ._retry import RetryPolicy, check_idempotency_key, chunk_key, new_idempotency_key

M = TypeVar("M", bound=XeroModel)

Params = Mapping[str, str | int | bool]

#: Methods whose retries must carry one Idempotency-Key (Xero honours it on these).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})

#: Awaited before every attempt of a write; what it raises stops the write unsent.
WriteGuard = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class Resource(Generic[M]):
    """One Accounting API collection that ledgerlink pages through, creates in and updates.

    Args:
        path: where it lives under the API root.
        model: what its elements are read as.
        collection: the JSON key that lists them, in requests and answers.
        id_key: the key of each element's id.
    """

    path: str
    model: type[M]
    collection: str
    id_key: str


class XeroCore:
    """Sends calls to one organisation's Accounting API. See :class:`XeroClient`."""

    def __init__(
        self,
        tenant_id: str,
        token_source: TokenSource,
        limiter: RateLimiter | None = None,
        http: httpx.AsyncClient | None = None,
        *,
        api_url: str = XeroEndpoints.api_url,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        jitter: Jitter | None = None,
        new_key: Callable[[], str] = new_idempotency_key,
        timeout_seconds: float = 30.0,
    ) -> None:
        if not tenant_id or not tenant_id.strip():
            raise InvalidRequest(
                "tenant_id is empty; pass the organisation's tenantId from GET /connections"
            )
        self.tenant_id = tenant_id
        self.api_url = api_url.rstrip("/")
        self._auth = XeroAuth(token_source)
        self._limiter: RateLimiter = limiter or NoRateLimiter()
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout_seconds)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep or asyncio_sleep
        self._jitter = jitter or system_jitter()
        self._new_key = new_key
        self._write_guard: WriteGuard | None = None

    def guard_writes(self, guard: WriteGuard | None) -> None:
        """Await ``guard()`` before every attempt of every write (POST, PUT, PATCH), once
        its turn under the rate limits has come and just before it is sent; an exception
        from ``guard`` stops the write unsent and propagates to the caller. An exporter
        checks there that the organisation is still its own. ``None`` removes it."""
        self._write_guard = guard

    def __repr__(self) -> str:
        return f"{type(self).__name__}(tenant_id={self.tenant_id!r}, api_url={self.api_url!r})"

    async def aclose(self) -> None:
        """Closes the HTTP client if this client created it."""
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        modified_since: datetime | None = None,
        headers: Mapping[str, str] | None = None,
        encoded: bytes | None = None,
    ) -> Any:
        """Calls any Accounting API endpoint and returns its JSON (``None`` if empty).

        Writes (POST, PUT, PATCH) carry one ``Idempotency-Key`` on every attempt:
        ``idempotency_key`` if given, else one made once for this call. A write answered
        with a 5xx is not tried again here: it may have been saved (see ``RetryPolicy``).

        Args:
            method: HTTP method.
            path: path under the API root, e.g. ``"/Invoices"``.
            params: query parameters.
            json: the body, serialised with exact decimals.
            encoded: ``json`` already serialised (``_wire.dumps``): sent as it is, and
                ``json`` is only read to align Xero's messages to the elements sent.
            idempotency_key: the logical write's key (at most 128 characters).
            modified_since: sent as ``If-Modified-Since``.
            headers: extra headers.

        Raises:
            XeroError: one of its subclasses, grouped by what to do (see ``_errors``).
        """
        try:
            response = await self._send(
                method,
                path,
                params=params,
                json=json if encoded is None else None,
                idempotency_key=idempotency_key,
                modified_since=modified_since,
                headers=headers,
                content=encoded,
                content_type="application/json" if encoded is not None else None,
            )
        except ValidationFailed as refused:
            sent = _sent_elements(json)
            if sent is None:
                raise
            raise refused.aligned_to(sent) from None
        return _wire.loads(response.content) if response.content.strip() else None

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        idempotency_key: str | None = None,
        modified_since: datetime | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        content_type: str | None = None,
    ) -> httpx.Response:
        """One call with retries; ``content`` sends raw bytes (a file, or JSON serialised
        already) instead of ``json``, as ``content_type`` when given."""
        method = method.upper()
        path = "/" + path.lstrip("/")
        endpoint = f"{method} {path}"
        sent: dict[str, str] = {"Accept": "application/json", "xero-tenant-id": self.tenant_id}
        if headers:
            sent.update(headers)
        if method in WRITE_METHODS:
            key = idempotency_key or self._new_key()
            sent["Idempotency-Key"] = check_idempotency_key(key)
        if modified_since is not None:
            sent["If-Modified-Since"] = _wire.http_date(modified_since)
        body = content
        if content_type is not None:
            sent["Content-Type"] = content_type
        if json is not None:
            body = _wire.dumps(json)
            sent["Content-Type"] = "application/json"
        write = method in WRITE_METHODS
        query = {k: _query_value(v) for k, v in (params or {}).items()}
        url = self.api_url + path
        attempt = 0
        while True:
            attempt += 1
            await self._limiter.acquire(self.tenant_id)
            observed: LimitObservation | None = None
            error: XeroError
            try:
                if write and self._write_guard is not None:
                    await self._write_guard()
                response = await self._http.request(
                    method, url, params=query, content=body, headers=sent, auth=self._auth
                )
                observed = LimitObservation.from_headers(response.headers)
                failure = error_for(response, endpoint)
                if failure is None:
                    return response
                error = failure
            except httpx.TimeoutException as exc:
                error = XeroTimeout(f"no answer in time ({type(exc).__name__})", endpoint=endpoint)
            except httpx.TransportError as exc:
                error = XeroConnectionError(
                    f"connection failed ({type(exc).__name__})", endpoint=endpoint
                )
            finally:
                await self._limiter.release(self.tenant_id, observed)
            delay = self._retry.delay(attempt, error, self._jitter, write=write)
            if delay is None:
                raise error
            await self._sleep(delay)

    async def _list(
        self,
        path: str,
        model: type[M],
        collection: str,
        *,
        params: Params | None = None,
        modified_since: datetime | None = None,
    ) -> list[M]:
        body = await self.request("GET", path, params=params, modified_since=modified_since)
        return [model.from_xero(item) for item in _collection(body, collection, f"GET {path}")]

    async def _iter(
        self,
        resource: Resource[M],
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        params: Params | None = None,
        modified_since: datetime | None = None,
    ) -> AsyncIterator[M]:
        path, collection = resource.path, resource.collection

        async def fetch(page: int, size: int) -> list[Mapping[str, Any]]:
            query = {**(params or {}), "page": page, "pageSize": size}
            body = await self.request("GET", path, params=query, modified_since=modified_since)
            return _collection(body, collection, f"GET {path}")

        pager = Paginator(
            fetch, page_size=page_size, id_key=resource.id_key, endpoint=f"GET {path}"
        )
        async for item in pager.items():
            yield resource.model.from_xero(item)

    async def _get(self, path: str, model: type[M], collection: str) -> M:
        items = await self._list(path, model, collection)
        if not items:
            raise NotFound(f"Xero returned no {collection}", status=200, endpoint=f"GET {path}")
        return items[0]

    async def _write_one(
        self,
        method: str,
        path: str,
        element: XeroModel,
        model: type[M],
        collection: str,
        *,
        idempotency_key: str | None,
        params: Params | None = None,
    ) -> M:
        endpoint = f"{method} {path}"
        body = await self.request(
            method,
            path,
            params=params,
            json={collection: [element.to_xero()]},
            idempotency_key=idempotency_key,
        )
        items = _collection(body, collection, endpoint)
        if not items:
            raise FatalError(f"Xero returned no {collection}", status=200, endpoint=endpoint)
        errors = messages(items[0], "ValidationErrors")
        if errors:
            raise ValidationFailed(
                "Xero refused the element",
                elements=[ElementErrors(0, errors)],
                status=200,
                endpoint=endpoint,
            )
        return model.from_xero(items[0])

    async def _update(
        self,
        resource: Resource[M],
        ident: str,
        element: M,
        *,
        idempotency_key: str | None,
        params: Params | None = None,
    ) -> M:
        """Saves changes to one element (``POST {path}/{ident}``)."""
        return await self._write_one(
            "POST",
            f"{resource.path}/{ident}",
            element,
            resource.model,
            resource.collection,
            idempotency_key=idempotency_key,
            params=params,
        )

    async def _create(
        self,
        resource: Resource[M],
        elements: Sequence[M],
        *,
        idempotency_key: str | None,
        params: Params | None = None,
        read: Collection[str] | None = None,
    ) -> list[BatchResult[M]]:
        """Creates elements in chunks (``PUT {path}``); one result per element, in order.

        ``read`` names the Xero keys of each answered element that its ``element`` holds
        (its id, errors and warnings are read whatever it names); None reads all of it."""
        method, path = "PUT", resource.path
        model, collection, id_key = resource.model, resource.collection, resource.id_key
        endpoint = f"{method} {path}"
        if not elements:
            return []
        key = check_idempotency_key(idempotency_key) if idempotency_key else self._new_key()
        payloads = [element.to_xero() for element in elements]
        encoded = [_wire.dumps(p) for p in payloads]  # once: sized here, sent as they are
        chunks = plan_chunks(encoded, collection=collection)
        envelope = _wire.dumps(collection)
        query = {**(params or {}), "summarizeErrors": False}
        results: list[BatchResult[M]] = []
        for number, chunk in enumerate(chunks):
            try:
                body = await self.request(
                    method,
                    path,
                    params=query,
                    json={collection: [payloads[i] for i in chunk]},
                    encoded=b"".join(
                        (b"{", envelope, b":[", b",".join(encoded[i] for i in chunk), b"]}")
                    ),
                    idempotency_key=chunk_key(key, number),
                )
            except ValidationFailed as refused:
                results.extend(refused_chunk(chunk, refused.elements))
                continue
            except XeroError as failed:
                if not results:
                    raise  # nothing was saved: the caller may simply retry the whole call
                # Earlier chunks were saved: keep their ids and mark the rest as not sent.
                unsent = range(chunk.start, len(elements))
                results.extend(
                    BatchResult(index=i, id=None, element=None, error=failed) for i in unsent
                )
                return results
            items = _collection(body, collection, endpoint)
            if len(items) != len(chunk):
                raise FatalError(
                    f"Xero returned {len(items)} {collection} for {len(chunk)} sent",
                    endpoint=endpoint,
                )
            for index, item in zip(chunk, items, strict=True):
                ident, errors = element_outcome(item, id_key)
                results.append(
                    BatchResult(
                        index=index,
                        id=ident,
                        element=model.from_xero(
                            item if read is None else {k: item[k] for k in read if k in item}
                        ),
                        errors=errors,
                        warnings=messages(item, "Warnings"),
                    )
                )
        return results


def _collection(body: Any, collection: str, endpoint: str) -> list[Mapping[str, Any]]:
    if not isinstance(body, Mapping) or not isinstance(body.get(collection), list):
        raise FatalError(f"Xero's answer has no {collection} list", endpoint=endpoint)
    return [item for item in body[collection] if isinstance(item, Mapping)]


def _sent_elements(body: Any) -> list[Mapping[str, Any]] | None:
    """The elements of a ``{"Collection": [...]}`` body, to align Xero's messages to."""
    if isinstance(body, Mapping) and len(body) == 1:
        (elements,) = body.values()
        if isinstance(elements, list) and all(isinstance(e, Mapping) for e in elements):
            return elements
    return None


def _query_value(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def query(**values: Any) -> Params:
    """Query parameters without the unset ones; lists become Xero's comma-separated form."""
    out: dict[str, str | int | bool] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            if value:
                out[name] = ",".join(str(v) for v in value)
        elif isinstance(value, date):
            out[name] = value.isoformat()
        else:
            out[name] = value
    return out


def require_id(value: str | None, field: str) -> str:
    if not value:
        raise InvalidRequest(f"{field} is not set; pass the element as read from Xero")
    return value
