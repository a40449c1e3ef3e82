"""Reading a paged collection: ``page``/``pageSize`` until a short page, never looping."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

from . import _wire
from ._errors import InvalidRequest, PagingError

#: Xero serves at most this many elements per page.
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100

Page = Sequence[Mapping[str, Any]]
FetchPage = Callable[[int, int], Awaitable[Page]]


def check_page_size(page_size: int) -> int:
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidRequest(
            f"page_size is {page_size}; Xero serves 1 to {MAX_PAGE_SIZE} elements a page"
        )
    return page_size


class Paginator:
    """Walks pages 1, 2, ... of a collection.

    Stops after an empty page or one shorter than ``page_size``. A page whose elements
    were already served (the same ids, or the same content when there are no ids) raises
    :class:`PagingError` instead of looping forever.

    Args:
        fetch: reads one page, given its number and the page size.
        page_size: elements per page (1 to 1000).
        id_key: the key naming each element's id (``InvoiceID``), for the repeat check.
        endpoint: named in a :class:`PagingError`.
    """

    def __init__(
        self,
        fetch: FetchPage,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        id_key: str | None = None,
        endpoint: str = "",
        first_page: int = 1,
    ) -> None:
        self._fetch = fetch
        self.page_size = check_page_size(page_size)
        self._id_key = id_key
        self._endpoint = endpoint
        self._first_page = first_page
        #: How many pages were read so far.
        self.pages_read = 0

    async def pages(self) -> AsyncIterator[Page]:
        seen: dict[str, int] = {}
        page = self._first_page
        while True:
            items = await self._fetch(page, self.page_size)
            self.pages_read += 1
            if not items:
                return
            mark = self._fingerprint(items)
            if mark in seen:
                raise PagingError(
                    f"page {page} repeats page {seen[mark]}; stopping instead of looping",
                    endpoint=self._endpoint,
                )
            seen[mark] = page
            yield items
            if len(items) < self.page_size:
                return
            page += 1

    async def items(self) -> AsyncIterator[Mapping[str, Any]]:
        async for page in self.pages():
            for item in page:
                yield item

    def _fingerprint(self, items: Page) -> str:
        digest = hashlib.sha256()
        for item in items:
            ident = item.get(self._id_key) if self._id_key else None
            digest.update(str(ident).encode() if ident else _wire.dumps(item))
            digest.update(b"\x00")
        return digest.hexdigest()
